import { carryOver, MAX_LISTED_SKIPPED_ATTACHMENTS, type SnapshotRecord } from '../format';
import { settleAttachments } from './attachments';
import { classify, LONG_MESSAGE_CHARS, messageOf, shorten } from './errors';
import { jobStore } from './job-store';
import { backupKeys } from './keys';
import { projectJql } from './jql';
import { issueRecord, readIssueBundles, searchIssuePage, type JiraIssue } from './read-issues';
import { findDeletedIssueIds } from './find-deleted';
import { readProjectConfiguration } from './read-project';
import type { StepContext } from './step-context';
import { MAX_JOB_PROJECT_ERRORS, type ProjectCheckpoint, type ProjectProgress } from './types';
import { writeBatch } from './write-batch';

/**
 * One project, as its own task: configuration → issues (page by page, checkpointed) → deleted issues
 * (incremental) → merge into the snapshot's index for the project. Returns when the project is finished or
 * the step's time is up. A permanent failure ends THIS project with its error; the other projects go on.
 *
 * Every checkpoint writes the project's cursor, its line of the project list and the job record (counters, and the
 * list index that moves on when the project is finished) in one transaction: they never disagree after a crash.
 */
export async function runProjectTask(ctx: StepContext, index: number): Promise<void> {
  const { deps, job } = ctx;
  const progress = await ctx.projects.line(index);
  const checkpoint = await jobStore.project(deps.kv, job.jobId, progress.id);
  const save = () => ctx.save([{ op: 'set', key: backupKeys.task(job.jobId, `p${progress.id}`), value: checkpoint }, ctx.projects.operation(index)]);
  // A function, not a narrowed field: every unit moves the stage on.
  const done = (): boolean => checkpoint.stage === 'done';
  if (done()) {
    // Finished but not yet counted (a list written by an older version of the app): count it now.
    progress.state = checkpoint.error ? 'failed' : 'complete';
    if (checkpoint.error) progress.error = shorten(checkpoint.error);
    finishProject(ctx, progress, checkpoint);
    await save();
    return;
  }
  progress.state = 'running';
  try {
    for (let first = true; !done() && (first || ctx.hasTime()); first = false) {
      switch (checkpoint.stage) {
        case 'config':
          await backUpConfiguration(ctx, progress, checkpoint);
          break;
        case 'issues':
          await backUpIssueBatch(ctx, progress, checkpoint);
          break;
        case 'deletions':
          await findDeletedIssues(ctx, progress, checkpoint);
          break;
        case 'merge':
          await mergeIndex(ctx, progress, checkpoint);
          break;
      }
      countIssues(ctx, progress, checkpoint);
      if (done()) finishProject(ctx, progress, checkpoint);
      await save();
    }
  } catch (error) {
    const kind = classify(error);
    if (kind !== 'permanent') throw error;
    deps.logger?.warn('project failed', { jobId: job.jobId, project: progress.key, error: messageOf(error) });
    await failProject(ctx, progress, checkpoint, messageOf(error));
    await save();
  }
}

/**
 * Ends a project with its error. What it still has goes into the snapshot: the base's data (incremental) or what was
 * read. The caller saves the checkpoint and the project's line (ctx.projects.operation) with the job record.
 */
export async function failProject(ctx: StepContext, progress: ProjectProgress, checkpoint: ProjectCheckpoint, message: string): Promise<void> {
  progress.state = 'failed';
  progress.error = shorten(message);
  checkpoint.error = shorten(message, LONG_MESSAGE_CHARS);
  const base = await ctx.baseManifest().catch(() => undefined);
  const previous = base?.projects.find((p) => p.key === progress.key);
  checkpoint.finalParts = previous ? previous.indexParts : checkpoint.parts;
  checkpoint.issueCount = previous ? previous.issueCount : checkpoint.issuesDone;
  checkpoint.stage = 'done';
  countIssues(ctx, progress, checkpoint);
  finishProject(ctx, progress, checkpoint);
}

/** The job's issue counter follows the project's, by the difference since its line was last written. */
function countIssues(ctx: StepContext, progress: ProjectProgress, checkpoint: ProjectCheckpoint): void {
  ctx.job.issuesDone += checkpoint.issuesDone - progress.issuesDone;
  progress.issuesDone = checkpoint.issuesDone;
}

/**
 * A finished project is counted once in the job record, which moves on to the next project. The lists only the
 * deleted-issue check needed are dropped: finalize reads every project's checkpoint, thousands of them.
 */
function finishProject(ctx: StepContext, progress: ProjectProgress, checkpoint: ProjectCheckpoint): void {
  const { job } = ctx;
  if (progress.state === 'failed') {
    job.projectsFailed++;
    if (job.projectErrors.length < MAX_JOB_PROJECT_ERRORS) job.projectErrors.push({ key: progress.key, error: progress.error ?? 'failed' });
  } else {
    progress.state = 'complete';
    job.projectsComplete++;
  }
  job.projectCursor++;
  delete checkpoint.newIssueIds;
  delete checkpoint.deletedIds;
  delete checkpoint.pageToken;
}

