import type { BackupPlan, SnapshotKind, Weekday } from '../plans/plan';
import { addDays, civilDateOrdinal, formatCivilDate, weekdayOf, type CivilDate } from './civil-date';
import { resolveLocalTime, type LocalTimeResolution } from './local-instant';
import { parseTimeOfDay } from './time-of-day';
import { checkTimeZone, zonedDateTime } from './time-zone';

/**
 * One scheduled run of one plan: the plan's time on one local date in the site's time zone.
 * `slotId` names it stably (plan id + local date + time), so a trigger that fires twice sees the same slot twice
 * and the scheduler can start it at most once.
 */
export interface ScheduleSlot {
  /** `<planId>:<YYYY-MM-DD>T<HH:MM>` in the site's zone, e.g. `nightly:2026-03-29T02:30`. */
  slotId: string;
  planId: string;
  /** The scheduled local date, `YYYY-MM-DD` (kept even when a DST gap moves the run past midnight). */
  localDate: string;
  /** The scheduled local time, `HH:MM`. */
  localTime: string;
  weekday: Weekday;
  /** The instant the slot becomes due, epoch ms. */
  at: number;
  /** What this run backs up: Combined plans run Extended on their extended weekday, Basic otherwise. */
  kind: SnapshotKind;
  resolution: LocalTimeResolution;
}

const DAY_MS = 86_400_000;
/** Catching up on more than this is a caller bug (the scheduler clamps to a day); it would also be slow. */
const MAX_WINDOW_MS = 400 * DAY_MS;

export const DEFAULT_EXTENDED_WEEKDAY: Weekday = 'sun';

/** Which kind a run of `plan` on `weekday` takes. */
export function kindOfRun(plan: Pick<BackupPlan, 'content' | 'extendedWeekday'>, weekday: Weekday): SnapshotKind {
  if (plan.content === 'combined') return weekday === (plan.extendedWeekday ?? DEFAULT_EXTENDED_WEEKDAY) ? 'extended' : 'basic';
  return plan.content;
}

export function runsOn(plan: Pick<BackupPlan, 'schedule'>, weekday: Weekday): boolean {
  return plan.schedule.days === 'daily' || plan.schedule.days.includes(weekday);
}

/** The plan's slot on `date`, or undefined when the plan does not run that weekday. */
export function slotOn(plan: BackupPlan, timeZone: string, date: CivilDate): ScheduleSlot | undefined {
  const weekday = weekdayOf(date);
  if (!runsOn(plan, weekday)) return undefined;
  const { hour, minute } = parseTimeOfDay(plan.schedule.time);
  const { at, resolution } = resolveLocalTime(timeZone, date, hour, minute);
  const localDate = formatCivilDate(date);
  return {
    slotId: `${plan.id}:${localDate}T${plan.schedule.time}`,
    planId: plan.id,
    localDate,
    localTime: plan.schedule.time,
    weekday,
    at,
    kind: kindOfRun(plan, weekday),
    resolution,
  };
}

/**
 * Slots of `plan` that fell due in the window (lastCheckedAt, now], oldest first. A disabled plan has none.
 * Each local date yields at most one slot, so a repeated (fall-back) hour runs once and a skipped
 * (spring-forward) time runs once, at the end of the gap.
 */
export function dueSlots(plan: BackupPlan, timeZone: string, lastCheckedAt: number, now: number): ScheduleSlot[] {
  checkTimeZone(timeZone);
  if (!plan.enabled || now <= lastCheckedAt) return [];
  if (now - lastCheckedAt > MAX_WINDOW_MS) {
    throw new RangeError(`dueSlots covers at most ${MAX_WINDOW_MS / DAY_MS} days; the caller should clamp how far back it catches up.`);
  }
  // A day either side: a slot's instant can sit on a neighbouring local date of the window's ends only through a gap.
  const first = addDays(localDateAt(lastCheckedAt, timeZone), -1);
  const last = addDays(localDateAt(now, timeZone), 1);
  const slots: ScheduleSlot[] = [];
  for (let ordinal = civilDateOrdinal(first), end = civilDateOrdinal(last); ordinal <= end; ordinal++) {
    const slot = slotOn(plan, timeZone, addDays(first, ordinal - civilDateOrdinal(first)));
    if (slot && slot.at > lastCheckedAt && slot.at <= now) slots.push(slot);
  }
  return slots;
}

/** The first slot of `plan` strictly after `now`, or undefined when the plan is disabled or has no days. */
export function nextRun(plan: BackupPlan, timeZone: string, now: number): ScheduleSlot | undefined {
  checkTimeZone(timeZone);
  if (!plan.enabled) return undefined;
  const today = localDateAt(now, timeZone);
  for (let offset = -1; offset <= 8; offset++) {
    const slot = slotOn(plan, timeZone, addDays(today, offset));
    if (slot && slot.at > now) return slot;
  }
  return undefined;
}

function localDateAt(epochMs: number, timeZone: string): CivilDate {
  const { year, month, day } = zonedDateTime(epochMs, timeZone);
  return { year, month, day };
}

/** `nextRun` as just the instant (epoch ms), in the argument order of the admin services' NextRun collaborator. */
export function nextRunAt(plan: BackupPlan, afterMs: number, timeZone: string): number | undefined {
  return nextRun(plan, timeZone, afterMs)?.at;
}
