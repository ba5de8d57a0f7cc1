import { randomUUID } from 'node:crypto';
import { forgeCreateIfAbsent, consoleLogger } from '../adapters/forge';
import { AuditLog, ConfigurationStore } from '../core/admin';
import { resumeStalledJobs, startBackup } from '../core/backup';
import type { SchedulerTickDeps } from '../core/schedule/scheduler-service';
import { forgeBackupDeps, forgePorts } from './forge-ports';
import { siteTimeZoneFrom } from './resolvers/site-time-zone';

/**
 * The scheduled trigger's collaborators on Forge: plans from the configuration store, the site's time zone from Jira,
 * atomic slot claims (KVS FAIL_IF_EXISTS), and the backup engine's start and resume. A scheduled start is written to
 * the audit log with the actor `scheduler`, as the page's "Back up now" is written with the admin's account.
 */
export function forgeSchedulerDeps(): SchedulerTickDeps {
  const { clock, kv, secrets, jira } = forgePorts();
  const audit = new AuditLog(kv, clock, () => randomUUID().slice(0, 8));
  const logger = consoleLogger('scheduler');
  return {
    keyValue: kv,
    clock,
    logger,
    createIfAbsent: forgeCreateIfAbsent,
    loadPlans: () => new ConfigurationStore(kv, secrets).plans(),
    siteTimeZone: siteTimeZoneFrom(jira),
    startBackup: async (plan, request) => {
      const deps = await forgeBackupDeps('scheduler');
      // The slot's time is the job's `now`, so a trigger that fires twice maps to the same job.
      const result = await startBackup(deps, { plan, trigger: 'schedule', now: request.slotAt, kind: request.kind });
      if (!result.started) {
        logger.info('scheduled backup not started', { planId: plan.id, slotId: request.slotId, reason: result.reason, message: result.message });
        return;
      }
      await audit.append({ actor: 'scheduler', action: 'backup.started', subject: plan.name, details: { planId: plan.id, jobId: result.jobId, kind: result.kind, slot: request.slotId } });
    },
    resumeStalledJobs: async () => {
      await resumeStalledJobs(await forgeBackupDeps('scheduler'));
    },
  };
}
