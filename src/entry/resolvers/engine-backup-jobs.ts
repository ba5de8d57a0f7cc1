import { AdminError, type BackupJobs, type BackupRunStatus, type RunState } from '../../core/admin';
import { getJobStatus, startBackup, type BackupDeps, type JobStatus } from '../../core/backup';
import type { BackupPlan } from '../../core/plans/plan';
import type { KeyValue } from '../../ports';

/**
 * The control panel's view of the backup engine: "Back up now" plans the job and queues its first step (the queue
 * consumer does the work, so the resolver answers at once), and the latest job's status becomes the panel's run.
 * Reading the status needs only KVS; starting needs the full engine ports (opened only then).
 */
export function engineBackupJobs(kv: KeyValue, engine: () => BackupDeps | Promise<BackupDeps>): BackupJobs {
  return {
    async start(plan: BackupPlan) {
      const deps = await engine();
      const result = await startBackup(deps, { plan, trigger: 'manual', now: deps.clock.now() });
      if (result.started) return { jobId: result.jobId };
      throw new AdminError('conflict', result.message);
    },
    async latest(planId: string) {
      const status = await getJobStatus({ kv }, planId);
      return status ? runStatusOf(status) : undefined;
    },
  };
}

const STATE: Record<JobStatus['state'], RunState> = {
  running: 'running',
  complete: 'complete',
  partial: 'partial',
  failed: 'failed',
  cancelled: 'failed',
};

export function runStatusOf(status: JobStatus): BackupRunStatus {
  // While the job is still planning it knows no totals yet: leave them out so the page shows an indeterminate bar.
  const planned = status.projectsTotal > 0;
  const run: BackupRunStatus = {
    jobId: status.jobId,
    planId: status.planId,
    state: STATE[status.state],
    kind: status.kind,
    startedAt: status.startedAt,
    progress: {
      projectsDone: status.projectsDone,
      issuesDone: status.issuesDone,
      ...(planned ? { projectsTotal: status.projectsTotal, issuesTotal: status.issuesTotal } : {}),
    },
    projectErrors: status.projectErrors.map((e) => ({ project: e.key, message: e.error })),
  };
  // The engine names the first few failed projects only (its job record stays small): say how many there are in all.
  if (status.projectStates.failed > status.projectErrors.length) run.projectErrorCount = status.projectStates.failed;
  if (status.finishedAt !== undefined) run.finishedAt = status.finishedAt;
  if (status.modeReason) run.modeReason = status.modeReason;
  const problems = [
    status.state === 'cancelled' ? 'The backup was cancelled.' : undefined,
    status.lastError,
    ...Object.entries(status.siteErrors).map(([part, error]) => `${part}: ${error}`),
  ].filter((p): p is string => !!p);
  if (problems.length > 0) run.message = problems.join(' ');
  return run;
}
