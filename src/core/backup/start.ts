import { fullEveryDaysOf, type BackupPlan, type SnapshotKind, type Weekday } from '../plans/plan';
import { snapshotIdFor } from '../format';
import { kindOfRun } from '../schedule/slots';
import { weekdayOf } from '../schedule/civil-date';
import { zonedDateTime } from '../schedule/time-zone';
import { backupKeys, type PlanLock } from './keys';
import { jobStore } from './job-store';
import { MAINTENANCE_MESSAGE, maintenanceHeld } from './claims';
import { decideRunMode } from './run-mode';
import type { BackupDeps, BackupJob, BackupStepEvent, BackupTrigger } from './types';

export interface StartBackupInput {
  plan: BackupPlan;
  trigger: BackupTrigger;
  /** Epoch ms (from the caller's Clock). Scheduled runs pass the slot time, so a duplicate trigger maps to the same job. */
  now: number;
  /** Force a full snapshot even when an incremental one is possible. */
  full?: boolean;
  /** The kind decided by the caller (the scheduler decides Combined plans on the site's calendar); else kindFor(plan, now, timeZone). */
  kind?: SnapshotKind;
  /** The site's IANA time zone for kindFor and for counting days since the last full re-read; else deps.siteTimeZone(), else UTC. */
  timeZone?: string;
}

export type StartBackupResult =
  | { started: true; jobId: string; snapshotId: string; mode: 'full' | 'incremental'; modeReason?: string; kind: SnapshotKind }
  | { started: false; reason: 'already-running'; jobId: string; message: string }
  | { started: false; reason: 'disabled'; message: string }
  /** Snapshots are being deleted (rotation, an admin's delete): a new job could reuse objects on their way out. */
  | { started: false; reason: 'maintenance'; message: string };

/**
 * Combined plans are Extended on their weekday and Basic otherwise — the weekday in the site's time zone, the same
 * calendar the scheduler decides scheduled runs on (src/core/schedule kindOfRun). An unknown zone counts as UTC.
 */
export function kindFor(plan: BackupPlan, now: number, timeZone = 'UTC'): SnapshotKind {
  if (plan.content !== 'combined') return plan.content;
  let weekday: Weekday;
  try {
    const { year, month, day } = zonedDateTime(now, timeZone);
    weekday = weekdayOf({ year, month, day });
  } catch {
    const date = new Date(now);
    weekday = weekdayOf({ year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() });
  }
  return kindOfRun(plan, weekday);
}

/** The zone for kindFor and the full re-read's days: the caller's, else the site's (a failing lookup must not stop a backup), else UTC. */
async function timeZoneFor(deps: BackupDeps, input: StartBackupInput): Promise<string> {
  if (input.timeZone) return input.timeZone;
  try {
    return (await deps.siteTimeZone?.()) ?? 'UTC';
  } catch (error) {
    deps.logger?.warn('site time zone unavailable; deciding the run kind and full re-read in UTC', { error: error instanceof Error ? error.message : String(error) });
    return 'UTC';
  }
}

/**
 * Plans a backup job and sends its first step. One plan never runs twice at once: a lock in KVS names the
 * running job; a second start is refused with that job's id. Duplicate scheduled triggers for one slot get
 * the same job id, so even two that race past the lock check drive one job (its steps are idempotent).
 */
