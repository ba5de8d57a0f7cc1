import { MAX_LISTED_SKIPPED_ATTACHMENTS, type ProjectSnapshot, type SkippedAttachmentNote } from '../format';
import { jobStore } from './job-store';
import { mapLimited } from './paging';
import { chunkCount, readChunk } from './project-list';
import type { StepContext } from './step-context';

/** Checkpoints read at once: thousands of projects in seconds, without a burst KVS would throttle. */
const CHECKPOINT_READS = 8;

/**
 * Every project of the job as the manifest lists it, in list order: its line (state) and its checkpoint (index parts,
 * count, error). Read one chunk of the list at a time; only what the manifest needs is kept in memory.
 */
export async function collectProjects(ctx: StepContext): Promise<{ projects: ProjectSnapshot[]; skipped: SkippedAttachmentNote[]; skippedCount: number }> {
  const { deps, job } = ctx;
  const projects: ProjectSnapshot[] = [];
  const skipped: SkippedAttachmentNote[] = [];
  let skippedCount = 0;
  for (let n = 0; n < chunkCount(job.projectCount); n++) {
    const lines = await readChunk(deps.kv, job.jobId, n);
    const checkpoints = await mapLimited(lines, CHECKPOINT_READS, (line) => jobStore.project(deps.kv, job.jobId, line.id));
    lines.forEach((line, i) => {
      const checkpoint = checkpoints[i];
      const error = checkpoint.error ?? line.error;
      projects.push({
        key: line.key,
        id: line.id,
        name: line.name,
        state: line.state === 'complete' ? 'complete' : 'failed',
        ...(error ? { error } : {}),
        issueCount: checkpoint.issueCount ?? 0,
        indexParts: checkpoint.finalParts ?? [],
      });
      skipped.push(...checkpoint.skippedAttachments.slice(0, Math.max(0, MAX_LISTED_SKIPPED_ATTACHMENTS - skipped.length)));
      skippedCount += checkpoint.skippedAttachmentCount;
    });
  }
  return { projects, skipped, skippedCount };
}
