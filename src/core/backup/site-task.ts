import { classify, messageOf } from './errors';
import { jobStore } from './job-store';
import { backupKeys } from './keys';
import { siteSectionsFor } from './read-site';
import { failSiteSection } from './site-carry-over';
import type { StepContext } from './step-context';
import { writeBatch } from './write-batch';

/**
 * Site-wide data, one section per unit of work (issue types, workflows, users, boards…), each checkpointed.
 * A section Jira refuses (e.g. 403 without the admin permission) is recorded, and its records are kept from the
 * base snapshot when there is one (site-carry-over.ts); the snapshot is then partial but every project still completes.
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
      await failSiteSection(ctx, checkpoint, section, messageOf(error));
    }
    checkpoint.done.push(section.name);
    await ctx.save([{ op: 'set', key: backupKeys.task(job.jobId, 'site'), value: checkpoint }]);
  }
  job.phase = 'projects';
}

/**
 * The site step failed `maxStepAttempts` times in a row (e.g. a section Jira keeps timing out on). Sections run in
 * order and each is checkpointed, so the one failing is the first not done: it is failed like a refused one (kept
 * from the base when possible) and the remaining sections are still read. False when no section is left.
 */
export async function giveUpSiteSection(ctx: StepContext, reason: string): Promise<boolean> {
  const { deps, job } = ctx;
  const checkpoint = await jobStore.site(deps.kv, job.jobId);
  const section = siteSectionsFor(job.plan.dataTypes).find((s) => !checkpoint.done.includes(s.name));
  if (!section) return false;
  await failSiteSection(ctx, checkpoint, section, reason);
  checkpoint.done.push(section.name);
  await ctx.save([{ op: 'set', key: backupKeys.task(job.jobId, 'site'), value: checkpoint }]);
  return true;
}
