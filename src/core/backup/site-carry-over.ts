import { appendIndexLayer, FormatError, readIndex, readSnapshot, type FailedSiteSection, type SnapshotManifest } from '../format';
import { LONG_MESSAGE_CHARS, SHORT_MESSAGE_CHARS, shorten } from './errors';
import { backupKeys, type LastSuccess } from './keys';
import type { SiteSection } from './read-site';
import type { StepContext } from './step-context';
import type { SiteCheckpoint } from './types';

/**
 * A site section whose read failed for good (e.g. Jira answers 403 after the app lost a permission). Every snapshot
 * is meant to be logically full: leaving the section out would make the newest snapshot lack, say, every workflow,
 * and retention may later delete the older snapshots that still have them. So the base snapshot's records of the
 * section are kept: their index entries are copied into this run's site index (they keep pointing at the base's
 * packs, which this snapshot then references and retention therefore keeps). The checkpoint remembers the failure
 * for the manifest (`failedSiteSections`); the job's site error says where the records came from. Without a base
 * that has such records, the section stays out, as before. Either way the snapshot is partial: the error shows.
 */
export async function failSiteSection(ctx: StepContext, checkpoint: SiteCheckpoint, section: SiteSection, error: string): Promise<void> {
  const kept = await keepFromBase(ctx, checkpoint, section);
  error = shorten(error, LONG_MESSAGE_CHARS);
  const failed: FailedSiteSection = { name: section.name, error, recordTypes: [...section.types], ...(kept ? { keptFrom: kept } : {}) };
  checkpoint.failed = [...(checkpoint.failed ?? []).filter((f) => f.name !== section.name), failed];
  // The job record keeps a shortened message (it is rewritten at every checkpoint); the manifest the longer one.
  const where = kept ? `; kept from snapshot ${kept.snapshotId} (${kept.records} records as they were on ${isoMinute(kept.startedAt)})` : '';
  ctx.job.siteErrors[section.name] = `${shorten(error, SHORT_MESSAGE_CHARS - where.length)}${where}`;
  ctx.deps.logger?.warn('site section failed', { jobId: ctx.job.jobId, section: section.name, error, keptFrom: kept?.snapshotId });
}

async function keepFromBase(ctx: StepContext, checkpoint: SiteCheckpoint, section: SiteSection): Promise<FailedSiteSection['keptFrom']> {
  const { deps, job } = ctx;
  const base = await siteBase(ctx);
  if (!base) return undefined;
  const types = new Set(section.types);
  const entries = (await readIndex(deps.store, base, 'global')).filter((entry) => types.has(entry.type));
  if (entries.length === 0) return undefined;
  const written = await appendIndexLayer(deps.store, checkpoint.parts, entries);
  checkpoint.parts = written.parts;
  job.bytesWritten += written.bytesWritten;
  // Had the base itself kept this section from an older snapshot, the records are as old as that one.
  const origin = base.failedSiteSections?.find((f) => f.name === section.name)?.keptFrom;
  return { snapshotId: origin?.snapshotId ?? base.id, startedAt: origin?.startedAt ?? base.startedAt, records: entries.length };
}

/**
 * The snapshot to keep records from: the incremental base, else (a forced full run, or an Extended run after a
 * Basic base) the plan's last complete snapshot: site records do not depend on the run's kind. A snapshot that is
 * gone or unreadable counts as none.
 */
async function siteBase(ctx: StepContext): Promise<SnapshotManifest | undefined> {
  const { deps, job } = ctx;
  try {
    const base = await ctx.baseManifest();
    if (base) return base;
    const last = await deps.kv.get<LastSuccess>(backupKeys.lastSuccess(job.planId));
    return last ? await readSnapshot(deps.store, last.snapshotId) : undefined;
  } catch (error) {
    if (!(error instanceof FormatError)) throw error;
    deps.logger?.warn('no snapshot to keep a failed site section from', { jobId: job.jobId, error: error.message });
    return undefined;
  }
}

function isoMinute(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
