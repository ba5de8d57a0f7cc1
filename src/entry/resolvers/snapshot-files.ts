import { AdminError, type BackupDownload, type BackupFile, type BackupFiles } from '../../core/admin';
import { deleteSnapshot, FormatError, listSnapshotIds, readSnapshotHeader, type StoredManifest } from '../../core/format';
import { snapshotManifestPath } from '../../core/format/layout';
import { randomUUID } from 'node:crypto';
import { anyBackupRunning, MAINTENANCE_MESSAGE, releaseMaintenanceLock, takeMaintenanceLock } from '../../core/backup';
import type { BackupStore, Clock, KeyValue } from '../../ports';
import { trackDeletions } from '../../core/usage';

/** How an admin gets at a snapshot: a short-lived link (managed storage), or its place on their own server. */
export type DownloadLocation =
  | { type: 'link'; linkFor: (path: string) => Promise<{ url: string; expiresAt?: number }> }
  | { type: 'server'; server: string; folder: string };

/** Summaries of snapshots already read, one KVS key each: a manifest never changes once committed. */
export const FILE_SUMMARY_PREFIX = 'admin:file:';
/**
 * What a delete must coordinate with: the engine's KVS (running jobs, the store's maintenance lock). A running backup
 * may reuse objects only the deleted snapshot references, so deleting waits until no backup of any plan runs, and
 * holds the maintenance lock meanwhile so none starts.
 */
export interface DeleteGuard {
  kv: KeyValue;
  clock: Clock;
}

export const DELETE_WHILE_BACKING_UP = 'A backup is running; delete old backups after it finishes.';

/** Manifests read at once when the cache is cold (the first panel load after many backups). */
const READ_CONCURRENCY = 8;

/**
 * The control panel's backup files, read from the repository in the store: one file per committed snapshot
 * (a snapshot exists exactly when its manifest does). With `cache`, each manifest is read once and its summary kept
 * in KVS, so the panel costs one listing plus a few KVS pages however many backups there are (25 s resolver limit).
 * Deleting removes the snapshot and the objects only it used.
 */
export function snapshotBackupFiles(store: BackupStore, location: DownloadLocation, cache?: KeyValue, guard?: DeleteGuard): BackupFiles {
  return {
    async list() {
      const ids = await listSnapshotIds(store);
      const cached = cache ? await cachedSummaries(cache) : new Map<string, BackupFile>();
      const missing = ids.filter((id) => !cached.has(id));
      for (let i = 0; i < missing.length; i += READ_CONCURRENCY) {
        const read = await Promise.all(missing.slice(i, i + READ_CONCURRENCY).map((id) => summaryOf(store, id)));
        for (const file of read) {
          if (!file) continue; // a damaged manifest: the format layer's verify reports it; the list shows what can be restored
          cached.set(file.id, file);
          await cache?.set(FILE_SUMMARY_PREFIX + file.id, file);
        }
      }
      if (cache) {
        const present = new Set(ids);
        for (const id of cached.keys()) if (!present.has(id)) await cache.delete(FILE_SUMMARY_PREFIX + id);
      }
      return ids.map((id) => cached.get(id)).filter((file): file is BackupFile => !!file);
    },
    async delete(id: string) {
      const ids = await listSnapshotIds(store);
      if (!ids.includes(id)) throw new AdminError('not-found', 'This backup no longer exists. Reload the page.');
      if (!guard) {
        await deleteSnapshot(store, id, ids.filter((other) => other !== id));
        await cache?.delete(FILE_SUMMARY_PREFIX + id);
        return;
      }
      if (await anyBackupRunning(guard.kv)) throw new AdminError('conflict', DELETE_WHILE_BACKING_UP);
      const owner = `delete-${randomUUID()}`;
      if (!(await takeMaintenanceLock(guard.kv, owner, guard.clock.now()))) throw new AdminError('conflict', MAINTENANCE_MESSAGE);
      try {
        // A backup that started before the lock was taken is visible now (it marks itself running, then checks the lock).
        if (await anyBackupRunning(guard.kv)) throw new AdminError('conflict', DELETE_WHILE_BACKING_UP);
        // Listed again under the lock: a backup committed since the first listing keeps the objects it shares.
        const current = await listSnapshotIds(store);
        if (!current.includes(id)) throw new AdminError('not-found', 'This backup no longer exists. Reload the page.');
        // What it frees comes off the cached storage-use figure at once (the panel shows it without a recount).
        await trackDeletions({ store, kv: guard.kv, clock: guard.clock }, (counting) => deleteSnapshot(counting, id, current.filter((other) => other !== id)));
        await cache?.delete(FILE_SUMMARY_PREFIX + id);
      } finally {
        await releaseMaintenanceLock(guard.kv, owner);
      }
    },
    async download(id: string): Promise<BackupDownload> {
      const path = snapshotManifestPath(id);
      if (location.type === 'server') {
        return { type: 'path', server: location.server, path: `${location.folder.replace(/\/+$/, '')}/${path}` };
      }
      const link = await location.linkFor(path);
      return { type: 'link', url: link.url, fileName: path.split('/').pop() ?? path, ...(link.expiresAt ? { expiresAt: link.expiresAt } : {}) };
    },
  };
}

async function summaryOf(store: BackupStore, id: string): Promise<BackupFile | undefined> {
  let manifest: StoredManifest;
  try {
    manifest = await readSnapshotHeader(store, id);
  } catch (error) {
    if (error instanceof FormatError) return undefined;
    throw error;
  }
  return {
    id: manifest.id, planId: manifest.planId, planName: manifest.planName, createdAt: manifest.startedAt, kind: manifest.kind,
    sizeBytes: manifest.totals.bytesReferenced, state: manifest.state,
  };
}

async function cachedSummaries(cache: KeyValue): Promise<Map<string, BackupFile>> {
  const summaries = new Map<string, BackupFile>();
  let cursor: string | undefined;
  do {
    const page = await cache.list<BackupFile>(FILE_SUMMARY_PREFIX, { cursor, limit: 100 });
    for (const entry of page.entries) summaries.set(entry.value.id, entry.value);
    cursor = page.nextCursor;
  } while (cursor);
  return summaries;
}
