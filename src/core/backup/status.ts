import { jobStore } from './job-store';
import { backupKeys } from './keys';
import { DEFAULT_LIMITS, type BackupDeps, type BackupStepEvent, type JobPhase, type JobState } from './types';

/** What the control panel shows about a plan's latest backup. */
export interface JobStatus {
  jobId: string;
  planId: string;
  snapshotId: string;
  state: JobState;
  phase: JobPhase;
  mode: 'full' | 'incremental';
  kind: 'basic' | 'extended';
  startedAt: number;
  updatedAt: number;
  finishedAt?: number;
  projectsDone: number;
  projectsTotal: number;
  issuesDone: number;
  /** Approximate (Jira's count when the job was planned). */
  issuesTotal: number;
  /** Per failed project: its error. */
  projectErrors: { key: string; error: string }[];
  siteErrors: Record<string, string>;
  lastError?: string;
  pausedUntil?: number;
  waitingForScheduler: boolean;
  bytesWritten: number;
}

export async function getJobStatus(deps: Pick<BackupDeps, 'kv'>, planId: string): Promise<JobStatus | undefined> {
  const jobId = await deps.kv.get<string>(backupKeys.latestJob(planId));
  return jobId ? getJobStatusById(deps, jobId) : undefined;
}

export async function getJobStatusById(deps: Pick<BackupDeps, 'kv'>, jobId: string): Promise<JobStatus | undefined> {
  const job = await jobStore.get(deps.kv, jobId);
  if (!job) return undefined;
  return {
    jobId: job.jobId,
    planId: job.planId,
    snapshotId: job.snapshotId,
    state: job.state,
    phase: job.phase,
    mode: job.mode,
    kind: job.kind,
    startedAt: job.startedAt,
    updatedAt: job.updatedAt,
    ...(job.finishedAt !== undefined ? { finishedAt: job.finishedAt } : {}),
    projectsDone: job.projects.filter((p) => p.state === 'complete' || p.state === 'failed').length,
    projectsTotal: job.projects.length,
    issuesDone: job.projects.reduce((sum, p) => sum + p.issuesDone, 0),
    issuesTotal: job.projects.reduce((sum, p) => sum + (p.issuesTotal ?? 0), 0),
    projectErrors: job.projects.filter((p) => p.error).map((p) => ({ key: p.key, error: p.error! })),
    siteErrors: job.siteErrors,
    ...(job.lastError ? { lastError: job.lastError } : {}),
    ...(job.pausedUntil ? { pausedUntil: job.pausedUntil } : {}),
    waitingForScheduler: job.waitingForScheduler === true,
    bytesWritten: job.bytesWritten,
  };
}

/**
 * Called by the scheduled trigger (every five minutes). Re-seeds jobs whose chain stopped: the push limit
 * was reached, or no step has made progress for `stallAfterMs` (an event lost after the platform's retries,
 * a crash between checkpoint and push). The new event starts a fresh chain; a duplicate is harmless
 * (runStep ignores events whose seq is not current, and a live lease makes a second delivery stand back).
 */
export async function resumeStalledJobs(deps: BackupDeps): Promise<{ resumed: string[] }> {
  const limits = { ...DEFAULT_LIMITS, ...deps.limits };
  const now = deps.clock.now();
  const resumed: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.kv.list<{ jobId: string }>(backupKeys.runningPrefix, { cursor, limit: 100 });
    for (const { value } of page.entries) {
      const job = await jobStore.get(deps.kv, value.jobId);
      if (!job || job.state !== 'running') {
        await deps.kv.delete(backupKeys.running(value.jobId));
        continue;
      }
      const stalled = now - job.updatedAt > limits.stallAfterMs && !(job.pausedUntil && job.pausedUntil > now);
      if (!job.waitingForScheduler && !stalled) continue;
      job.waitingForScheduler = false;
      job.updatedAt = now;
      await jobStore.put(deps.kv, job);
      const event: BackupStepEvent = { kind: 'backup.step', jobId: job.jobId, seq: job.seq, chain: 0 };
      await deps.queue.push([event]);
      resumed.push(job.jobId);
      deps.logger?.info('backup job re-seeded by the scheduler', { jobId: job.jobId, seq: job.seq, stalled });
    }
    cursor = page.nextCursor;
  } while (cursor);
  return { resumed };
}

/** Stops a running job: its next step is ignored, the plan's lock is released. Nothing is committed. */
export async function cancelBackup(deps: BackupDeps, planId: string): Promise<boolean> {
  const jobId = await deps.kv.get<string>(backupKeys.latestJob(planId));
  const job = jobId ? await jobStore.get(deps.kv, jobId) : undefined;
  if (!job || job.state !== 'running') return false;
  job.state = 'cancelled';
  job.phase = 'done';
  job.finishedAt = deps.clock.now();
  job.updatedAt = job.finishedAt;
  await deps.kv.transact([
    { op: 'set', key: backupKeys.job(job.jobId), value: job },
    { op: 'delete', key: backupKeys.lock(planId) },
    { op: 'delete', key: backupKeys.running(job.jobId) },
  ]);
  return true;
}
