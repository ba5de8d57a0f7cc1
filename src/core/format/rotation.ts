/**
 * Deleting snapshots without breaking the others. An object may be deleted only when no kept snapshot references
 * it; what a snapshot references is read from its checksum lists (written at commit, small and flat).
 *
 * Order matters: the manifest goes first (the snapshot disappears at once, as a crash before commit would have
 * left it), then the objects only it used, then its checksum lists. A crash half-way leaves unreferenced objects,
 * which collectGarbage removes later.
 *
 * Callers must not run this concurrently with a backup whose snapshot builds on `id` (its incrementalFrom):
 * include such snapshots in `keptIds`.
 */
import type { BackupStore } from '../../ports/backup-store';
import { listSnapshotIds, readSnapshot } from './catalog';
import { readChecksumParts } from './checksums';
import { parseObjectPath, snapshotManifestPath } from './layout';
import type { SnapshotManifest } from './types';

/** Every object path the given snapshots need (their checksum lists and what the lists name). */
export async function referencedObjects(store: BackupStore, snapshotIds: Iterable<string>): Promise<Set<string>> {
  const paths = new Set<string>();
  for (const id of snapshotIds) await addReferences(store, await readSnapshot(store, id), paths);
  return paths;
}

async function addReferences(store: BackupStore, manifest: SnapshotManifest, paths: Set<string>): Promise<void> {
  for (const part of manifest.checksums) paths.add(part.path);
  for (const line of await readChecksumParts(store, manifest.checksums)) paths.add(line.path);
}

export interface DeleteResult {
  deletedObjects: number;
  freedBytes: number;
}

export async function deleteSnapshot(store: BackupStore, id: string, keptIds: Iterable<string>): Promise<DeleteResult> {
  const kept = [...keptIds].filter((keptId) => keptId !== id);
  const manifest = await readSnapshot(store, id);
  const keep = await referencedObjects(store, kept);
  const checksumPaths = new Set(manifest.checksums.map((part) => part.path));
  const own = [...(await referencedObjects(store, [id]))].filter((path) => !keep.has(path));

  await store.delete(snapshotManifestPath(id));
  let deletedObjects = 0;
  let freedBytes = 0;
  // Checksum lists last: while they exist, a retry after a crash could still learn what to delete.
  const ordered = [...own.filter((path) => !checksumPaths.has(path)), ...own.filter((path) => checksumPaths.has(path))];
  for (const path of ordered) {
    const stat = await store.stat(path);
    if (!stat) continue;
    await store.delete(path);
    deletedObjects++;
    freedBytes += stat.size;
  }
  return { deletedObjects, freedBytes };
}

export interface GarbageOptions {
  /** Objects modified at or after this epoch ms are kept: a backup in flight may have just written them. */
  keepModifiedSince: number;
  /** Stop after this many deletions (a step's budget); run again to continue. */
  maxDeletes?: number;
}

/**
 * Deletes content-addressed objects that no committed snapshot references (left by crashed backups or an
 * interrupted deleteSnapshot). Objects without a modification time are kept, since their age is unknown.
 */
export async function collectGarbage(store: BackupStore, options: GarbageOptions): Promise<DeleteResult & { done: boolean }> {
  const keep = await referencedObjects(store, await listSnapshotIds(store));
  let deletedObjects = 0;
  let freedBytes = 0;
  for (const prefix of ['packs/', 'blobs/', 'indexes/', 'checksums/']) {
    for (const object of await store.list(prefix)) {
      if (!parseObjectPath(object.path) || keep.has(object.path)) continue;
      if (object.modifiedAt === undefined || object.modifiedAt >= options.keepModifiedSince) continue;
      if (options.maxDeletes !== undefined && deletedObjects >= options.maxDeletes) return { deletedObjects, freedBytes, done: false };
      await store.delete(object.path);
      deletedObjects++;
      freedBytes += object.size;
    }
  }
  return { deletedObjects, freedBytes, done: true };
}
