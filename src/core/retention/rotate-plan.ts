import type { BackupStore } from '../../ports';
import { deleteSnapshot, listSnapshots } from '../format';
import type { RetentionPolicy } from '../plans/plan';
import { applyRetention } from './apply-retention';
import type { RetentionResult } from './types';

export interface RotatePlanOptions {
  store: BackupStore;
  planId: string;
  policy: RetentionPolicy;
  /** The site's IANA time zone (days and weeks on the site's calendar). */
  timeZone: string;
  now: number;
  /** Decide and explain, delete nothing. */
  dryRun?: boolean;
  /**
   * Snapshots that must stay whatever the policy says, with why: e.g. the snapshot a running backup builds on
   * (format/rotation.ts: deleting it under a running incremental backup breaks that backup's commit).
   */
  protect?: Record<string, string>;
  /** Stop after this many snapshot deletions (a step's budget); run again to continue. */
  maxDeletes?: number;
}

export interface RotationReport extends RetentionResult {
  dryRun: boolean;
  /** Snapshot ids actually deleted, oldest first. */
  deleted: string[];
  deletedObjects: number;
  freedBytes: number;
  /** False when maxDeletes stopped the run early. */
  done: boolean;
  /** Manifests that could not be read (corrupt): never decided, never deleted; shown so an admin can look. */
  unreadable: { id: string; error: string }[];
}

/**
 * Applies a plan's retention policy to its snapshots in the store: decides (applyRetention), then deletes the
 * removed snapshots oldest first through the format layer, which keeps every object another snapshot still uses.
 * Each deletion treats EVERY other snapshot still present (all plans) as kept, so shared packs and attachment
 * bytes go only with the last snapshot that needs them, and a crash between deletions never breaks a snapshot.
 */
export async function rotatePlan(options: RotatePlanOptions): Promise<RotationReport> {
  const { store, planId } = options;
  const { manifests, unreadable } = await listSnapshots(store);
  const own = manifests.filter((m) => m.planId === planId);
  const decision = applyRetention(
    own.map((m) => ({ id: m.id, startedAt: m.startedAt, state: m.state })),
    options.policy,
    { timeZone: options.timeZone, now: options.now },
  );
  const startedAt = new Map(own.map((m) => [m.id, m.startedAt]));
  const { keep, remove } = protectSnapshots(decision, options.protect ?? {});
  keep.sort((a, b) => startedAt.get(b.id)! - startedAt.get(a.id)! || (a.id < b.id ? -1 : 1));
  const report: RotationReport = {
    keep, remove, dryRun: options.dryRun === true, deleted: [], deletedObjects: 0, freedBytes: 0, done: true, unreadable,
  };
  if (report.dryRun) return report;

  // Unreadable manifests count as kept: deleteSnapshot then refuses rather than free objects such a snapshot may need.
  const remaining = new Set([...manifests.map((m) => m.id), ...unreadable.map((u) => u.id)]);
  const oldestFirst = remove.map((r) => r.id).sort((a, b) => startedAt.get(a)! - startedAt.get(b)!);
  for (const id of oldestFirst) {
    if (options.maxDeletes !== undefined && report.deleted.length >= options.maxDeletes) {
      report.done = false;
      break;
    }
    remaining.delete(id);
    const result = await deleteSnapshot(store, id, remaining);
    report.deleted.push(id);
    report.deletedObjects += result.deletedObjects;
    report.freedBytes += result.freedBytes;
  }
  return report;
}

function protectSnapshots(decision: RetentionResult, protect: Record<string, string>): RetentionResult {
  const keep = [...decision.keep];
  const remove = decision.remove.filter((r) => {
    if (!(r.id in protect)) return true;
    keep.push({ id: r.id, reasons: [`protected: ${protect[r.id]} (the policy alone would remove it: ${r.reason})`] });
    return false;
  });
  for (const kept of keep) if (kept.id in protect && !kept.reasons.some((r) => r.startsWith('protected'))) kept.reasons.push(`protected: ${protect[kept.id]}`);
  return { keep, remove };
}
