import { jobStore } from './job-store';
import { backupKeys } from './keys';
import { isLegacyJob, readLegacyJob } from './legacy-job';
import { readProjects } from './project-list';
import {
  DEFAULT_LIMITS, type BackupDeps, type BackupJob, type BackupStepEvent, type JobPhase, type JobState, type ProjectProgress, type ProjectTaskState,
} from './types';

/** Projects a status lists by name (the first of the plan's list); counts cover them all. */
export const STATUS_PROJECTS = 50;
/** The most lines getJobProjects returns at once (a resolver answers within 5 MB; 500 lines are ~100 KB). */
export const MAX_PROJECTS_PAGE = 500;

/** One project of a job, as the status shows it. */
export type JobProjectLine = Omit<ProjectProgress, 'id'> & { id: string };

/** What the control panel shows about a plan's latest backup. Bounded however many projects the site has. */
export interface JobStatus {
  jobId: string;
  planId: string;
  snapshotId: string;
  state: JobState;
  phase: JobPhase;
  mode: 'full' | 'incremental';
  /** Why that mode ("full: last full re-read 7 days ago (every 7 days)"); absent for jobs started before it was recorded. */
  modeReason?: string;
  kind: 'basic' | 'extended';
  startedAt: number;
  updatedAt: number;
  finishedAt?: number;
  projectsDone: number;
  projectsTotal: number;
  /** Projects per state (they add up to projectsTotal). */
  projectStates: Record<ProjectTaskState, number>;
  /** The first STATUS_PROJECTS projects of the job with their state; getJobProjects pages through the rest. */
  projects: JobProjectLine[];
  /** The project being backed up now. */
  currentProject?: JobProjectLine;
  issuesDone: number;
  /** Approximate (Jira's count when the job was planned). */
  issuesTotal: number;
  /** Failed projects with their error: the first MAX_JOB_PROJECT_ERRORS; projectStates.failed counts them all. */
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

/** The job record in the current shape, with the inline list of a record written by an older app version. */
async function readJob(deps: Pick<BackupDeps, 'kv'>, jobId: string): Promise<{ job: BackupJob; lines?: ProjectProgress[] } | undefined> {
  const stored = await jobStore.get(deps.kv, jobId);
  if (!stored) return undefined;
  return isLegacyJob(stored) ? readLegacyJob(stored) : { job: stored };
}

export async function getJobStatusById(deps: Pick<BackupDeps, 'kv'>, jobId: string): Promise<JobStatus | undefined> {
  const found = await readJob(deps, jobId);
  if (!found) return undefined;
  const { job } = found;
  const page = (from: number, limit: number) => (found.lines ? found.lines.slice(from, from + limit) : readProjects(deps.kv, jobId, job.projectCount, from, limit));
  const projects = await page(0, STATUS_PROJECTS);
  const inHand = job.state === 'running' && job.phase === 'projects' && job.projectCursor < job.projectCount;
  const current = inHand ? (job.projectCursor < projects.length ? projects[job.projectCursor] : (await page(job.projectCursor, 1))[0]) : undefined;
  const running = current?.state === 'running' ? 1 : 0;
  const projectsDone = job.projectsComplete + job.projectsFailed;
  return {
    jobId: job.jobId,
    planId: job.planId,
    snapshotId: job.snapshotId,
    state: job.state,
    phase: job.phase,
    mode: job.mode,
    ...(job.modeReason ? { modeReason: job.modeReason } : {}),
    kind: job.kind,
    startedAt: job.startedAt,
    updatedAt: job.updatedAt,
    ...(job.finishedAt !== undefined ? { finishedAt: job.finishedAt } : {}),
    projectsDone,
    projectsTotal: job.projectCount,
    projectStates: { pending: job.projectCount - projectsDone - running, running, complete: job.projectsComplete, failed: job.projectsFailed },
    projects,
    ...(current ? { currentProject: current } : {}),
    issuesDone: job.issuesDone,
    issuesTotal: job.issuesTotal,
    projectErrors: job.projectErrors,
    siteErrors: job.siteErrors,
    ...(job.lastError ? { lastError: job.lastError } : {}),
    ...(job.pausedUntil ? { pausedUntil: job.pausedUntil } : {}),
    waitingForScheduler: job.waitingForScheduler === true,
    bytesWritten: job.bytesWritten,
  };
}

/**
 * Projects `from` … `from + limit - 1` of a job's list with their state and error (at most MAX_PROJECTS_PAGE), and how
 * many the list holds: for a view that pages through thousands of projects.
 */
export async function getJobProjects(
  deps: Pick<BackupDeps, 'kv'>,
  jobId: string,
  page: { from: number; limit: number },
): Promise<{ projects: JobProjectLine[]; total: number } | undefined> {
  if (!Number.isInteger(page.from) || page.from < 0 || !Number.isInteger(page.limit) || page.limit < 1 || page.limit > MAX_PROJECTS_PAGE) {
    throw new RangeError(`A page of projects starts at a whole number ≥ 0 and holds 1 to ${MAX_PROJECTS_PAGE} projects; got from ${page.from}, limit ${page.limit}.`);
  }
  const found = await readJob(deps, jobId);
  if (!found) return undefined;
  const { job, lines } = found;
  const projects = lines ? lines.slice(page.from, page.from + page.limit) : await readProjects(deps.kv, jobId, job.projectCount, page.from, page.limit);
  return { projects, total: lines ? lines.length : job.projectCount };
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
