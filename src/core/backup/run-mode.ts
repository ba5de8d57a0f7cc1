import { readSnapshot, FormatError } from '../format';
import type { SnapshotKind } from '../plans/plan';
import { civilDateOrdinal } from '../schedule/civil-date';
import { isValidTimeZone, zonedDateTime } from '../schedule/time-zone';
import { shorten } from './errors';
import { backupKeys, type LastFullReread, type LastSuccess } from './keys';
import type { BackupDeps, BackupJob } from './types';

/** Full or incremental, and why, in words the control panel can show ("full: last full re-read 7 days ago …"). */
export interface RunMode {
  /** The snapshot an incremental run builds on; absent: the run reads everything. */
  base?: BackupJob['base'];
  reason: string;
}

export interface RunModeInput {
  planId: string;
  kind: SnapshotKind;
  /** The plan's full re-read interval (fullEveryDaysOf). */
  fullEveryDays: number;
  /** The run's start, epoch ms. */
  now: number;
  /** The site's zone: "7 days" are days of the site's calendar, like the schedule's. Unknown zone: UTC. */
  timeZone: string;
  /** "Back up now" with a forced full run. */
  forced?: boolean;
}

/**
 * Decides whether a run reads everything or only what Jira marks as updated since the plan's last complete snapshot.
 * Incremental runs miss what does not change `updated` (watchers, votes, some properties) and anything a clock skew
 * beyond the watermark margin hid; a full re-read every `fullEveryDays` days of the site's calendar bounds that drift.
 * Reads two small KVS notes written at commit (finalize.ts), and the base manifest only when the run may build on it.
 */
export async function decideRunMode(deps: BackupDeps, input: RunModeInput): Promise<RunMode> {
  if (input.forced) return { reason: 'full: requested' };
  const [last, lastFull] = await Promise.all([
    deps.kv.get<LastSuccess>(backupKeys.lastSuccess(input.planId)),
    deps.kv.get<LastFullReread>(backupKeys.lastFull(input.planId)),
  ]);
  if (!last) return { reason: 'full: no complete earlier snapshot of this plan to build on' };
  if (lastFull) {
    const due = dueReason(lastFull, input);
    if (due) return { reason: due };
  }
  // An Extended run cannot build on a Basic snapshot: it holds no attachment files to carry over.
  if (input.kind === 'extended' && last.kind === 'basic') return { reason: 'full: the last complete snapshot is Basic (no attachment files to carry over)' };
  let manifest;
  try {
    manifest = await readSnapshot(deps.store, last.snapshotId);
  } catch (error) {
    // Rotation or a storage change may have removed it, or it is damaged: read everything rather than fail.
    if (!(error instanceof FormatError)) throw error;
    deps.logger?.warn('previous snapshot unusable; taking a full snapshot', { planId: input.planId, snapshotId: last.snapshotId, error: error.message });
    return { reason: shorten(`full: the last complete snapshot ${last.snapshotId} cannot be read (${error.message})`, 300) };
  }
  // Snapshots committed before the note existed: the base itself tells whether it was a full run; else nothing does.
  const since = lastFull ?? (manifest.incrementalFrom === undefined ? { snapshotId: manifest.id, startedAt: manifest.startedAt } : undefined);
  if (!since) return { reason: 'full: no full re-read recorded for this plan yet' };
  const due = dueReason(since, input);
  if (due) return { reason: due };
  return {
    base: { snapshotId: manifest.id, startedAt: manifest.startedAt },
    reason: `incremental: last full re-read ${ago(calendarDaysBetween(since.startedAt, input.now, input.timeZone))} (every ${plural(input.fullEveryDays)})`,
  };
}

function dueReason(lastFull: LastFullReread, input: RunModeInput): string | undefined {
  const days = calendarDaysBetween(lastFull.startedAt, input.now, input.timeZone);
  return days >= input.fullEveryDays ? `full: last full re-read ${ago(days)} (every ${plural(input.fullEveryDays)})` : undefined;
}

/**
 * Days between two instants on the site's calendar (dates, not 24-hour periods: a run at 02:00 on the 1st and one at
 * 01:00 on the 8th are 7 days apart, so a nightly schedule re-reads on the same weekday even when runs drift a little).
 */
export function calendarDaysBetween(from: number, to: number, timeZone: string): number {
  const zone = isValidTimeZone(timeZone) ? timeZone : 'UTC';
  const ordinal = (at: number) => civilDateOrdinal(zonedDateTime(at, zone));
  return ordinal(to) - ordinal(from);
}

function ago(days: number): string {
  if (days <= 0) return 'today';
  return `${plural(days)} ago`;
}

function plural(days: number): string {
  return days === 1 ? '1 day' : `${days} days`;
}