export async function startBackup(deps: BackupDeps, input: StartBackupInput): Promise<StartBackupResult> {
  const { plan, trigger, now } = input;
  const { kv } = deps;
  if (trigger === 'schedule' && !plan.enabled) return { started: false, reason: 'disabled', message: `Plan "${plan.name}" is disabled.` };
  if (await maintenanceHeld(kv, deps.clock.now())) return { started: false, reason: 'maintenance', message: MAINTENANCE_MESSAGE };

  const held = await kv.get<PlanLock>(backupKeys.lock(plan.id));
  if (held) {
    const running = await jobStore.get(kv, held.jobId);
    if (running?.state === 'running') return alreadyRunning(plan, held.jobId);
  }

  const jobId = jobIdFor(plan.id, trigger, now);
  const existing = await jobStore.get(kv, jobId);
  if (existing) {
    // A duplicate trigger for the same slot: the job exists already, do not start it twice.
    return existing.state === 'running'
      ? { started: false, reason: 'already-running', jobId, message: `Job ${jobId} for plan "${plan.name}" is already running.` }
      : { started: true, jobId, snapshotId: existing.snapshotId, mode: existing.mode, ...(existing.modeReason ? { modeReason: existing.modeReason } : {}), kind: existing.kind };
  }

  const timeZone = await timeZoneFor(deps, input);
  const kind = input.kind ?? (plan.content === 'combined' ? kindFor(plan, now, timeZone) : plan.content);
  const { base, reason: modeReason } = await decideRunMode(deps, { planId: plan.id, kind, fullEveryDays: fullEveryDaysOf(plan), now, timeZone, forced: input.full });
  const { projects: selection, ...jobPlan } = plan;
  const job: BackupJob = {
    jobId,
    planId: plan.id,
    planName: plan.name,
    plan: jobPlan,
    trigger,
    kind,
    mode: base ? 'incremental' : 'full',
    modeReason,
    base,
    snapshotId: snapshotIdFor(now, plan.id),
    startedAt: now,
    updatedAt: now,
    state: 'running',
    phase: 'plan',
    seq: 1,
    attempts: 0,
    projectCount: 0,
    projectCursor: 0,
    projectsComplete: 0,
    projectsFailed: 0,
    issuesDone: 0,
    issuesTotal: 0,
    projectErrors: [],
    siteErrors: {},
    bytesWritten: 0,
  };
  const lock: PlanLock = { jobId, since: now };
  const previousLatest = await kv.get<string>(backupKeys.latestJob(plan.id));
  // The selection before the job record: a job never exists without it (a duplicate start of the slot writes the same).
  await kv.set(backupKeys.selection(jobId), selection);
  if (kv.createIfAbsent) {
    // The job record first, then the lock: a lock whose job is missing or not running is stale, never "being started".
    await jobStore.put(kv, job);
    const outcome = await takePlanLock(deps, plan.id, lock);
    if (outcome !== 'taken') {
      // A duplicate start of the same slot computed the same job id: that job is the other start's, leave it.
      if (outcome !== jobId) await kv.transact([{ op: 'delete', key: backupKeys.job(jobId) }, { op: 'delete', key: backupKeys.selection(jobId) }]);
      return outcome === jobId
        ? { started: false, reason: 'already-running', jobId, message: `Job ${jobId} for plan "${plan.name}" is already running.` }
        : alreadyRunning(plan, outcome);
    }
    await kv.transact([
      { op: 'set', key: backupKeys.running(jobId), value: { jobId, planId: plan.id } },
      { op: 'set', key: backupKeys.latestJob(plan.id), value: jobId },
    ]);
  } else {
    await kv.transact([
      { op: 'set', key: backupKeys.lock(plan.id), value: lock },
      { op: 'set', key: backupKeys.job(jobId), value: job },
      { op: 'set', key: backupKeys.running(jobId), value: { jobId, planId: plan.id } },
      { op: 'set', key: backupKeys.latestJob(plan.id), value: jobId },
    ]);
    // No atomic create: read the lock back; when two starts raced, the later write won and only its job goes ahead.
    const winner = await kv.get<PlanLock>(backupKeys.lock(plan.id));
    if (winner?.jobId !== jobId) {
      await kv.transact([
        { op: 'delete', key: backupKeys.job(jobId) },
        { op: 'delete', key: backupKeys.running(jobId) },
        { op: 'delete', key: backupKeys.selection(jobId) },
      ]);
      return { started: false, reason: 'already-running', jobId: winner?.jobId ?? jobId, message: `Plan "${plan.name}" was started by another trigger at the same moment.` };
    }
  }
  // The job is now visible as running; look at maintenance once more. Maintenance takes its lock before it looks for
  // running jobs, so of a start and a deletion that race, at least one sees the other and stands back.
  if (await maintenanceHeld(kv, deps.clock.now())) {
    await kv.transact([
      { op: 'delete', key: backupKeys.job(jobId) },
      { op: 'delete', key: backupKeys.running(jobId) },
      { op: 'delete', key: backupKeys.lock(plan.id) },
      { op: 'delete', key: backupKeys.selection(jobId) },
      previousLatest !== undefined
        ? { op: 'set', key: backupKeys.latestJob(plan.id), value: previousLatest }
        : { op: 'delete', key: backupKeys.latestJob(plan.id) },
    ]);
    return { started: false, reason: 'maintenance', message: MAINTENANCE_MESSAGE };
  }
  const event: BackupStepEvent = { kind: 'backup.step', jobId, seq: 1, chain: 0 };
  await deps.queue.push([event]);
  deps.logger?.info('backup started', { jobId, planId: plan.id, mode: job.mode, modeReason, kind, base: base?.snapshotId });
  return { started: true, jobId, snapshotId: job.snapshotId, mode: job.mode, modeReason, kind };
}

function alreadyRunning(plan: BackupPlan, jobId: string): StartBackupResult {
  return {
    started: false,
    reason: 'already-running',
    jobId,
    message: `Plan "${plan.name}" is already backing up (job ${jobId}); wait for it to finish or cancel it.`,
  };
}

/**
 * Takes the plan's lock with an atomic create. A lock whose job is no longer running (finished without releasing it,
 * or deleted) is stale: it is deleted and the create tried once more. Returns 'taken', or the id of the job holding it.
 */
async function takePlanLock(deps: BackupDeps, planId: string, lock: PlanLock): Promise<'taken' | string> {
  const { kv } = deps;
  const key = backupKeys.lock(planId);
  for (let attempt = 0; attempt < 2; attempt++) {
    if (await kv.createIfAbsent!(key, lock)) return 'taken';
    const held = await kv.get<PlanLock>(key);
    if (!held) continue; // released meanwhile
    if (held.jobId === lock.jobId) return lock.jobId;
    const holder = await jobStore.get(kv, held.jobId);
    if (holder?.state === 'running') return held.jobId;
    if (attempt > 0) return held.jobId;
    // Delete only the stale lock read above (KVS has no compare-and-delete: this narrows, without closing, the
    // window in which two starts that both found it stale remove each other's fresh lock).
    if ((await kv.get<PlanLock>(key))?.jobId !== held.jobId) continue;
    deps.logger?.warn('stale plan lock removed', { key, jobId: held.jobId, state: holder?.state ?? 'missing' });
    await kv.delete(key);
  }
  // Two tries lost to starts that kept changing the lock: stand back (never report our own id: we did not start).
  return (await kv.get<PlanLock>(key))?.jobId ?? 'another start';
}

export function jobIdFor(planId: string, trigger: BackupTrigger, now: number): string {
  // Scheduled: the slot's minute, so duplicate triggers coincide. Manual: to the millisecond.
  const stamp = trigger === 'schedule' ? Math.floor(now / 60_000) * 60_000 : now;
  return `${planId}.${trigger === 'schedule' ? 's' : 'm'}${stamp}`;
}