async function backUpConfiguration(ctx: StepContext, progress: ProjectProgress, checkpoint: ProjectCheckpoint): Promise<void> {
  const { deps, job } = ctx;
  if (!checkpoint.project) throw new Error(`Project ${progress.key} was not planned properly (no project data in its checkpoint); start the backup again.`);
  const configuration = await readProjectConfiguration(deps.jira, checkpoint.project);
  const written = await writeBatch(deps.store, checkpoint.parts, [configuration]);
  checkpoint.parts = written.parts;
  job.bytesWritten += written.bytesWritten;
  checkpoint.stage = job.plan.dataTypes.issues ? 'issues' : 'merge';
}

/**
 * Issues per batch: the configured size, halved for every earlier delivery of this step that did not finish (it
 * may have been killed by the 900 s timeout in a slow batch), down to one search page. Smaller batches always fit.
 */
export function batchSize(configured: number, attempts: number): number {
  return Math.max(100, Math.floor(configured / 2 ** Math.max(0, attempts - 1)));
}

/** Reads pages until `issuesPerCheckpoint` issues (or the end), then writes them as one batch and moves the cursor. */
async function backUpIssueBatch(ctx: StepContext, progress: ProjectProgress, checkpoint: ProjectCheckpoint): Promise<void> {
  const { deps, job, limits } = ctx;
  // Only projects complete in the base snapshot are read incrementally; new ones are read in full.
  const jql = projectJql(progress.id, checkpoint.incremental ? job.updatedSince : undefined);
  const previous = await ctx.previousIndex(progress.key);
  const issues: JiraIssue[] = [];
  let token = checkpoint.pageToken;
  let finished = false;
  do {
    const page = await searchIssuePage(deps.jira, jql, token);
    issues.push(...page.issues);
    token = page.nextPageToken;
    finished = token === undefined;
  } while (!finished && issues.length < batchSize(limits.issuesPerCheckpoint, job.attempts));

  const bundles = await readIssueBundles(deps.jira, issues, { dataTypes: job.plan.dataTypes, concurrency: limits.issueConcurrency });
  const attachments = await settleAttachments(deps.jira, deps.store, bundles, job.kind, previous);
  const records: SnapshotRecord[] = bundles.map((bundle) => issueRecord(bundle, progress.key));
  const written = await writeBatch(deps.store, checkpoint.parts, records, previous);

  checkpoint.parts = written.parts;
  checkpoint.pageToken = token;
  checkpoint.issuesDone += issues.length;
  const added = previous ? bundles.filter((b) => !previous.has(`issue/${b.id}`)) : bundles;
  checkpoint.newIssues += added.length;
  // Kept for the deleted-issue check (incremental only; few: created or moved-in issues since the base).
  // Past MAX_TRACKED_NEW_IDS the list is dropped (KVS values are ≤ 240 KiB): the check stays exact, only slower.
  if (checkpoint.incremental && checkpoint.newIssueIds !== undefined) {
    const ids = [...checkpoint.newIssueIds, ...added.map((b) => Number(b.id))];
    checkpoint.newIssueIds = ids.length <= MAX_TRACKED_NEW_IDS ? ids : undefined;
  }
  const room = MAX_LISTED_SKIPPED_ATTACHMENTS - checkpoint.skippedAttachments.length;
  checkpoint.skippedAttachments.push(...attachments.skipped.slice(0, Math.max(0, room)));
  checkpoint.skippedAttachmentCount += attachments.skipped.length;
  job.bytesWritten += written.bytesWritten + attachments.bytesWritten;
  if (finished) checkpoint.stage = checkpoint.incremental ? 'deletions' : 'merge';
}

const MAX_TRACKED_NEW_IDS = 20_000;

/** Jira has no tombstones for issues: compare the base's ids with Jira's by counting id ranges (find-deleted.ts). */
async function findDeletedIssues(ctx: StepContext, progress: ProjectProgress, checkpoint: ProjectCheckpoint): Promise<void> {
  const { deps } = ctx;
  const previous = await ctx.previousIndex(progress.key);
  const previousIds = previous ? [...previous.values()].filter((e) => e.type === 'issue').map((e) => Number(e.id)) : [];
  const deleted = await findDeletedIssueIds(deps.jira, progress.id, previousIds, checkpoint.newIssueIds);
  checkpoint.deletedIds = deleted.map(String);
  checkpoint.stage = 'merge';
}

async function mergeIndex(ctx: StepContext, progress: ProjectProgress, checkpoint: ProjectCheckpoint): Promise<void> {
  const { deps, job } = ctx;
  const base = await ctx.baseManifest();
  const previousParts = checkpoint.incremental ? (base?.projects.find((p) => p.key === progress.key)?.indexParts ?? []) : [];
  const merged = await carryOver(deps.store, previousParts, {
    changedParts: checkpoint.parts,
    deletedKeys: (checkpoint.deletedIds ?? []).map((id) => `issue/${id}`),
  });
  job.bytesWritten += merged.bytesWritten;
  checkpoint.finalParts = merged.parts;
  // Live entries are issues plus the one project record (written in the config stage).
  checkpoint.issueCount = Math.max(0, merged.carried + merged.changed - 1);
  checkpoint.stage = 'done';
  progress.state = 'complete';
}
