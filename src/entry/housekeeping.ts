import { randomUUID } from 'node:crypto';
import { AuditLog } from '../core/admin';
import type { BackupDeps } from '../core/backup';
import {
  runHousekeepingStep, totalRemoved, type HousekeepingLimits, type HousekeepingStepEvent, type HousekeepingStepOutcome,
} from '../core/housekeeping';
import { getRestoreStatus, loadPlan } from '../core/restore';
import { FINISHED_AUDIT_PREFIX } from './restore-audited';
import { auditFinishedOnce } from './resolvers/restore-resolvers';

/**
 * The worker's `maintenance.housekeeping` event: one step of KVS housekeeping (src/core/housekeeping). A finished run
 * that removed anything is written to the audit log as the `system` actor, with the count per kind of record.
 */
export async function handleHousekeepingStep(
  deps: Pick<BackupDeps, 'store' | 'kv' | 'clock' | 'queue' | 'logger'>,
  event: HousekeepingStepEvent,
  options: { remainingMs: number; limits?: Partial<HousekeepingLimits> },
): Promise<HousekeepingStepOutcome> {
  const { kv, clock, queue, logger } = deps;
  const audit = new AuditLog(kv, clock, () => randomUUID().slice(0, 8));
  // A finished restore nobody looked at since it ended gets the `restore.finished` entry the status page would have written.
  const auditRestoreEnd = async (jobId: string) => {
    const [status, plan] = await Promise.all([getRestoreStatus({ kv }, jobId), loadPlan(kv, jobId)]);
    if (status && plan) await auditFinishedOnce({ audit }, { kv }, plan, status.job, status.outcome);
  };
  const outcome = await runHousekeepingStep(
    { kv, clock, queue, logger, store: async () => deps.store, restoreAuditedMarker: (id) => FINISHED_AUDIT_PREFIX + id, auditRestoreEnd },
    event,
    options,
  );
  if (outcome.action === 'finished' && totalRemoved(outcome.last.removed) > 0) {
    const { last } = outcome;
    const total = totalRemoved(last.removed);
    // The run is over either way; a failed audit write must not make Forge redeliver an event that is now stale.
    await audit
      .append({
        actor: 'system',
        action: 'storage.tidied',
        subject: `${total} old app record${total === 1 ? '' : 's'} removed (finished backup jobs' working data, old dry runs and restores, stale notes)`,
        details: {
          runId: last.runId, removedKeys: total,
          backupJobKeys: last.removed['backup-jobs'], restoreKeys: last.removed['restore-plannings'], garbageNotes: last.removed['gc-notes'],
        },
      })
      .catch((error: Error) => logger?.warn('housekeeping not audited', { runId: last.runId, error: error.message }));
  }
  if (outcome.action === 'ignored') logger?.info('housekeeping event ignored', { reason: outcome.reason });
  return outcome;
}
