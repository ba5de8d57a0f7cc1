import { randomUUID } from 'node:crypto';
import type { BackupStore, Clock, JobQueue, KeyValue, Logger } from '../../ports';
import { createOnce } from '../backup/claims';
import { listSnapshotIds } from '../format/catalog';
import {
  GARBAGE_RUN_KEY, GARBAGE_SEEN_KEY, GARBAGE_STALE_MS, garbageDueReason, garbageStepEvent, garbageYieldRequested, requestGarbageCollection,
  type GarbageRun,
} from './garbage-run';

export interface GarbageTickDeps {
  store: BackupStore;
  kv: KeyValue;
  clock: Clock;
  queue: JobQueue;
  /** True while any backup job is running or paused (the steps check again; this only saves a useless event). */
  backupRunning: () => Promise<boolean>;
  newRunId?: () => string;
  logger?: Logger;
}

export type GarbageTickResult =
  | { action: 'started'; runId: string; reason: string }
  | { action: 'resumed'; runId: string; reason: string }
  | undefined;

/** Snapshot ids remembered to notice deletions (at most 84 bytes each as JSON: the newest this many fit in a 240 KiB KVS value). */
const MAX_SEEN = 2_500;

/**
 * The scheduled trigger's part (every five minutes, after it started the due backups): notices snapshots that went
 * away (rotation, an admin's delete, an interrupted deletion, someone on the FTP server) and asks for a run; starts a
 * due run (requested, or a day after the last) when no backup runs; sends again the step of a run that stood back for
 * a backup or whose event was lost. The run itself is the worker's (garbage-step.ts).
 */
export async function garbageCollectionTick(deps: GarbageTickDeps): Promise<GarbageTickResult> {
  const { kv, clock } = deps;
  const now = clock.now();
  await noticeDeletedSnapshots(deps, now);

  const run = await kv.get<GarbageRun>(GARBAGE_RUN_KEY);
  if (run) {
    const stalled = now - run.updatedAt > GARBAGE_STALE_MS;
    if (!run.waiting && !stalled) return undefined;
    if ((await garbageYieldRequested(kv, now)) || (await deps.backupRunning())) return undefined;
    const reason = run.waiting ?? 'no step for 20 minutes';
    await kv.set<GarbageRun>(GARBAGE_RUN_KEY, { ...run, waiting: undefined, updatedAt: now });
    await deps.queue.push([garbageStepEvent(run)]);
    deps.logger?.info('garbage collection resumed', { runId: run.runId, seq: run.seq, reason });
    return { action: 'resumed', runId: run.runId, reason };
  }

  const reason = await garbageDueReason(kv, now);
  if (!reason) return undefined;
  if ((await garbageYieldRequested(kv, now)) || (await deps.backupRunning())) return undefined;
  const fresh: GarbageRun = {
    runId: (deps.newRunId ?? randomUUID)(), seq: 1, startedAt: now, updatedAt: now, reason, cursor: { kind: 0 }, deletedObjects: 0, freedBytes: 0,
  };
  // Two ticks at once (Forge may run a trigger twice) start one run: the atomic create picks it.
  if (!(await createOnce(kv, GARBAGE_RUN_KEY, fresh))) return undefined;
  await deps.queue.push([garbageStepEvent(fresh)]);
  deps.logger?.info('garbage collection started', { runId: fresh.runId, reason });
  return { action: 'started', runId: fresh.runId, reason };
}

/** Compares the snapshot list with the one seen last: a snapshot gone means its objects may be garbage now. */
async function noticeDeletedSnapshots(deps: GarbageTickDeps, now: number): Promise<void> {
  const ids = (await listSnapshotIds(deps.store)).sort();
  const seen = await deps.kv.get<string[]>(GARBAGE_SEEN_KEY);
  const present = new Set(ids);
  const gone = (seen ?? []).filter((id) => !present.has(id));
  if (gone.length > 0) await requestGarbageCollection(deps.kv, now, `${gone.length} snapshot${gone.length === 1 ? '' : 's'} deleted`);
  const keep = ids.slice(-MAX_SEEN);
  if (!seen || seen.length !== keep.length || seen.some((id, i) => id !== keep[i])) await deps.kv.set(GARBAGE_SEEN_KEY, keep);
}
