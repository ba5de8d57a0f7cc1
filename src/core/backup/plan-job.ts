import { initRepository } from '../format';
import { jobStore } from './job-store';
import { backupKeys } from './keys';
import { callJson } from './jira-json';
import { jqlDateTime, projectCountJql } from './jql';
import { approximateCount } from './read-issues';
import { listProjects } from './read-project';
import { selectProjects } from './select-projects';
import type { StepContext } from './step-context';
import type { ProjectCheckpoint } from './types';
import type { KeyValueOperation } from '../../ports';
import { mapLimited } from './paging';

/**
 * The job's first step: which projects, and (incremental) the `updated >=` literal. The watermark is the base
 * run's START minus a margin, formatted in the app user's time zone: it covers minute truncation, search index
 * lag and edits made while the base run was reading.
 */
export async function planJob(ctx: StepContext): Promise<void> {
  const { deps, job, limits } = ctx;
  await initRepository(deps.store);
  const myself = await callJson<{ timeZone?: string }>(deps.jira, 'myself');
  job.timeZone = myself.timeZone ?? 'UTC';
  if (job.base) job.updatedSince = jqlDateTime(job.base.startedAt - limits.watermarkMarginMs, job.timeZone);

  const { chosen, missingKeys } = selectProjects(await listProjects(deps.jira), job.plan.projects);
  if (missingKeys.length > 0) {
    job.siteErrors.projects = `Selected project(s) ${missingKeys.join(', ')} not found in Jira (deleted, renamed or not visible to the app); they are not in this snapshot.`;
  }
  const base = await ctx.baseManifest();
  const ops: KeyValueOperation[] = [];
  const planned = await mapLimited(chosen, 4, async (project) => {
    const incremental = base?.projects.some((p) => p.key === project.key && p.state === 'complete') ?? false;
    // Issues to read, for progress: all of them, or the changed ones.
    const issuesTotal = job.plan.dataTypes.issues
      ? await approximateCount(deps.jira, projectCountJql(project.id, incremental ? job.updatedSince : undefined))
      : 0;
    const checkpoint: ProjectCheckpoint = {
      ...(await jobStore.project(deps.kv, job.jobId, project.id)),
      project,
      incremental,
      ...(incremental ? { newIssueIds: [] } : {}),
    };
    ops.push({ op: 'set', key: backupKeys.task(job.jobId, `p${project.id}`), value: checkpoint });
    return { id: String(project.id), key: project.key, name: project.name, state: 'pending' as const, issuesDone: 0, issuesTotal };
  });
  job.projects = planned;
  job.phase = 'site';
  // KVS transactions hold at most 25 operations: checkpoints go in groups, the job record last (the commit).
  for (let i = 0; i < ops.length; i += 24) await deps.kv.transact(ops.slice(i, i + 24));
  await ctx.save();
}
