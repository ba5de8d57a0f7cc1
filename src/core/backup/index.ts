/**
 * The backup engine's public API (control panel, scheduler, worker):
 * - startBackup(deps, { plan, trigger, now })  plan a job, send its first step
 * - runStep(deps, event, { remainingMs })      one checkpointed step (the queue consumer calls it)
 * - getJobStatus(deps, planId)                 progress and errors for the control panel
 * - resumeStalledJobs(deps)                    the scheduled trigger carries long / stalled jobs on
 * - cancelBackup(deps, planId)
 */
export { startBackup, kindFor, jobIdFor, type StartBackupInput, type StartBackupResult } from './start';
export { runStep } from './run-step';
export {
  anyBackupRunning, claimLease, releaseLease, takeMaintenanceLock, releaseMaintenanceLock, maintenanceHeld,
  MAINTENANCE_LOCK_KEY, MAINTENANCE_MESSAGE, type Lease,
} from './claims';
export {
  getJobStatus, getJobStatusById, getJobProjects, resumeStalledJobs, cancelBackup, STATUS_PROJECTS, MAX_PROJECTS_PAGE, type JobStatus, type JobProjectLine,
} from './status';
export { isBackupStepEvent } from './events';
export { JiraPausedError, JiraUnavailableError } from './jira-errors';
export { JIRA_ROUTES, jiraPath } from './jira-routes';
export * from './types';
export { backupSchedulerHooks } from './scheduler-hooks';
