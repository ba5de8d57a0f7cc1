/**
 * Finding snapshots and their records. Readers start from `snapshots/` (only committed snapshots are there) and
 * follow references inwards, verifying each object on the way.
 */
import type { BackupStore } from '../../ports/backup-store';
import { FormatError } from './errors';
import { readIndexEntries } from './index-parts';
import { isSnapshotId, SNAPSHOTS_PREFIX, snapshotManifestPath } from './layout';
import { decodeManifest } from './manifest';
import { getExisting } from './object-io';
import { withProjects } from './project-lists';
import { allIndexParts } from './referenced';
import type { IndexEntry, SnapshotManifest, StoredManifest } from './types';

/** Ids of committed snapshots, oldest first (ids sort by start time). */
export async function listSnapshotIds(store: BackupStore): Promise<string[]> {
  const ids: string[] = [];
  for (const object of await store.list(SNAPSHOTS_PREFIX)) {
    const name = object.path.slice(SNAPSHOTS_PREFIX.length);
    if (!name.endsWith('.json')) continue;
    const id = name.slice(0, -'.json'.length);
    if (isSnapshotId(id)) ids.push(id);
  }
  return ids.sort();
}

/** The snapshot's manifest with every project in `projects` (read from its project lists, each checked). */
export async function readSnapshot(store: BackupStore, id: string): Promise<SnapshotManifest> {
  return withProjects(store, await readSnapshotHeader(store, id));
}

/**
 * The manifest alone, checked, its project lists NOT read (`projects` is absent in format 2): for what needs only the
 * snapshot's own fields — the file table's plan, date, size and state — so it costs one read however many projects.
 */
export async function readSnapshotHeader(store: BackupStore, id: string): Promise<StoredManifest> {
  const path = snapshotManifestPath(id);
  const manifest = decodeManifest(await getExisting(store, path, `snapshot ${id}`), path);
  if (manifest.id !== id) throw new FormatError('corrupt', `${path} describes snapshot ${manifest.id}, not ${id}.`, path);
  return manifest;
}

/** Every committed snapshot's manifest, oldest first. A manifest that fails its check is reported, not skipped. */
export async function listSnapshots(store: BackupStore): Promise<{ manifests: SnapshotManifest[]; unreadable: { id: string; error: string }[] }> {
  const manifests: SnapshotManifest[] = [];
  const unreadable: { id: string; error: string }[] = [];
  for (const id of await listSnapshotIds(store)) {
    try {
      manifests.push(await readSnapshot(store, id));
    } catch (error) {
      if (!(error instanceof FormatError)) throw error;
      unreadable.push({ id, error: error.message });
    }
  }
  return { manifests, unreadable };
}

/** Which part of a snapshot's index to read: one project (by key), the global records, or everything. */
export type IndexScope = { project: string } | 'global' | 'all';

export async function readIndex(store: BackupStore, manifest: SnapshotManifest, scope: IndexScope = 'all'): Promise<IndexEntry[]> {
  if (scope === 'all') return readIndexEntries(store, allIndexParts(manifest));
  if (scope === 'global') return readIndexEntries(store, manifest.globalIndexParts);
  const project = manifest.projects.find((candidate) => candidate.key === scope.project);
  if (!project) {
    throw new FormatError('invalid', `Snapshot ${manifest.id} has no project ${scope.project}; it has ${manifest.projects.map((p) => p.key).join(', ') || 'none'}.`);
  }
  return readIndexEntries(store, project.indexParts);
}
