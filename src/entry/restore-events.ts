import type { JobEvent } from '../ports';
import { RESTORE_STEP_KIND, runRestoreStep, type RestoreDeps, type RestoreStepEvent } from '../core/restore';

/** True for the events this handler owns (kinds starting with `restore.`), so the worker can route them here. */
export function isRestoreEvent(event: JobEvent): boolean {
  return typeof event.kind === 'string' && event.kind.startsWith('restore.');
}

/**
 * Runs one step of a restore job. The worker passes the ports it built from the Forge adapters (KVS, the async
 * events queue, the governed requestJira client, and a SnapshotOpener over the configured BackupStore — see
 * `formatSnapshotOpener`), with `remainingMs` from the invocation so the step stops well before the 900 s timeout.
 */
export async function handleRestoreEvent(event: JobEvent, deps?: RestoreDeps, options: { remainingMs?: number } = {}): Promise<void> {
  if (!deps) {
    throw new Error(`Restore step ${event.kind} needs the app's ports (KVS, queue, Jira client, snapshot store); the worker must pass them to handleRestoreEvent.`);
  }
  if (event.kind !== RESTORE_STEP_KIND || typeof event.jobId !== 'string' || typeof event.seq !== 'number') {
    throw new Error(`Unknown restore event ${JSON.stringify(event).slice(0, 200)}; expected {kind: "${RESTORE_STEP_KIND}", jobId, seq}.`);
  }
  // Leave 2 minutes of the invocation for the write in progress, the checkpoint and the continuation push.
  const budgetMs = options.remainingMs !== undefined ? Math.max(10_000, options.remainingMs - 120_000) : undefined;
  await runRestoreStep(deps, event as RestoreStepEvent, { budgetMs });
}
