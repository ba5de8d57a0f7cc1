import { randomUUID } from 'node:crypto';
import { classify, FatalJobError, JobCancelledError, messageOf, resumeAtOf, shorten } from './errors';
import { finalizeJob } from './finalize';
import { jobStore } from './job-store';
import { isLegacyJob, upgradeLegacyJob } from './legacy-job';
import { planJob } from './plan-job';
import { failProject, runProjectTask } from './project-task';
import { giveUpSiteSection, runSiteTask } from './site-task';
import { createStepContext, type StepContext } from './step-context';
import { backupKeys } from './keys';
import { claimLease, releaseLease, type Lease } from './claims';
import { DEFAULT_LIMITS, type BackupDeps, type BackupJob, type BackupLimits, type BackupStepEvent, type StepOptions, type StepOutcome } from './types';

/** Forge's longest delay for an async event. */
const MAX_DELAY_SECONDS = 900;

/**
 * Runs one step of a backup job: as much work as fits in the step's time budget, checkpointing after every
 * unit (a site section, a batch of issues, a project's merge), then sends the next step's event.
 *
 * Delivery is at least once: an event whose `seq` is not the job's current one is a duplicate or stale and is
 * ignored; a redelivered current event resumes from the last checkpoint. Every write is content-addressed or
 * keyed by job + task, so repeating work never duplicates data.
 */
export async function runStep(deps: BackupDeps, event: BackupStepEvent, options: StepOptions): Promise<StepOutcome> {
  const limits = { ...DEFAULT_LIMITS, ...deps.limits };
  const { kv, clock } = deps;
  const me = options.invocationId ?? randomUUID();
  const found = await jobStore.get(kv, event.jobId);
  if (!found) return { action: 'ignored', reason: `no backup job ${event.jobId} (deleted, or never started)` };
  if (found.state !== 'running') return { action: 'ignored', reason: `job ${found.jobId} already ${found.state}` };
  if (event.seq !== found.seq) return { action: 'ignored', reason: `step ${event.seq} of job ${found.jobId} is not the current step ${found.seq} (duplicate or stale event)` };

  let now = clock.now();
  let job = found;
  const leaseKey = backupKeys.lease(job.jobId, job.seq);
  if (kv.createIfAbsent) {
    // One delivery per step: the per-step key is created atomically, so of two concurrent deliveries one stands back.
    const leaseUntil = now + Math.max(0, Math.min(limits.stepBudgetMs, options.remainingMs - limits.stepMarginMs)) + limits.stepMarginMs;
    if (!(await claimLease(kv, leaseKey, { owner: me, until: leaseUntil }, now))) {
      const held = await kv.get<Lease>(leaseKey);
      return { action: 'retry-later', afterSeconds: Math.max(1, Math.min(MAX_DELAY_SECONDS, Math.ceil(((held?.until ?? now + 60_000) - now) / 1000))) };
    }
    // Read the job again under the lease: another delivery may have finished this step (and released its lease) after
    // our first read.
    const current = await jobStore.get(kv, event.jobId);
    if (!current || current.state !== 'running' || current.seq !== event.seq) {
      await releaseLease(kv, leaseKey, me);
      return { action: 'ignored', reason: `step ${event.seq} of job ${event.jobId} was already run by another delivery` };
    }
    job = current;
    now = clock.now();
  } else if (job.lease && job.lease.seq === job.seq && job.lease.owner !== me && job.lease.until > now) {
    return { action: 'retry-later', afterSeconds: Math.min(MAX_DELAY_SECONDS, Math.ceil((job.lease.until - now) / 1000)) };
  }
  if (!kv.createIfAbsent) return runLeasedStep(deps, limits, job, event, options, me, now);
  try {
    return await runLeasedStep(deps, limits, job, event, options, me, now);
  } finally {
    // Released once the job's next seq is saved (or the step failed): a late duplicate then re-reads the job and
    // finds its seq gone; a redelivery after a failure need not wait for the lease to expire.
    await releaseLease(kv, leaseKey, me).catch(() => undefined);
  }
}

