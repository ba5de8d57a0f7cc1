import { randomUUID } from 'node:crypto';
import { AuditLog } from '../core/admin';
import { formatBytes } from '../core/admin/display-format';
import { anyBackupRunning, type BackupDeps } from '../core/backup';
import { runGarbageStep, type GarbageLimits, type GarbageStepEvent, type GarbageStepOutcome } from '../core/retention';
import { trackDeletions } from '../core/usage';

/**
 * The worker's `maintenance.gc` event: one step of garbage collection (src/core/retention/garbage-step.ts) on the
 * configured store. What it deletes comes off the panel's storage-use figure exactly (trackDeletions, as rotation and
 * the panel's Delete do), and a finished run that removed anything is written to the audit log as the `retention` actor.
 */
export async function handleGarbageStep(
  deps: Pick<BackupDeps, 'store' | 'kv' | 'clock' | 'queue' | 'logger'>,
  event: GarbageStepEvent,
  options: { remainingMs: number; limits?: Partial<GarbageLimits> },
): Promise<GarbageStepOutcome> {
  const { kv, clock, queue, logger } = deps;
  const outcome = await trackDeletions(deps, (store) =>
    // Every job of any plan, running or paused (also one whose plan was removed meanwhile): the function rotation uses.
    runGarbageStep({ store, kv, clock, queue, logger, backupRunning: () => anyBackupRunning(kv) }, event, options),
  );
  if (outcome.action === 'finished' && outcome.last.deletedObjects > 0) {
    const { last } = outcome;
    const audit = new AuditLog(kv, clock, () => randomUUID().slice(0, 8));
    // The run is over either way; a failed audit write must not make Forge redeliver an event that is now stale.
    await audit
      .append({
        actor: 'retention',
        action: 'storage.cleaned',
        subject: `${last.deletedObjects} unused backup file${last.deletedObjects === 1 ? '' : 's'} removed (${formatBytes(last.freedBytes)})`,
        details: { runId: last.runId, deletedObjects: last.deletedObjects, freedBytes: last.freedBytes, reason: last.reason },
      })
      .catch((error: Error) => logger?.warn('garbage collection not audited', { runId: last.runId, error: error.message }));
  }
  if (outcome.action === 'ignored') logger?.info('garbage collection event ignored', { reason: outcome.reason });
  return outcome;
}
