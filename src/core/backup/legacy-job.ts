import type { KeyValue } from '../../ports';
import type { BackupPlan } from '../plans/plan';
import { shorten } from './errors';
import { backupKeys } from './keys';
import { chunkCount, listOperations } from './project-list';
import { transactInGroups } from './transact-groups';
import { MAX_JOB_PROJECT_ERRORS, type BackupJob, type ProjectProgress } from './types';

/**
 * A job record written by an app version that kept every project inline (`projects: ProjectProgress[]`) and the
 * plan's selection in its plan copy. Such a record can still be the latest job of a plan after an upgrade, or even
 * be running: the status reads it as it is, and runStep moves its list out (upgradeLegacyJob) before the next unit.
 */
type LegacyJob = Omit<BackupJob, 'plan'> & { plan: BackupPlan; projects: ProjectProgress[] };

export function isLegacyJob(job: BackupJob): boolean {
  return Array.isArray((job as unknown as LegacyJob).projects);
}

/** The record in the current shape (counters, cursor), with its inline list and selection beside it. */
export function readLegacyJob(job: BackupJob): { job: BackupJob; lines: ProjectProgress[]; selection: BackupPlan['projects'] } {
  const { projects: lines, plan, ...rest } = job as unknown as LegacyJob;
  const { projects: selection, ...jobPlan } = plan;
  const failed = lines.filter((p) => p.state === 'failed');
  const cursor = lines.findIndex((p) => p.state === 'pending' || p.state === 'running');
  const planned = rest.phase !== 'plan';
  return {
    job: {
      ...rest,
      plan: jobPlan,
      // Old jobs counted issues while listing the projects: nothing is left to count.
      ...(planned ? { planned: { countedChunks: chunkCount(lines.length) } } : {}),
      projectCount: planned ? lines.length : 0,
      projectCursor: cursor === -1 ? lines.length : cursor,
      projectsComplete: lines.filter((p) => p.state === 'complete').length,
      projectsFailed: failed.length,
      issuesDone: lines.reduce((sum, p) => sum + p.issuesDone, 0),
      issuesTotal: lines.reduce((sum, p) => sum + (p.issuesTotal ?? 0), 0),
      projectErrors: failed.slice(0, MAX_JOB_PROJECT_ERRORS).map((p) => ({ key: p.key, error: shorten(p.error ?? 'failed') })),
    },
    lines,
    selection,
  };
}

/** Writes a legacy job's list and selection where the engine now reads them, then the job record in its new shape. */
export async function upgradeLegacyJob(kv: KeyValue, legacy: BackupJob): Promise<BackupJob> {
  const { job, lines, selection } = readLegacyJob(legacy);
  await transactInGroups(kv, [{ op: 'set', key: backupKeys.selection(job.jobId), value: selection }, ...listOperations(job.jobId, lines)]);
  await kv.set(backupKeys.job(job.jobId), job);
  return job;
}
