/**
 * KVS keys of the backup engine. KVS keys allow only [a-zA-Z0-9:._\s-#] (no '/'), so ids are sanitised.
 */
const safe = (value: string): string => value.replace(/[^a-zA-Z0-9._-]/g, '_');

export const backupKeys = {
  job: (jobId: string) => `backup:job:${safe(jobId)}`,
  jobPrefix: 'backup:job:',
  task: (jobId: string, taskId: string) => `backup:task:${safe(jobId)}:${safe(taskId)}`,
  /** Held while a plan has a running job: one plan never runs twice at once. */
  lock: (planId: string) => `backup:lock:${safe(planId)}`,
  /** Claimed (create-if-absent) by the delivery that runs step `seq` of a job: one step never runs twice at once. */
  lease: (jobId: string, seq: number) => `backup:lease:${safe(jobId)}:${seq}`,
  /** Jobs not finished yet: what resumeStalledJobs looks at. */
  running: (jobId: string) => `backup:running:${safe(jobId)}`,
  runningPrefix: 'backup:running:',
  /** The plan's latest job (for status). */
  latestJob: (planId: string) => `backup:latest:${safe(planId)}`,
  /** The plan's last successful snapshot: the base of the next incremental run. */
  lastSuccess: (planId: string) => `backup:last:${safe(planId)}`,
};

export interface PlanLock {
  jobId: string;
  since: number;
}

export interface LastSuccess {
  snapshotId: string;
  startedAt: number;
  kind: 'basic' | 'extended';
}
