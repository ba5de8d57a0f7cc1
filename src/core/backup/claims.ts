import type { KeyValue } from '../../ports';
import { backupKeys } from './keys';
import type { BackupJob } from './types';

/** A time-limited exclusive claim kept in one KVS key. */
export interface Lease {
  owner: string;
  /** Epoch ms after which another caller may take the claim over. */
  until: number;
}

/**
 * Takes `key` for `lease.owner`. With the port's atomic createIfAbsent, exactly one concurrent caller wins; a claim
 * that has expired is taken over by delete + create (once — a loser of that second create stands back). Without
 * createIfAbsent, write then read back (two callers can still both win if one stalls between its read and write).
 * True when the caller holds the claim (also when it already held it).
 */
export async function claimLease(kv: KeyValue, key: string, lease: Lease, now: number): Promise<boolean> {
  if (kv.createIfAbsent) {
    if (await kv.createIfAbsent(key, lease)) return true;
    const held = await kv.get<Lease>(key);
    if (held?.owner === lease.owner) return true;
    if (held && held.until > now) return false;
    // Delete only the expired claim read above: one that another caller took over meanwhile stays (this narrows,
    // without closing, the window in which a takeover deletes a fresh claim; KVS has no compare-and-delete).
    const again = await kv.get<Lease>(key);
    if (again && (again.owner !== held?.owner || again.until !== held?.until)) return false;
    if (again) await kv.delete(key);
    return kv.createIfAbsent(key, lease);
  }
  const held = await kv.get<Lease>(key);
  if (held && held.owner !== lease.owner && held.until > now) return false;
  await kv.set(key, lease);
  return (await kv.get<Lease>(key))?.owner === lease.owner;
}

/**
 * Writes `value` at `key` only if nothing is there; true when this call wrote it. Atomic with the port's createIfAbsent
 * (Forge KVS); without it, check, write and read back (two callers can still both win if one stalls in between).
 */
export async function createOnce<T>(kv: KeyValue, key: string, value: T): Promise<boolean> {
  if (kv.createIfAbsent) return kv.createIfAbsent(key, value);
  if ((await kv.get(key)) !== undefined) return false;
  await kv.set(key, value);
  return JSON.stringify(await kv.get(key)) === JSON.stringify(value);
}

/** Releases a claim this owner holds (a claim taken over by another owner is left alone). */
export async function releaseLease(kv: KeyValue, key: string, owner: string): Promise<void> {
  const held = await kv.get<Lease>(key);
  if (held?.owner === owner) await kv.delete(key);
}

/**
 * Store-wide maintenance: held while snapshots are deleted (rotation, an admin's delete). A backup never starts while
 * it is held, and deletion never starts while a backup runs — each side writes its own mark first and then looks at
 * the other's, so at least one of two that race sees the other and stands back.
 */
export const MAINTENANCE_LOCK_KEY = 'maintenance:lock';
/** A maintenance holder that crashed blocks backups at most this long. */
export const MAINTENANCE_LEASE_MS = 15 * 60_000;
export const MAINTENANCE_MESSAGE = 'Old backups are being removed; try again in a minute.';

export function takeMaintenanceLock(kv: KeyValue, owner: string, now: number, ttlMs = MAINTENANCE_LEASE_MS): Promise<boolean> {
  return claimLease(kv, MAINTENANCE_LOCK_KEY, { owner, until: now + ttlMs }, now);
}

export function releaseMaintenanceLock(kv: KeyValue, owner: string): Promise<void> {
  return releaseLease(kv, MAINTENANCE_LOCK_KEY, owner);
}

export async function maintenanceHeld(kv: KeyValue, now: number): Promise<boolean> {
  const held = await kv.get<Lease>(MAINTENANCE_LOCK_KEY);
  return !!held && held.until > now;
}

/** True while any job of any plan is running (its `backup:running:` mark is written when it starts). */
export async function anyBackupRunning(kv: KeyValue): Promise<boolean> {
  let cursor: string | undefined;
  do {
    const page = await kv.list<{ jobId: string }>(backupKeys.runningPrefix, { cursor, limit: 100 });
    for (const { value } of page.entries) {
      const job = await kv.get<BackupJob>(backupKeys.job(value.jobId));
      if (job?.state === 'running') return true;
    }
    cursor = page.nextCursor;
  } while (cursor);
  return false;
}
