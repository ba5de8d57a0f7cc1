import { randomUUID } from 'node:crypto';
import type { Clock, KeyValue, Logger } from '../../ports';
import type { BackupPlan, SnapshotKind } from '../plans/plan';
import { dueSlots, type ScheduleSlot } from './slots';
import { claimSlot, MAX_START_ATTEMPTS, pruneSlotClaims, recordFailed, recordStarted, type CreateIfAbsent } from './slot-claims';
import { checkTimeZone } from './time-zone';

/** What the scheduler hands the backup engine for a scheduled run. `slotId` is stable: use it as the job's key. */
export interface ScheduledRunRequest {
  trigger: 'schedule';
  slotId: string;
  /** Decided on the site's calendar (Combined → Extended on its weekday in the site's zone, not UTC's). */
  kind: SnapshotKind;
  /** When the slot fell due, epoch ms: the same for every duplicate trigger of the slot (a stable `now` for job ids). */
  slotAt: number;
  /** The site's zone the slot was computed in: the engine counts days since the last full re-read on the same calendar. */
  timeZone?: string;
}

export type StartBackup = (plan: BackupPlan, request: ScheduledRunRequest) => Promise<void>;

export interface SchedulerTickDeps {
  keyValue: KeyValue;
  clock: Clock;
  loadPlans: () => Promise<BackupPlan[]>;
  /** The Jira site's IANA time zone, or how to fetch it. */
  siteTimeZone: string | (() => Promise<string>);
  /** Provided by the backup engine: enqueue the plan's backup. Must not wait for the backup to finish. */
  startBackup: StartBackup;
  /** Provided by the backup engine: re-seed long backups whose event chains ended (Forge's 1,000-push limit). */
  resumeStalledJobs?: () => Promise<void>;
  /** Atomic create-if-absent (Forge KVS `keyPolicy: 'FAIL_IF_EXISTS'`); without it the claim has a small race (slot-claims.ts). */
  createIfAbsent?: CreateIfAbsent;
  logger?: Logger;
  /** Unique token per tick; injectable for tests. */
  newToken?: () => string;
}

export const LAST_TICK_KEY = 'scheduler:last-tick';
/** The first tick after install looks back one trigger interval (plus slack), not into the past before the app existed. */
export const FIRST_TICK_LOOKBACK_MS = 10 * 60_000;
/**
 * After an outage the scheduler catches up at most this far back, and then only the newest missed slot of each
 * plan: three missed nightly runs are worth one backup of the site as it is now, not three identical ones.
 */
export const MAX_CATCH_UP_MS = 24 * 3_600_000;
/** Claims are kept a week past their slot: long enough that no window can re-examine them. */
const CLAIM_RETENTION_MS = 7 * 24 * 3_600_000;

export interface SlotReport {
  planId: string;
  slotId: string;
  kind: SnapshotKind;
}

export interface SchedulerTickResult {
  timeZone: string;
  /** The window examined, (from, to]. */
  from: number;
  to: number;
  started: SlotReport[];
  /** Due slots not started by this tick, with why: claimed/started by another tick, superseded by a newer slot, or given up. */
  skipped: (SlotReport & { reason: string })[];
  failed: (SlotReport & { error: string; willRetry: boolean })[];
  /** Plans whose schedule could not be read (e.g. a stored plan with a broken time); the other plans still run. */
  planErrors: { planId: string; error: string }[];
  resumeError?: string;
}

interface LastTick {
  at: number;
}

/**
 * One run of the frequent scheduled trigger: start every plan whose slot fell due since the last tick, each slot at
 * most once even when Forge delivers the trigger twice or concurrently, then let the engine resume stalled jobs.
 * A slot whose start failed holds the window back so the next tick retries it (up to MAX_START_ATTEMPTS).
 */
