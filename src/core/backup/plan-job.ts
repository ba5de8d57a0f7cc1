import { initRepository, type SnapshotManifest } from '../format';
import type { ProjectSelection } from '../plans/plan';
import type { KeyValueOperation } from '../../ports';
import { FatalJobError, shorten } from './errors';
import { backupKeys } from './keys';
import { callJson } from './jira-json';
import { jqlDateTime, projectCountJql } from './jql';
import { mapLimited } from './paging';
import { chunkCount, listOperations, readChunk } from './project-list';
import { approximateCount } from './read-issues';
import { listProjects } from './read-project';
import { selectProjects } from './select-projects';
import type { StepContext } from './step-context';
import { transactInGroups } from './transact-groups';
import type { ProjectCheckpoint, ProjectProgress } from './types';

/** Missing selected keys the job's site error names (the rest are counted). */
const LISTED_MISSING_KEYS = 20;

/**
 * The job's first units, each its own checkpoint, so a site of thousands of projects plans across as many steps as it
 * needs: (1) which projects — their checkpoints and the project list are written, then the job record; (2) per chunk of
 * the list, Jira's issue count of each project (for progress); then the site phase.
 */
export async function planJob(ctx: StepContext): Promise<void> {
  const { job } = ctx;
  if (!job.planned) return listJobProjects(ctx);
  const chunks = chunkCount(job.projectCount);
  if (job.plan.dataTypes.issues && job.planned.countedChunks < chunks) return countChunk(ctx, job.planned.countedChunks);
  job.phase = 'site';
  await ctx.save();
}

/**
 * The watermark is the base run's START minus a margin, formatted in the app user's time zone: it covers minute
 * truncation, search index lag and edits made while the base run was reading. Nothing this writes is read before the
 * job record says `planned`, so a crash part-way simply runs it again.
 */
async function listJobProjects(ctx: StepContext): Promise<void> {
  const { deps, job, limits } = ctx;
  await initRepository(deps.store);
  const myself = await callJson<{ timeZone?: string }>(deps.jira, 'myself');
  job.timeZone = myself.timeZone ?? 'UTC';
  if (job.base) job.updatedSince = jqlDateTime(job.base.startedAt - limits.watermarkMarginMs, job.timeZone);

  const selection = await deps.kv.get<ProjectSelection>(backupKeys.selection(job.jobId));
  if (!selection) throw new FatalJobError(`The project selection of backup job ${job.jobId} is missing (${backupKeys.selection(job.jobId)}); start the backup again.`);
  const { chosen, missingKeys } = selectProjects(await listProjects(deps.jira), selection);
  if (missingKeys.length > 0) {
    const named = missingKeys.slice(0, LISTED_MISSING_KEYS).join(', ');
    const more = missingKeys.length > LISTED_MISSING_KEYS ? ` and ${missingKeys.length - LISTED_MISSING_KEYS} more` : '';
    job.siteErrors.projects = shorten(`Selected project(s) ${named}${more} not found in Jira (deleted, renamed or not visible to the app); they are not in this snapshot.`);
  }
  const incremental = completeInBase(await ctx.baseManifest());
  const operations: KeyValueOperation[] = chosen.map((project) => {
    const isIncremental = incremental.has(project.key);
    const checkpoint: ProjectCheckpoint = {
      stage: 'config',
      project,
      incremental: isIncremental,
      ...(isIncremental ? { newIssueIds: [] } : {}),
      parts: [],
      issuesDone: 0,
      newIssues: 0,
      skippedAttachments: [],
      skippedAttachmentCount: 0,
    };
    return { op: 'set', key: backupKeys.task(job.jobId, `p${project.id}`), value: checkpoint };
  });
  const lines: ProjectProgress[] = chosen.map((p) => ({ id: String(p.id), key: p.key, name: p.name, state: 'pending', issuesDone: 0 }));
  await transactInGroups(deps.kv, [...operations, ...listOperations(job.jobId, lines)]);
  job.projectCount = lines.length;
  job.projectCursor = 0;
  job.planned = { countedChunks: 0 };
  await ctx.save();
}

/** Issues to read per project of one chunk, for progress: all of them, or (incremental) the changed ones. */
async function countChunk(ctx: StepContext, n: number): Promise<void> {
  const { deps, job } = ctx;
  const lines = await readChunk(deps.kv, job.jobId, n);
  const incremental = completeInBase(await ctx.baseManifest());
  await mapLimited(lines, 4, async (line) => {
    line.issuesTotal = await approximateCount(deps.jira, projectCountJql(line.id, incremental.has(line.key) ? job.updatedSince : undefined));
  });
  job.issuesTotal += lines.reduce((sum, line) => sum + (line.issuesTotal ?? 0), 0);
  job.planned = { countedChunks: n + 1 };
  await ctx.save([{ op: 'set', key: backupKeys.projectChunk(job.jobId, n), value: lines }]);
}

/** Only projects complete in the base snapshot are read incrementally; new or failed ones are read in full. */
function completeInBase(base: SnapshotManifest | undefined): Set<string> {
  return new Set((base?.projects ?? []).filter((p) => p.state === 'complete').map((p) => p.key));
}
