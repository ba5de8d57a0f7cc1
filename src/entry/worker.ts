import { InvocationError, InvocationErrorCode } from '@forge/events';
import { isBackupStepEvent, runStep, type BackupDeps } from '../core/backup';
import { formatSnapshotOpener, type RestoreDeps } from '../core/restore';
import type { JobEvent } from '../ports';
import { isUsageRecountEvent, USAGE_RECOUNT_EVENT } from '../core/usage';
import { GARBAGE_MARGIN_MS, isGarbageStepEvent, requestGarbageCollection, type GarbageLimits } from '../core/retention';
import { handleGarbageStep } from './garbage-collection';
import { isHousekeepingStepEvent, type HousekeepingLimits } from '../core/housekeeping';
import { handleHousekeepingStep } from './housekeeping';
import { handleUsageRecount } from './usage-recount';
import { forgeBackupDeps } from './forge-ports';
import { handleRestoreEvent, isRestoreEvent } from './restore-events';

/**
 * The async-events consumer (manifest `backup-worker`, 900 s): runs one resumable step of a backup or restore
 * job. `backup.*` events go to the backup engine, `restore.*` events to the restore engine, `usage.recount` counts
 * the store for the control panel's storage-use figure, `maintenance.gc` removes objects no snapshot references, `maintenance.housekeeping` removes the app's stale KVS records. The handler is thin: it builds the ports once per warm
 * runtime and turns the engine's outcome into Forge's retry protocol.
 */

export interface WorkerDeps {
  backup: BackupDeps;
  restore: RestoreDeps;
  /** Garbage collection's step sizes (defaults in src/core/retention/garbage-step.ts); tests take small steps. */
  garbageLimits?: Partial<GarbageLimits>;
  /** Housekeeping's step sizes (defaults in src/core/housekeeping/housekeeping-step.ts); tests take small steps. */
  housekeepingLimits?: Partial<HousekeepingLimits>;
}

export type WorkerDepsProvider = () => WorkerDeps | Promise<WorkerDeps>;

let provider: WorkerDepsProvider = forgeWorkerDeps;

/** Lets the emulator and tests run the real handler on their own ports. */
export function provideWorkerDeps(next: WorkerDepsProvider): void {
  provider = next;
}

/** Forge's async event (the @forge/events AsyncEvent shape; only `body` matters here). */
interface AsyncEvent {
  body: Record<string, unknown>;
  retryContext?: { retryCount: number };
}

const FORGE_TIMEOUT_MS = 900_000;

export async function worker(event: AsyncEvent): Promise<InvocationError | void> {
  const startedAt = Date.now();
  const job = event.body as JobEvent;
  // Built per invocation: the ports are shared per runtime (one governor), the store follows the current settings.
  const deps = await provider();
  const remainingMs = remainingTime(startedAt);

  if (isBackupStepEvent(job)) {
    const outcome = await runStep(deps.backup, job, { remainingMs });
    if (outcome.action === 'retry-later') {
      // Another delivery of this step holds its lease (or crashed holding it): ask Forge to try again later.
      return new InvocationError({ retryAfter: outcome.afterSeconds, retryReason: InvocationErrorCode.FUNCTION_RETRY_REQUEST });
    }
    if (outcome.action === 'ignored') deps.backup.logger?.info('backup event ignored', { reason: outcome.reason });
    if (outcome.action === 'finished' && outcome.snapshotId) await queueUsageRecount(deps);
    if (outcome.action === 'finished' && (outcome.state === 'failed' || outcome.state === 'cancelled')) await requestCleanupOfRun(deps);
    return;
  }
  if (isGarbageStepEvent(job)) {
    const outcome = await handleGarbageStep(deps.backup, job, { remainingMs, limits: deps.garbageLimits });
    if (outcome.action === 'retry-later') {
      // The store's maintenance lock is held (rotation, a delete, another delivery of this step): try again later.
      return new InvocationError({ retryAfter: outcome.afterSeconds, retryReason: InvocationErrorCode.FUNCTION_RETRY_REQUEST });
    }
    return;
  }
  if (isHousekeepingStepEvent(job)) {
    await handleHousekeepingStep(deps.backup, job, { remainingMs, limits: deps.housekeepingLimits });
    return;
  }
  if (isUsageRecountEvent(job)) {
    await handleUsageRecount(deps.backup);
    return;
  }
  if (isRestoreEvent(job)) {
    await handleRestoreEvent(job, deps.restore, { remainingMs });
    return;
  }
  // Unknown kinds are dropped, not retried: retrying cannot make them known.
  console.error(`The worker received an event of unknown kind ${JSON.stringify(job.kind)}; it was dropped.`);
}

/**
 * A committed snapshot changed what the store holds: count it again in an invocation of its own, so the panel's
 * figure is current minutes later. Best effort — the commit's mark (finalize) makes the scheduler ask if this fails.
 */
async function queueUsageRecount(deps: WorkerDeps): Promise<void> {
  try {
    await deps.backup.queue.push([{ kind: USAGE_RECOUNT_EVENT, reason: 'backup finished' }]);
  } catch (error) {
    deps.backup.logger?.warn('storage use recount not queued; the scheduler will ask for it', { error: (error as Error).message });
  }
}

/**
 * A run that failed or was cancelled left objects no snapshot references. They are collected once older than the
 * margin (until then a backup we cannot see might still use them), so the run is asked for then. Best effort: the
 * daily run collects them too.
 */
async function requestCleanupOfRun(deps: WorkerDeps): Promise<void> {
  const { kv, clock, logger } = deps.backup;
  try {
    await requestGarbageCollection(kv, clock.now() + GARBAGE_MARGIN_MS + 10 * 60_000, 'a backup failed or was cancelled');
  } catch (error) {
    logger?.warn('garbage collection not requested; the daily run will do it', { error: (error as Error).message });
  }
}

/** Time left in this invocation: the runtime's own figure when it offers one, else 900 s from the start. */
function remainingTime(startedAt: number): number {
  const runtime = (globalThis as { __forge_runtime__?: { lambdaContext?: { getRemainingTimeInMillis?: () => number } } }).__forge_runtime__;
  const reported = runtime?.lambdaContext?.getRemainingTimeInMillis?.();
  return typeof reported === 'number' && reported > 0 ? reported : FORGE_TIMEOUT_MS - (Date.now() - startedAt);
}

/**
 * The production ports: Forge KVS, the backup-jobs queue, requestJira behind the runtime's ONE governor, and the
 * store the admin configured (src/entry/forge-ports.ts), opened per invocation so a storage change applies to
 * the next step.
 */
export async function forgeWorkerDeps(): Promise<WorkerDeps> {
  const backup = await forgeBackupDeps('worker');
  const { jira, kv, queue, clock, logger, store } = backup;
  return { backup, restore: { jira, kv, queue, clock, logger, snapshots: formatSnapshotOpener(store) } };
}
