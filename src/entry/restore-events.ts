import type { JobEvent } from '../ports';
import {
  RESTORE_PLAN_KIND, RESTORE_STEP_KIND, runPlanning, runRestoreStep, type PlanningEvent, type PlanningFailure, type RestoreDeps, type RestoreStepEvent,
} from '../core/restore';
import { restoreAdminError } from './restore-errors';

/** True for the events this handler owns (kinds starting with `restore.`), so the worker can route them here. */
export function isRestoreEvent(event: JobEvent): boolean {
  return typeof event.kind === 'string' && event.kind.startsWith('restore.');
}

/**
 * Runs one queued restore event: a step of a restore job (`restore.step`) or a dry run / project diff the page queued
 * (`restore.plan`). The worker passes the ports it built from the Forge adapters (KVS, the async events queue, the
 * governed requestJira client, and a SnapshotOpener over the configured BackupStore — see `formatSnapshotOpener`),
 * with `remainingMs` from the invocation so the work stops well before the 900 s timeout.
 */
export async function handleRestoreEvent(event: JobEvent, deps?: RestoreDeps, options: { remainingMs?: number } = {}): Promise<void> {
  if (!deps) {
    throw new Error(`Restore step ${event.kind} needs the app's ports (KVS, queue, Jira client, snapshot store); the worker must pass them to handleRestoreEvent.`);
  }
  if (event.kind === RESTORE_PLAN_KIND && typeof event.planningId === 'string') {
    // Planning leaves 1 minute for storing the plan; past its budget it records why it stopped.
    const budgetMs = options.remainingMs !== undefined ? Math.max(10_000, options.remainingMs - 60_000) : undefined;
    await runPlanning(deps, event as PlanningEvent, { budgetMs, leaseMs: options.remainingMs, explain: planningFailureOf });
    return;
  }
  if (event.kind !== RESTORE_STEP_KIND || typeof event.jobId !== 'string' || typeof event.seq !== 'number') {
    throw new Error(
      `Unknown restore event ${JSON.stringify(event).slice(0, 200)}; expected {kind: "${RESTORE_STEP_KIND}", jobId, seq} or {kind: "${RESTORE_PLAN_KIND}", planningId}.`,
    );
  }
  // Leave 2 minutes of the invocation for the write in progress, the checkpoint and the continuation push.
  const budgetMs = options.remainingMs !== undefined ? Math.max(10_000, options.remainingMs - 120_000) : undefined;
  await runRestoreStep(deps, event as RestoreStepEvent, { budgetMs });
}

/** A planning error as the page will show it: the same message (and field) the resolver gave when it planned itself. */
function planningFailureOf(error: unknown): PlanningFailure | undefined {
  const known = restoreAdminError(error);
  if (!known) return undefined;
  const code = known.code === 'not-found' || known.code === 'unavailable' ? known.code : 'invalid';
  return { code, message: known.message, ...(known.fields.length > 0 ? { fields: known.fields.map((f) => ({ field: f.field, message: f.message })) } : {}) };
}
