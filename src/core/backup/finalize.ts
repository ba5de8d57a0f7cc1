import type { KeyValueOperation } from '../../ports';
import { carryOver, commitSnapshot, MAX_LISTED_SKIPPED_ATTACHMENTS, type SnapshotDraft } from '../format';
import { collectProjects } from './collect-projects';
import { jobStore } from './job-store';
import { backupKeys, type LastFullReread, type LastSuccess } from './keys';
import type { StepContext } from './step-context';
import { usageChangedOperation } from '../usage';
import type { JobState } from './types';

/**
 * The commit: site-wide index, then the manifest (the format's commit point), then the job's bookkeeping
 * (last success, lock released). Idempotent: a redelivered finalize finds the manifest committed and
 * commitSnapshot returns it unchanged.
 */
export async function finalizeJob(ctx: StepContext): Promise<void> {
  const { deps, job } = ctx;
  const site = await jobStore.site(deps.kv, job.jobId);
  const global = await carryOver(deps.store, [], { changedParts: site.parts });

  const { projects, skipped, skippedCount } = await collectProjects(ctx);
  const state = snapshotState(projects.map((p) => p.state), Object.keys(job.siteErrors).length);
  const finishedAt = deps.clock.now();
  const draft: SnapshotDraft = {
    id: job.snapshotId,
    planId: job.planId,
    planName: job.planName,
    kind: job.kind,
    startedAt: job.startedAt,
    finishedAt,
    state: state === 'complete' ? 'complete' : state === 'partial' ? 'partial' : 'failed',
    ...(job.base ? { incrementalFrom: job.base.snapshotId } : {}),
    ...(job.modeReason ? { modeReason: job.modeReason } : {}),
    projects,
    globalIndexParts: global.parts,
    ...(site.failed?.length ? { failedSiteSections: site.failed } : {}),
    skippedAttachments: skipped.slice(0, MAX_LISTED_SKIPPED_ATTACHMENTS),
    skippedAttachmentCount: skippedCount,
    bytesWritten: job.bytesWritten + global.bytesWritten,
  };
  const manifest = await commitSnapshot(deps.store, draft);

  job.state = state;
  job.phase = 'done';
  job.finishedAt = finishedAt;
  job.bytesWritten = manifest.totals.bytesWritten;
  const ops: KeyValueOperation[] = [
    { op: 'delete', key: backupKeys.lock(job.planId) },
    { op: 'delete', key: backupKeys.running(job.jobId) },
  ];
  // Only a complete snapshot becomes the base of the next incremental run: a failed project's data in a
  // partial one is stale, and reading "changes since" it would miss what changed before it.
  if (state === 'complete') {
    ops.push({ op: 'set', key: backupKeys.lastSuccess(job.planId), value: { snapshotId: manifest.id, startedAt: job.startedAt, kind: job.kind } satisfies LastSuccess });
    // The next full re-read is counted from here (run-mode.ts): kept beside the last success so a start reads no manifests.
    if (job.mode === 'full') ops.push({ op: 'set', key: backupKeys.lastFull(job.planId), value: { snapshotId: manifest.id, startedAt: job.startedAt } satisfies LastFullReread });
  }
  // The storage-use figure no longer includes what this run added: marked in the same commit, counted in the background.
  ops.push(usageChangedOperation(deps.store.properties.description, finishedAt));
  await ctx.save(ops);
  deps.logger?.info('backup finished', { jobId: job.jobId, snapshotId: manifest.id, state, bytesWritten: job.bytesWritten });
}

export function snapshotState(projectStates: string[], siteErrorCount: number): JobState {
  const failed = projectStates.filter((s) => s !== 'complete').length;
  if (projectStates.length > 0 && failed === projectStates.length) return 'failed';
  return failed > 0 || siteErrorCount > 0 ? 'partial' : 'complete';
}
