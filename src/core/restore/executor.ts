import type { JobEvent } from '../../ports';
import { JiraCallError } from './jira-call';
import { emptyCount, loadJob, saveJob, type RestoreJob, type RestorePhase } from './job-state';
import { loadPlan } from './plan-store';
import type { RestorePlan } from './plan-types';
import type { RestoreDeps } from './restore-deps';
import { BudgetSpent, isJobFatal, StepContext } from './step-context';
import { runContentPhase } from './steps/issue-content';
import { runCreateWave } from './steps/create-issues';
import { runLinksPhase } from './steps/links-step';
import { runProjectPhase } from './steps/project-step';
import { runRankPhase } from './steps/rank-step';
import { runRevertPhase } from './steps/revert-step';

export const RESTORE_STEP_KIND = 'restore.step';
/** A step stops starting new writes after this long (the consumer's timeout is 900 s; the rest is margin). */
export const DEFAULT_STEP_BUDGET_MS = 10 * 60 * 1000;
/** Unexpected errors are left to the queue's retry this many times in a row before the job is marked failed. */
const MAX_ERRORS_IN_ROW = 3;

export interface RestoreStepEvent extends JobEvent {
  kind: typeof RESTORE_STEP_KIND;
  jobId: string;
  seq: number;
}

/**
 * Starts the real run of a stored plan (the dry run the admin confirmed). One job per plan: starting the same plan
 * twice returns the existing job instead of running it twice.
 */
export async function startRestore(deps: RestoreDeps, planOrId: RestorePlan | string): Promise<RestoreJob> {
  const planId = typeof planOrId === 'string' ? planOrId : planOrId.id;
  const plan = await loadPlan(deps.kv, planId);
  if (!plan) throw new Error(`Restore plan ${planId} was not found; run the dry run again and confirm its result.`);
  const existing = await loadJob(deps.kv, planId);
  if (existing) return existing;
  const now = deps.clock.now();
  const job: RestoreJob = {
    id: plan.id,
    planId: plan.id,
    status: 'running',
    phase: plan.request.kind === 'revert' ? 'revert' : 'project',
    wave: 0,
    cursor: 0,
    inFlight: [],
    seq: 1,
    startedAt: now,
    updatedAt: now,
    steps: 0,
    rateLimitedPauses: 0,
    links: emptyCount(),
  };
  await saveJob(deps.kv, job);
  await deps.queue.push([stepEvent(job)]);
  return job;
}

export function stepEvent(job: RestoreJob): RestoreStepEvent {
  return { kind: RESTORE_STEP_KIND, jobId: job.id, seq: job.seq };
}

type JobWithErrors = RestoreJob & { errorsInRow?: number };

/** Runs one queued step: phases in order until done, the budget is spent, or Jira asks us to wait. */
export async function runRestoreStep(deps: RestoreDeps, event: RestoreStepEvent, options: { budgetMs?: number } = {}): Promise<void> {
  const job = (await loadJob(deps.kv, event.jobId)) as JobWithErrors | undefined;
  if (!job) {
    deps.logger?.warn('restore step for an unknown job ignored', { jobId: event.jobId });
    return;
  }
  // At-least-once delivery: an older event delivered again must not run the job a second time.
  if (job.status === 'done' || job.status === 'failed' || event.seq !== job.seq) return;
  const plan = await loadPlan(deps.kv, job.planId);
  if (!plan) return fail(deps, job, `The plan ${job.planId} is gone from storage.`);
  const view = await deps.snapshots.open(plan.snapshotId);
  job.status = 'running';
  job.steps++;
  job.updatedAt = deps.clock.now();
  await saveJob(deps.kv, job);
  const step = new StepContext(deps, job, plan, view, deps.clock.now() + (options.budgetMs ?? DEFAULT_STEP_BUDGET_MS));
  try {
    while (job.phase !== 'done') {
      await runPhase(step);
      if (job.phase === 'project') step.forgetTarget(); // components and versions it created join the context
      advance(job, plan);
      job.updatedAt = deps.clock.now();
      await saveJob(deps.kv, job);
    }
    job.status = 'done';
    job.finishedAt = deps.clock.now();
    job.errorsInRow = 0;
    await saveJob(deps.kv, job);
  } catch (error) {
    if (error instanceof BudgetSpent) return continueLater(deps, job, 0);
    if (error instanceof JiraCallError && error.rateLimited) {
      job.rateLimitedPauses++;
      return continueLater(deps, job, Math.min(900, Math.max(1, Math.ceil(error.retryAfterSeconds ?? 30))));
    }
    const message = error instanceof Error ? error.message : String(error);
    if (isJobFatal(error) || (job.errorsInRow ?? 0) + 1 >= MAX_ERRORS_IN_ROW) return fail(deps, job, message);
    job.errorsInRow = (job.errorsInRow ?? 0) + 1;
    job.error = message;
    await saveJob(deps.kv, job);
    throw error; // the queue redelivers this event (same seq) and the step resumes from its cursor
  }
}

async function runPhase(step: StepContext): Promise<void> {
  const { job } = step;
  switch (job.phase) {
    case 'project':
      return runProjectPhase(step);
    case 'issues':
      return runCreateWave(step, job.wave);
    case 'content':
      return runContentPhase(step);
    case 'links':
      return runLinksPhase(step);
    case 'rank':
      return runRankPhase(step);
    case 'revert':
      return runRevertPhase(step);
  }
}

function advance(job: RestoreJob, plan: RestorePlan): void {
  const maxWave = Math.max(0, ...plan.issues.map((issue) => issue.wave));
  const next: Record<RestorePhase, RestorePhase> = { project: 'issues', issues: 'content', content: 'links', links: 'rank', rank: 'done', revert: 'done', done: 'done' };
  job.cursor = 0;
  job.inFlight = [];
  job.doneAhead = [];
  if (job.phase === 'issues' && job.wave < maxWave) {
    job.wave++;
    return;
  }
  job.phase = next[job.phase];
}

async function continueLater(deps: RestoreDeps, job: JobWithErrors, delaySeconds: number): Promise<void> {
  job.seq++;
  job.status = delaySeconds > 0 ? 'waiting' : 'running';
  job.errorsInRow = 0;
  job.updatedAt = deps.clock.now();
  await saveJob(deps.kv, job);
  try {
    await deps.queue.push([stepEvent(job)], delaySeconds > 0 ? { delaySeconds } : undefined);
  } catch (error) {
    job.seq--; // let the redelivered current event carry on instead
    await saveJob(deps.kv, job);
    throw error;
  }
}

async function fail(deps: RestoreDeps, job: RestoreJob, message: string): Promise<void> {
  job.status = 'failed';
  job.error = message;
  job.finishedAt = deps.clock.now();
  await saveJob(deps.kv, job);
  deps.logger?.error('restore job failed', { jobId: job.id, error: message });
}
