/**
 * Deleting snapshots without breaking the others. An object may be deleted only when no kept snapshot references
 * it; what a snapshot references is read from its index parts' checksum lists (small, flat, plain text).
 *
 * Order matters: the manifest goes first (the snapshot disappears at once, as if it had never been committed),
 * then the packs and chunks only it used, then its index parts and checksum lists. A crash half-way leaves
 * unreferenced objects, which collectGarbage removes later.
 *
 * Callers must not run this concurrently with a backup whose snapshot builds on a deleted one (its
 * incrementalFrom): keep such snapshots in `keptIds`, or the backup's commit will find objects missing.
 */
import type { BackupStore } from '../../ports/backup-store';
import { listSnapshotIds, readSnapshot } from './catalog';
import { readChecksumList } from './checksums';
import { parseObjectPath, snapshotManifestPath } from './layout';
import { allIndexParts } from './referenced';

/**
 * Every object path the given snapshots need: project lists, index parts, checksum lists and what the lists name. Manifests are
 * always read afresh. `lists` may carry checksum lists already read (path → the paths it names) from an earlier call:
 * a list's path is the SHA-256 of its bytes, checked on every read, so a list read once never says anything else —
 * garbage collection reads them outside the maintenance lock and recomputes under it without reading them again.
 */
export async function referencedObjects(store: BackupStore, snapshotIds: Iterable<string>, lists: Map<string, string[]> = new Map()): Promise<Set<string>> {
  const paths = new Set<string>();
  for (const id of snapshotIds) {
    const manifest = await readSnapshot(store, id);
    for (const list of manifest.projectLists ?? []) paths.add(list.path);
    for (const part of allIndexParts(manifest)) {
      paths.add(part.path);
      paths.add(part.sums.path);
      // Parts are shared between snapshots: read each list once.
      let named = lists.get(part.sums.path);
      if (!named) {
        named = (await readChecksumList(store, part.sums)).map((line) => line.path);
        lists.set(part.sums.path, named);
      }
      for (const path of named) paths.add(path);
    }
  }
  return paths;
}

export interface DeleteResult {
  deletedObjects: number;
  freedBytes: number;
}

/**
 * Deletes snapshot `id` and the objects no snapshot in `keptIds` needs. Safe to repeat: a snapshot already gone
 * deletes nothing (collectGarbage removes what an interrupted deletion left). Refuses (throws) when a kept
 * snapshot's manifest or checksum list cannot be read, since it could not tell what that snapshot needs.
 */
export async function deleteSnapshot(store: BackupStore, id: string, keptIds: Iterable<string>): Promise<DeleteResult> {
  if (!(await store.stat(snapshotManifestPath(id)))) return { deletedObjects: 0, freedBytes: 0 };
  const keep = await referencedObjects(store, [...keptIds].filter((keptId) => keptId !== id));
  const own = [...(await referencedObjects(store, [id]))].filter((path) => !keep.has(path));
  await store.delete(snapshotManifestPath(id));
  // Index parts and lists last: while they exist, a later garbage collection can still tell what they used.
  const last = (path: string): boolean => ['index', 'checksums'].includes(parseObjectPath(path)?.kind ?? '');
  const result: DeleteResult = { deletedObjects: 0, freedBytes: 0 };
  for (const path of [...own.filter((p) => !last(p)), ...own.filter(last)]) await deleteCounted(store, path, result);
  return result;
}

async function deleteCounted(store: BackupStore, path: string, result: DeleteResult): Promise<void> {
  const stat = await store.stat(path);
  if (!stat) return;
  await store.delete(path);
  result.deletedObjects++;
  result.freedBytes += stat.size;
}

export interface GarbageOptions {
  /**
   * Objects modified at or after this epoch ms are kept: a backup in flight may have written them and not
   * committed yet. Pass the start of the oldest running backup (or now minus a day).
   */
  keepModifiedSince: number;
  /** Stop after this many deletions (a step's budget); call again to continue. */
  maxDeletes?: number;
}

/**
 * Deletes content-addressed objects that no committed snapshot references (left by crashed backups or an
 * interrupted deleteSnapshot). Objects whose store reports no modification time are kept, since their age is unknown.
 */
export async function collectGarbage(store: BackupStore, options: GarbageOptions): Promise<DeleteResult & { done: boolean }> {
  const keep = await referencedObjects(store, await listSnapshotIds(store));
  const result = { deletedObjects: 0, freedBytes: 0, done: true };
  for (const prefix of ['packs/', 'blobs/', 'indexes/', 'checksums/', 'projects/']) {
    for (const object of await store.list(prefix)) {
      if (!parseObjectPath(object.path) || keep.has(object.path)) continue;
      if (object.modifiedAt === undefined || object.modifiedAt >= options.keepModifiedSince) continue;
      if (options.maxDeletes !== undefined && result.deletedObjects >= options.maxDeletes) return { ...result, done: false };
      await store.delete(object.path);
      result.deletedObjects++;
      result.freedBytes += object.size;
    }
  }
  return result;
}
