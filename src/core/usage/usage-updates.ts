import type { BackupStore, Clock, JobQueue, KeyValue, Logger } from '../../ports';
import { countDeletes, type Freed } from './count-deletes';
import { readUsageRecord, recountReason, USAGE_CHANGED_KEY, USAGE_KEY, type UsageRecord } from './usage-record';

export const USAGE_RECOUNT_EVENT = 'usage.recount';
/** When the scheduler last queued a recount: it asks again only after this long (the worker may still be counting). */
export const USAGE_REQUESTED_KEY = 'storage-usage:requested';
const REQUEST_AGAIN_AFTER_MS = 15 * 60 * 1000;

/**
 * Runs a deletion (an admin's delete, a retention sweep) on a store that counts what it removes, then takes exactly
 * that off the cached figure, also when the deletion stopped half-way (what was removed is gone either way).
 * Updating the figure never fails the deletion, which has happened: if it cannot be updated, it is marked for a
 * recount instead, and if even that fails the daily recount corrects it.
 */
export async function trackDeletions<T>(deps: { store: BackupStore; kv: KeyValue; clock: Clock }, run: (store: BackupStore) => Promise<T>): Promise<T> {
  const counted = countDeletes(deps.store);
  try {
    return await run(counted.store);
  } finally {
    const target = deps.store.properties.description;
    const at = deps.clock.now();
    await recordDeletion(deps.kv, target, counted.freed(), at)
      .catch(() => deps.kv.set(USAGE_CHANGED_KEY, { target, at }))
      .catch(() => undefined);
  }
}

/**
 * Takes freed bytes and objects off the figure of `target`. Deletions hold the store's maintenance lock, so two
 * never update it at once; a recount running meanwhile sees the figure change and has itself repeated.
 */
export async function recordDeletion(kv: KeyValue, target: string, freed: Freed, at: number): Promise<void> {
  if (freed.objects === 0 && freed.bytes === 0) return;
  const { record } = await readUsageRecord(kv);
  // No figure for this target: there is nothing to correct, and the next full count is due anyway.
  if (!record || record.target !== target) return;
  const next: UsageRecord = {
    ...record,
    usedBytes: Math.max(0, record.usedBytes - freed.bytes),
    objectCount: Math.max(0, record.objectCount - freed.objects),
    updatedAt: Math.max(at, record.updatedAt),
  };
  await kv.set(USAGE_KEY, next);
}

export interface RecountResult {
  target: string;
  usedBytes: number;
  objectCount: number;
  /** True when a deletion or a write landed while counting: the figure was saved and another count is due. */
  overlapped: boolean;
}

/**
 * Counts the whole store (managed storage reads its KVS catalog; FTP / SFTP lists every folder through the relay) and
 * saves the figure. Runs in the background only: from the worker after a backup, or when the scheduler asks.
 */
export async function recountUsage(deps: { store: BackupStore; kv: KeyValue; clock: Clock }): Promise<RecountResult> {
  const { store, kv, clock } = deps;
  const target = store.properties.description;
  // What the KVS said before counting: a change to either while we count means the count may have missed it.
  const before = await readUsageRecord(kv);
  const startedAt = clock.now();
  const usage = await store.usage();
  const objectCount = usage.objectCount ?? (await store.list('')).length;
  const finishedAt = clock.now();

  const after = await readUsageRecord(kv);
  // Compared as values, not times: two writes in the same millisecond must not look like none.
  const deletedMeanwhile = !!after.record && after.record.target === target && JSON.stringify(after.record) !== JSON.stringify(before.record);
  // Also by value: a backup reads its clock before its commit, so its mark may carry a time earlier than our
  // start and still describe objects our listing did not see.
  const writtenMeanwhile = !!after.changed && JSON.stringify(after.changed) !== JSON.stringify(before.changed);
  await kv.set(USAGE_KEY, { target, usedBytes: usage.usedBytes, objectCount, measuredAt: startedAt, updatedAt: finishedAt } satisfies UsageRecord);
  if (deletedMeanwhile && !writtenMeanwhile) await kv.set(USAGE_CHANGED_KEY, { target, at: finishedAt });
  // The mark we saw before counting is in the count: done with. One set meanwhile stays and asks for another count.
  else if (after.changed && !writtenMeanwhile) await kv.delete(USAGE_CHANGED_KEY);
  return { target, usedBytes: usage.usedBytes, objectCount, overlapped: deletedMeanwhile || writtenMeanwhile };
}

/**
 * The scheduler's check: queues a background recount when the figure is missing, belongs to other storage, was
 * written to since, or is a day old. Asks at most once per 15 minutes (a count of a large FTP repository takes a while).
 */
export async function requestRecountIfDue(deps: { kv: KeyValue; queue: JobQueue; clock: Clock; target: string; logger?: Logger }): Promise<string | undefined> {
  const { kv, clock } = deps;
  const now = clock.now();
  const { record, changed } = await readUsageRecord(kv);
  const reason = recountReason(record, changed, deps.target, now);
  if (!reason) return undefined;
  const requested = await kv.get<number>(USAGE_REQUESTED_KEY);
  if (typeof requested === 'number' && requested <= now && now - requested < REQUEST_AGAIN_AFTER_MS) return undefined;
  await kv.set(USAGE_REQUESTED_KEY, now);
  await deps.queue.push([{ kind: USAGE_RECOUNT_EVENT, reason }]);
  deps.logger?.info('storage use recount queued', { reason });
  return reason;
}

export function isUsageRecountEvent(event: { kind?: unknown }): boolean {
  return event.kind === USAGE_RECOUNT_EVENT;
}
