/**
 * The storage-use figure the control panel shows, kept in KVS so a page load never lists the repository (a resolver
 * has 25 s; listing every folder of a large repository on an FTP server through the relay does not fit).
 *
 * Two keys:
 * - USAGE_KEY holds the last full count of one storage target, with the deletions applied since (they are exact:
 *   the deleting code knows what it removed).
 * - USAGE_CHANGED_KEY says that something wrote to the target after that count (a backup committed). A backup's exact
 *   growth is not known cheaply — its own byte count includes objects re-sent with the same content — so instead of
 *   guessing, the figure is marked for a background recount, and the page says so.
 *
 * The target is the store's description ("Managed storage", "SFTP host:22:/backups"): it names the place, so a
 * settings change that points at other storage makes the saved figure not apply, and it is measured again.
 */
import type { KeyValue } from '../../ports';

export const USAGE_KEY = 'storage-usage';
export const USAGE_CHANGED_KEY = 'storage-usage:changed';
/** A full count older than this is redone in the background, to correct anything the updates missed. */
export const USAGE_MAX_AGE_MS = 24 * 60 * 60 * 1000;

export interface UsageRecord {
  target: string;
  usedBytes: number;
  objectCount: number;
  /** Epoch ms the last full count started (what it saw is at least this fresh). */
  measuredAt: number;
  /** Epoch ms the figure last changed: the count, or a deletion applied to it. */
  updatedAt: number;
}

export interface UsageChanged {
  target: string;
  /** Epoch ms of the write. The mark stays until a count that started after it was set removes it. */
  at: number;
}

/** What the control panel may show for the current target, from KVS alone. */
export type CachedUsage =
  /** Never measured for this target (first use, or the storage settings now point elsewhere). */
  | { state: 'unmeasured' }
  | { state: 'measured'; usedBytes: number; objectCount: number; measuredAt: number; asOf: number; changedSince: boolean };

export async function readUsageRecord(kv: KeyValue): Promise<{ record?: UsageRecord; changed?: UsageChanged }> {
  const [record, changed] = await Promise.all([kv.get<UsageRecord>(USAGE_KEY), kv.get<UsageChanged>(USAGE_CHANGED_KEY)]);
  return { record: validRecord(record), changed: changed ?? undefined };
}

/** The cached figure for `target`: two KVS reads, never a store call. */
export async function readCachedUsage(kv: KeyValue, target: string): Promise<CachedUsage> {
  const { record, changed } = await readUsageRecord(kv);
  if (!record || record.target !== target) return { state: 'unmeasured' };
  return {
    state: 'measured', usedBytes: record.usedBytes, objectCount: record.objectCount, measuredAt: record.measuredAt, asOf: record.updatedAt,
    changedSince: !!changed && changed.target === target,
  };
}

/** Why the figure for `target` needs a full count now, or undefined when it is current. */
export function recountReason(record: UsageRecord | undefined, changed: UsageChanged | undefined, target: string, now: number): string | undefined {
  if (!record) return 'never measured';
  if (record.target !== target) return `storage changed (was ${record.target})`;
  if (changed && changed.target === target) return 'written since the last count';
  if (now - record.measuredAt >= USAGE_MAX_AGE_MS || record.measuredAt > now) return 'last count is over a day old';
  return undefined;
}

/**
 * The KVS operation a writer adds to its own commit (the backup's finalize transaction), so "this target changed"
 * is recorded atomically with the data becoming visible, and a crash cannot lose it.
 */
export function usageChangedOperation(target: string, at: number): { op: 'set'; key: string; value: UsageChanged } {
  return { op: 'set', key: USAGE_CHANGED_KEY, value: { target, at } };
}

/** A record someone hand-edited or an older version wrote is treated as missing: it is then simply measured again. */
function validRecord(value: UsageRecord | undefined): UsageRecord | undefined {
  if (!value || typeof value.target !== 'string') return undefined;
  const whole = (n: unknown) => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
  return whole(value.usedBytes) && whole(value.objectCount) && whole(value.measuredAt) && whole(value.updatedAt) ? value : undefined;
}
