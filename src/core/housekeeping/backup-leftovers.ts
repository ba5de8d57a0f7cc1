import type { KeyValue } from '../../ports';
import { maintenanceHeld } from '../backup/claims';
import { backupKeys } from '../backup/keys';
import type { BackupJob } from '../backup/types';
import type { DeleteBudget } from './delete-budget';
import { WORKING_KEYS_AGE_MS } from './housekeeping-run';

export interface TidyContext {
  kv: KeyValue;
  now: number;
  budget: DeleteBudget;
}

/** Prefixes of one job's numbered keys. Job ids are sanitised and followed by ':', so one job's prefix never covers another's. */
const taskPrefix = (jobId: string) => backupKeys.task(jobId, '');
const leasePrefix = (jobId: string) => backupKeys.lease(jobId, 0).replace(/\d+$/, '');
const chunkPrefix = (jobId: string) => backupKeys.projectChunk(jobId, 0).replace(/\d+$/, '');

/**
 * One backup job's keys, as housekeeping sees them (`backup:job:<job>` listed in key order). Only a job that finished
 * (complete, partial, failed, cancelled) at least WORKING_KEYS_AGE_MS ago is touched; a running or paused one never.
 * - Its working keys go: project checkpoints (`backup:task:`), step leases, the selection it was started with, a left
 *   `backup:running:` mark. Only its own steps read them, and a finished job has none left.
 * - Its record and project list (`backup:projects:`) go too, unless the job is the plan's latest (`backup:latest:`):
 *   the control panel's status reads exactly those two. Nothing else reads an old job: the next incremental run's base
 *   is `backup:last:<plan>` and that snapshot's manifest in the store; the audit log names job ids but never reads
 *   a job; plan pointers (`backup:latest:`, `backup:last:`, `backup:lastfull:`) are never touched here.
 * Answers true when the job is done with (kept, or all of it that may go is gone), false when the budget ran out.
 */
export async function tidyBackupJob(ctx: TidyContext, job: BackupJob): Promise<boolean> {
  if (!finishedLongAgo(job, ctx.now)) return true;
  const { budget, kv } = ctx;
  const working =
    (await budget.deletePrefix(leasePrefix(job.jobId))) &&
    (await budget.deletePrefix(taskPrefix(job.jobId))) &&
    (await budget.deleteIfPresent(backupKeys.selection(job.jobId))) &&
    (await budget.deleteIfPresent(backupKeys.running(job.jobId)));
  if (!working) return false;
  if (await stillShown(kv, job, ctx.now)) return true;
  // The list before the record: a step that stops in between finds the record again and finishes the job next time.
  return (await budget.deletePrefix(chunkPrefix(job.jobId), 10)) && (await budget.delete([backupKeys.job(job.jobId)]));
}

function finishedLongAgo(job: BackupJob, now: number): boolean {
  if (job.state === 'running') return false;
  const finished = job.finishedAt ?? job.updatedAt;
  // A finish "in the future" means the clock moved back: keep it rather than guess.
  return typeof finished === 'number' && finished <= now && now - finished >= WORKING_KEYS_AGE_MS;
}

/**
 * Whether the control panel may show this job: it is the plan's latest, or could become it again. A start that finds
 * old backups being removed rolls the plan's pointer back to the job before it (start.ts), so while the plan is locked
 * by a start, or maintenance is held, the job is kept for now (the next run looks again). Read right before deleting.
 */
async function stillShown(kv: KeyValue, job: BackupJob, now: number): Promise<boolean> {
  if ((await kv.get<string>(backupKeys.latestJob(job.planId))) === job.jobId) return true;
  if ((await kv.get(backupKeys.lock(job.planId))) !== undefined) return true;
  return maintenanceHeld(kv, now);
}
