import { AdminError, type BackupDownload, type BackupFile, type BackupFiles } from '../../core/admin';
import { deleteSnapshot, listSnapshotIds, listSnapshots } from '../../core/format';
import { snapshotManifestPath } from '../../core/format/layout';
import type { BackupStore } from '../../ports';

/** How an admin gets at a snapshot: a short-lived link (managed storage), or its place on their own server. */
export type DownloadLocation =
  | { type: 'link'; linkFor: (path: string) => Promise<{ url: string; expiresAt?: number }> }
  | { type: 'server'; server: string; folder: string };

/**
 * The control panel's backup files, read from the repository in the store: one file per committed snapshot
 * (a snapshot exists exactly when its manifest does). Deleting removes the snapshot and the objects only it used.
 */
export function snapshotBackupFiles(store: BackupStore, location: DownloadLocation): BackupFiles {
  return {
    async list() {
      const { manifests } = await listSnapshots(store);
      return manifests.map(
        (m): BackupFile => ({
          id: m.id, planId: m.planId, planName: m.planName, createdAt: m.startedAt, kind: m.kind, sizeBytes: m.totals.bytesReferenced, state: m.state,
        }),
      );
    },
    async delete(id: string) {
      const ids = await listSnapshotIds(store);
      if (!ids.includes(id)) throw new AdminError('not-found', 'This backup no longer exists. Reload the page.');
      await deleteSnapshot(store, id, ids.filter((other) => other !== id));
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
