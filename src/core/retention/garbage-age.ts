/**
 * How old an unreferenced object is, for the margin garbage collection keeps. Most stores say when an object was
 * written (managed storage's catalog, SFTP, FTP servers that answer MLSD). FTP servers that only answer LIST (vsftpd,
 * among the commonest) give no usable time, and an object of unknown age must never be deleted on sight. For those,
 * the first run that finds the object unreferenced notes the time in KVS (one small key per such object); a later run
 * deletes it once that note is older than the margin — the object has existed, unreferenced, at least that long.
 */
import type { KeyValue, StoredObject } from '../../ports';

export const GARBAGE_FIRST_SEEN_PREFIX = 'maintenance:gc:first-seen:';

/** KVS keys cannot hold '/'; object paths never hold '#'. */
export function firstSeenKey(path: string): string {
  return GARBAGE_FIRST_SEEN_PREFIX + path.replace(/\//g, '#');
}

export type ObjectAge =
  /** Written before the cutoff, by the store's own time. */
  | 'old'
  /** Its age is unknown, but a run noted it unreferenced before the cutoff. */
  | 'old-noted'
  | 'young';

/** Whether an unreferenced object is older than `cutoff`; notes objects of unknown age the first time they are seen. */
export async function ageOf(kv: KeyValue, object: StoredObject, cutoff: number, now: number): Promise<ObjectAge> {
  if (object.modifiedAt !== undefined) return object.modifiedAt < cutoff ? 'old' : 'young';
  const noted = await kv.get<number>(firstSeenKey(object.path));
  if (typeof noted === 'number' && noted <= now) return noted < cutoff ? 'old-noted' : 'young';
  // Not noted yet (or noted "in the future" after the clock moved back): start counting now.
  await kv.set(firstSeenKey(object.path), now);
  return 'young';
}

/** Drops the note once the object is deleted, or found referenced again (it is no longer garbage). */
export async function forgetFirstSeen(kv: KeyValue, path: string): Promise<void> {
  await kv.delete(firstSeenKey(path));
}
