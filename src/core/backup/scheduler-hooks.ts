import type { StartBackup } from '../schedule/scheduler-service';
import { startBackup } from './start';
import { resumeStalledJobs } from './status';
import type { BackupDeps } from './types';

/**
 * What the scheduled trigger needs from the engine (SchedulerTickDeps.startBackup / resumeStalledJobs).
 * The slot's time is the job's `now`, so duplicate triggers for one slot map to the same job.
 */
export function backupSchedulerHooks(deps: BackupDeps): { startBackup: StartBackup; resumeStalledJobs: () => Promise<void> } {
  return {
    startBackup: async (plan, request) => {
      const result = await startBackup(deps, { plan, trigger: 'schedule', now: request.slotAt, kind: request.kind, timeZone: request.timeZone });
      // Maintenance is over within minutes: fail the slot so the scheduler retries it on its next ticks, not skip it.
      if (!result.started && result.reason === 'maintenance') throw new Error(`scheduled backup deferred: ${result.message}`);
      if (!result.started) deps.logger?.info('scheduled backup not started', { planId: plan.id, slotId: request.slotId, reason: result.reason, message: result.message });
    },
    resumeStalledJobs: async () => {
      await resumeStalledJobs(deps);
    },
  };
}
