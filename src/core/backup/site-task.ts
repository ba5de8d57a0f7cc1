import { classify, messageOf } from './errors';
import { jobStore } from './job-store';
import { backupKeys } from './keys';
import { siteSectionsFor } from './read-site';
import type { StepContext } from './step-context';
import { writeBatch } from './write-batch';

/**
 * Site-wide data, one section per unit of work (issue types, workflows, users, boards…), each checkpointed.
 * A section Jira refuses (e.g. 403 without the admin permission) is recorded and skipped; the snapshot is then
 * partial but every project still completes.
 */
export async function runSiteTask(ctx: StepContext): Promise<void> {
  const { deps, job } = ctx;
  const checkpoint = await jobStore.site(deps.kv, job.jobId);
  let didOne = false;
  for (const section of siteSectionsFor(job.plan.dataTypes)) {
    if (checkpoint.done.includes(section.name)) continue;
    if (didOne && !ctx.hasTime()) return;
    didOne = true;
    try {
      const records = await section.read(deps.jira);
      const written = await writeBatch(deps.store, checkpoint.parts, records);
      checkpoint.parts = written.parts;
      job.bytesWritten += written.bytesWritten;
    } catch (error) {
      if (classify(error) !== 'permanent') throw error;
      job.siteErrors[section.name] = messageOf(error);
      deps.logger?.warn('site section failed', { jobId: job.jobId, section: section.name, error: messageOf(error) });
    }
    checkpoint.done.push(section.name);
    await ctx.save([{ op: 'set', key: backupKeys.task(job.jobId, 'site'), value: checkpoint }]);
  }
  job.phase = 'projects';
}