async function runLeasedStep(
  deps: BackupDeps,
  limits: BackupLimits,
  job: BackupJob,
  event: BackupStepEvent,
  options: StepOptions,
  me: string,
  now: number,
): Promise<StepOutcome> {
  const { kv, clock } = deps;
  if (isLegacyJob(job)) job = await upgradeLegacyJob(kv, job);
  if (job.pausedUntil !== undefined && job.pausedUntil > now) {
    // Jira's quota is still exhausted: wait without spending a call.
    return pushNext(deps, job, event, limits.chainPushLimit, secondsUntil(job.pausedUntil, now), false);
  }

  const budget = Math.max(0, Math.min(limits.stepBudgetMs, options.remainingMs - limits.stepMarginMs));
  const deadline = now + budget;
  job.attempts++;
  job.lease = { seq: job.seq, owner: me, until: deadline + limits.stepMarginMs };
  job.pausedUntil = undefined;
  const ctx = createStepContext(deps, limits, job, deadline);
  try {
    await ctx.save();
  } catch (error) {
    if (error instanceof JobCancelledError) return { action: 'finished', state: 'cancelled' };
    throw error;
  }
  const confirmed = await jobStore.get(kv, job.jobId);
  if (confirmed?.lease?.owner !== me) return { action: 'retry-later', afterSeconds: 60 };

  try {
    if (job.attempts > limits.maxStepAttempts) await giveUpCurrentWork(ctx);
    await advance(ctx);
  } catch (error) {
    if (error instanceof JobCancelledError) return { action: 'finished', state: 'cancelled' };
    // The job in memory may be ahead of its checkpoints (the unit that failed had started changing it):
    // continue from what KVS holds, never from memory.
    const kind = classify(error);
    const saved = (await jobStore.get(kv, job.jobId)) ?? job;
    saved.lastError = shorten(messageOf(error));
    saved.lease = undefined;
    if (kind === 'pause') {
      const resumeAt = resumeAtOf(error) ?? clock.now() + 60_000;
      saved.pausedUntil = resumeAt;
      deps.logger?.warn('Jira asked to pause', { jobId: job.jobId, resumeAt, error: saved.lastError });
      return pushNext(deps, saved, event, limits.chainPushLimit, secondsUntil(resumeAt, clock.now()), true);
    }
    if (kind === 'fatal') {
      await failJob(createStepContext(deps, limits, saved, deadline), saved.lastError);
      return { action: 'finished', state: 'failed' };
    }
    // Transient (or unknown): keep the checkpoint, let the platform redeliver this step.
    saved.updatedAt = clock.now();
    await jobStore.put(kv, saved);
    throw error;
  }

  if (job.phase === 'done') return { action: 'finished', state: job.state, snapshotId: job.snapshotId };
  return pushNext(deps, job, event, limits.chainPushLimit, undefined, true);
}

async function advance(ctx: StepContext): Promise<void> {
  const { job } = ctx;
  // At least one unit of work per step, however short the budget: a step must always make progress.
  for (let first = true; job.phase !== 'done' && (first || ctx.hasTime()); first = false) {
    switch (job.phase) {
      case 'plan':
        await planJob(ctx);
        break;
      case 'site':
        await runSiteTask(ctx);
        break;
      case 'projects':
        // Projects run in list order; the job record's cursor names the one in hand.
        if (job.projectCursor < job.projectCount) await runProjectTask(ctx, job.projectCursor);
        else {
          job.phase = 'finalize';
          await ctx.save();
        }
        break;
      case 'finalize':
        await finalizeJob(ctx);
        break;
    }
  }
}

/**
 * The same step failed `maxStepAttempts` times in a row: stop retrying what it was doing. A project, or a site
 * section, is failed with the last error (the others go on); failing elsewhere fails the job.
 */
async function giveUpCurrentWork(ctx: StepContext): Promise<void> {
  const { job, deps } = ctx;
  const reason = `gave up after ${job.attempts - 1} failed attempts: ${job.lastError ?? 'unknown error'}`;
  if (job.phase === 'projects' && job.projectCursor < job.projectCount) {
    const index = job.projectCursor;
    const current = await ctx.projects.line(index);
    const checkpoint = await jobStore.project(deps.kv, job.jobId, current.id);
    await failProject(ctx, current, checkpoint, reason);
    job.attempts = 1;
    await ctx.save([{ op: 'set', key: backupKeys.task(job.jobId, `p${current.id}`), value: checkpoint }, ctx.projects.operation(index)]);
    return;
  }
  if (job.phase === 'site') {
    job.attempts = 1;
    if (await giveUpSiteSection(ctx, reason)) return;
    job.siteErrors.site = shorten(reason);
    job.phase = 'projects';
    await ctx.save();
    return;
  }
  throw new FatalJobError(reason);
}

async function failJob(ctx: StepContext, message: string): Promise<void> {
  const { job } = ctx;
  job.state = 'failed';
  job.phase = 'done';
  job.lastError = message;
  job.finishedAt = ctx.deps.clock.now();
  job.lease = undefined;
  await ctx.save([
    { op: 'delete', key: backupKeys.lock(job.planId) },
    { op: 'delete', key: backupKeys.running(job.jobId) },
  ]);
  ctx.deps.logger?.error('backup failed', { jobId: job.jobId, error: message });
}

/** Moves the job to the next step and sends its event, unless this chain has used up its pushes. */
async function pushNext(
  deps: BackupDeps,
  job: BackupJob,
  event: BackupStepEvent,
  chainPushLimit: number,
  delaySeconds: number | undefined,
  advanceSeq: boolean,
): Promise<StepOutcome> {
  if (advanceSeq) {
    job.seq++;
    job.attempts = 0;
  }
  job.lease = undefined;
  const chain = event.chain + 1;
  if (chain > chainPushLimit) {
    job.waitingForScheduler = true;
    job.updatedAt = deps.clock.now();
    await jobStore.put(deps.kv, job);
    deps.logger?.info('push limit of this chain reached; the scheduled trigger carries the job on', { jobId: job.jobId, seq: job.seq });
    return { action: 'waiting-for-scheduler' };
  }
  job.waitingForScheduler = false;
  job.updatedAt = deps.clock.now();
  // Save before pushing: a crash in between leaves a job the scheduler re-seeds, never two live chains.
  await jobStore.put(deps.kv, job);
  const next: BackupStepEvent = { kind: 'backup.step', jobId: job.jobId, seq: job.seq, chain };
  await deps.queue.push([next], delaySeconds ? { delaySeconds } : undefined);
  return { action: 'continued', seq: job.seq, ...(delaySeconds ? { delaySeconds } : {}) };
}

function secondsUntil(at: number, now: number): number {
  return Math.max(1, Math.min(MAX_DELAY_SECONDS, Math.ceil((at - now) / 1000)));
}
