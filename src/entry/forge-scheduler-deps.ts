import { randomUUID } from 'node:crypto';
import { forgeCreateIfAbsent, consoleLogger } from '../adapters/forge';
import { AuditLog, ConfigurationStore } from '../core/admin';
import { anyBackupRunning, resumeStalledJobs, startBackup } from '../core/backup';
import { askGarbageCollectionToYield, clearGarbageYield, garbageCollectionTick, rotationSweep } from '../core/retention';
import { requestRecountIfDue, trackDeletions } from '../core/usage';
import { housekeepingTick } from '../core/housekeeping';
import { forgeBackupDeps, forgePorts } from './forge-ports';
import { siteTimeZoneFrom } from './resolvers/site-time-zone';
import type { SchedulerWiring } from './scheduler';

/**
 * The scheduled trigger's collaborators on Forge: plans from the configuration store, the site's time zone from Jira,
 * atomic slot claims (KVS FAIL_IF_EXISTS), and the backup engine's start and resume. A scheduled start is written to
 * the audit log with the actor `scheduler`, as the page's "Back up now" is written with the admin's account.
 * Retention runs here too, so it never races a backup it could not see: deletions are audited with the actor `retention`.
 * Garbage collection is started here and run by the worker; a scheduled start it held up makes it stand back.
 */
export function forgeSchedulerDeps(): SchedulerWiring {
  const { clock, kv, secrets, jira, queue } = forgePorts();
  const audit = new AuditLog(kv, clock, () => randomUUID().slice(0, 8));
  const logger = consoleLogger('scheduler');
  const loadPlans = () => new ConfigurationStore(kv, secrets).plans();
  const timeZone = siteTimeZoneFrom(jira);
  return {
    keyValue: kv,
    clock,
    logger,
    createIfAbsent: forgeCreateIfAbsent,
    loadPlans,
    siteTimeZone: timeZone,
    startBackup: async (plan, request) => {
      const deps = await forgeBackupDeps('scheduler');
      // The slot's time is the job's `now`, so a trigger that fires twice maps to the same job.
      const result = await startBackup(deps, { plan, trigger: 'schedule', now: request.slotAt, kind: request.kind, timeZone: request.timeZone });
      // Old backups are being removed (minutes): fail the slot so the next ticks retry it, rather than skip the day.
      // Garbage collection (which may hold the lock over many steps) stands back until this backup has started.
      if (!result.started && result.reason === 'maintenance') {
        await askGarbageCollectionToYield(kv, clock.now());
        throw new Error(`scheduled backup deferred: ${result.message}`);
      }
      if (!result.started) {
        logger.info('scheduled backup not started', { planId: plan.id, slotId: request.slotId, reason: result.reason, message: result.message });
        return;
      }
      await clearGarbageYield(kv);
      await audit.append({ actor: 'scheduler', action: 'backup.started', subject: plan.name, details: { planId: plan.id, jobId: result.jobId, kind: result.kind, slot: request.slotId } });
    },
    resumeStalledJobs: async () => {
      await resumeStalledJobs(await forgeBackupDeps('scheduler'));
    },
    rotate: async () => {
      const [plans, deps] = await Promise.all([loadPlans(), forgeBackupDeps('retention')]);
      // What the sweep deletes comes off the panel's storage-use figure exactly (src/core/usage).
      return trackDeletions(deps, async (store) => rotationSweep({
        store, kv, plans, timeZone: await timeZone(), now: clock.now(),
        // Every running job, of any plan (also one whose plan was removed meanwhile).
        backupRunning: () => anyBackupRunning(kv),
        onDeleted: async (plan, report) => {
          for (const id of report.deleted) {
            const reason = report.remove.find((r) => r.id === id)?.reason ?? 'retention policy';
            await audit.append({ actor: 'retention', action: 'backup.deleted', subject: `${plan.name} ${id}`, details: { planId: plan.id, snapshotId: id, reason } });
          }
        },
      }));
    },
    collectGarbage: async () => {
      const { store } = await forgeBackupDeps('gc');
      return garbageCollectionTick({ store, kv, queue, clock, logger, backupRunning: () => anyBackupRunning(kv) });
    },
    // Only KVS: it never opens the store (the worker's steps do, for garbage collection's age notes).
    keepHouse: () => housekeepingTick({ kv, queue, clock, logger }),
    checkUsage: async () => {
      const { store } = await forgeBackupDeps('usage');
      return requestRecountIfDue({ kv, queue, clock, target: store.properties.description, logger });
    },
  };
}
