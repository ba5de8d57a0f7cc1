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
  /** The job's project list, chunk `n` (project-list.ts); zero-padded so key order is list order. */
  projectChunk: (jobId: string, n: number) => `backup:projects:${safe(jobId)}:${String(n).padStart(6, '0')}`,
  /** The plan's project selection as the job was started with it (read once, when the job is planned). */
  selection: (jobId: string) => `backup:selection:${safe(jobId)}`,
  /** The plan's latest job (for status). */
  latestJob: (planId: string) => `backup:latest:${safe(planId)}`,
  /** The plan's last successful snapshot: the base of the next incremental run. */
  lastSuccess: (planId: string) => `backup:last:${safe(planId)}`,
  /** The plan's last complete FULL snapshot: when the next full re-read is due (run-mode.ts). Written at commit. */
  lastFull: (planId: string) => `backup:lastfull:${safe(planId)}`,
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

/** A complete run that read everything (no base): incremental runs since then may miss watcher and vote changes. */
export interface LastFullReread {
  snapshotId: string;
  startedAt: number;
}