export async function runSchedulerTick(deps: SchedulerTickDeps): Promise<SchedulerTickResult> {
  const now = deps.clock.now();
  const timeZone = typeof deps.siteTimeZone === 'string' ? deps.siteTimeZone : await deps.siteTimeZone();
  checkTimeZone(timeZone);
  const lastTick = await deps.keyValue.get<LastTick>(LAST_TICK_KEY);
  const from = Math.min(now, Math.max(lastTick?.at ?? now - FIRST_TICK_LOOKBACK_MS, now - MAX_CATCH_UP_MS));
  const result: SchedulerTickResult = { timeZone, from, to: now, started: [], skipped: [], failed: [], planErrors: [] };
  const token = (deps.newToken ?? randomUUID)();

  const plans = (await deps.loadPlans()).filter((plan) => plan.enabled);
  let holdBackTo = now;
  for (const plan of plans) {
    let slots: ScheduleSlot[];
    try {
      slots = dueSlots(plan, timeZone, from, now);
    } catch (error) {
      result.planErrors.push({ planId: plan.id, error: messageOf(error) });
      deps.logger?.error('Plan schedule could not be read; the plan was skipped', { planId: plan.id, error: messageOf(error) });
      continue;
    }
    if (slots.length === 0) continue;
    const newest = slots[slots.length - 1];
    for (const older of slots.slice(0, -1)) {
      result.skipped.push({ ...report(older), reason: `superseded by the newer slot ${newest.slotId}` });
    }
    const retryFrom = await startSlot(deps, plan, newest, token, now, result);
    if (retryFrom !== undefined) holdBackTo = Math.min(holdBackTo, retryFrom);
  }

  // Only move forward: a concurrent tick may already have recorded a later time.
  if (!lastTick || holdBackTo > lastTick.at) await deps.keyValue.set<LastTick>(LAST_TICK_KEY, { at: holdBackTo });

  if (deps.resumeStalledJobs) {
    try {
      await deps.resumeStalledJobs();
    } catch (error) {
      result.resumeError = messageOf(error);
      deps.logger?.error('Resuming stalled backup jobs failed', { error: result.resumeError });
    }
  }
  await pruneSlotClaims(deps.keyValue, now - CLAIM_RETENTION_MS);
  return result;
}

/** Claims and starts one slot. Returns the instant the next tick must look back to, when the start should be retried. */
async function startSlot(
  deps: SchedulerTickDeps,
  plan: BackupPlan,
  slot: ScheduleSlot,
  token: string,
  now: number,
  result: SchedulerTickResult,
): Promise<number | undefined> {
  const outcome = await claimSlot(
    deps.keyValue,
    { slotId: slot.slotId, planId: plan.id, slotAt: slot.at, token, claimedAt: now },
    deps.createIfAbsent,
  );
  if (!outcome.claimed) {
    const reasons = {
      'already-started': 'already started by an earlier tick',
      'claimed-elsewhere': 'claimed by a concurrent tick',
      'gave-up': `start failed ${MAX_START_ATTEMPTS} times; given up (last error: ${outcome.existing?.error ?? 'unknown'})`,
    };
    result.skipped.push({ ...report(slot), reason: reasons[outcome.reason] });
    return undefined;
  }
  try {
    await deps.startBackup(plan, { trigger: 'schedule', slotId: slot.slotId, kind: slot.kind, slotAt: slot.at, timeZone: result.timeZone });
  } catch (error) {
    const message = messageOf(error);
    await recordFailed(deps.keyValue, outcome.claim, message);
    const willRetry = outcome.claim.attempts < MAX_START_ATTEMPTS;
    result.failed.push({ ...report(slot), error: message, willRetry });
    deps.logger?.error('Scheduled backup could not start', { planId: plan.id, slotId: slot.slotId, attempt: outcome.claim.attempts, error: message });
    return willRetry ? slot.at - 1 : undefined;
  }
  await recordStarted(deps.keyValue, outcome.claim);
  result.started.push(report(slot));
  deps.logger?.info('Scheduled backup started', { planId: plan.id, slotId: slot.slotId, kind: slot.kind });
  return undefined;
}

function report(slot: ScheduleSlot): SlotReport {
  return { planId: slot.planId, slotId: slot.slotId, kind: slot.kind };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
