/**
 * The commit point. Packs, chunks and index parts (with their checksum lists) are written first; then, once every
 * object the new index parts reference is known to be present, the manifest. A crash anywhere before the
 * manifest's put leaves no visible snapshot (only unreferenced objects, which collectGarbage removes).
 */
import type { BackupStore } from '../../ports/backup-store';
import { FORMAT_NAME, FORMAT_VERSION } from './constants';
import { FormatError } from './errors';
import { findMissingObjects } from './existence';
import { sha256Hex } from './hashing';
import { objectsOf } from './index-parts';
import { snapshotManifestPath } from './layout';
import { encodeManifest, sealManifest, validateDraft } from './manifest';
import { readManifestFile, writeProjectLists } from './project-lists';
import { allIndexParts, collectContents, indexLists, type ReferencedObject } from './referenced';
import type { SnapshotDraft, SnapshotManifest, StoredManifest } from './types';

export interface CommitOptions {
  /**
   * Check that the objects this run's index parts reference are present before committing (default true).
   * Parts shared with the `incrementalFrom` snapshot were checked when that one was committed.
   */
  checkObjectsExist?: boolean;
}

/**
 * Commits a snapshot and returns its manifest. Idempotent: when the manifest is already there (a redelivered
 * event), the committed manifest is returned as it is.
 */
export async function commitSnapshot(store: BackupStore, draft: SnapshotDraft, options: CommitOptions = {}): Promise<SnapshotManifest> {
  validateDraft(draft);
  const path = snapshotManifestPath(draft.id);
  if (await store.stat(path)) {
    const existing = await readManifestFile(store, path);
    if (existing.planId !== draft.planId || existing.startedAt !== draft.startedAt) {
      throw new FormatError('invalid', `Snapshot ${draft.id} already exists and belongs to another run (plan ${existing.planId}); choose another id.`, path);
    }
    return existing;
  }

  const shared = await partsOf(store, draft.incrementalFrom);
  const toCheck = new Map<string, ReferencedObject>();
  const contents = await collectContents(store, indexLists(draft), (line, part) => {
    if (shared.has(part.path)) return;
    toCheck.set(part.sums.path, { ...part.sums, kind: 'sums' });
    for (const object of objectsOf(line)) toCheck.set(object.path, { ...object, size: -1, kind: 'pack' });
  });
  if (options.checkObjectsExist !== false) {
    for (const object of toCheck.values()) object.size = contents.objects.get(object.path)!.size;
    const missing = await findMissingObjects(store, toCheck.values());
    if (missing.length > 0) {
      const sample = missing.slice(0, 5).map((object) => object.path).join(', ');
      throw new FormatError(
        'missing',
        `Snapshot ${draft.id} cannot be committed: ${missing.length} object(s) it refers to are missing or incomplete (${sample}). ` +
          'Were older snapshots deleted while this backup ran? Run the backup again.',
        missing[0].path,
      );
    }
  }

  // Before the manifest, like every object it names: the manifest stays the commit point.
  const lists = await writeProjectLists(store, draft.projects);
  const objects = [...contents.objects.values(), ...lists.refs];
  const { bytesWritten, projects, ...described } = draft;
  const totals = {
    records: contents.records,
    objects: objects.length,
    bytesReferenced: objects.reduce((sum, object) => sum + object.size, 0),
    bytesWritten: bytesWritten + lists.bytesWritten,
  };
  const unsized = sealManifest({ format: FORMAT_NAME, formatVersion: FORMAT_VERSION, ...described, projectLists: lists.refs, totals });
  // The manifest's own bytes count as written; adding them barely changes its length, so measure once and seal again.
  const manifest = sealManifest({ ...withoutSeal(unsized), totals: { ...totals, bytesWritten: totals.bytesWritten + encodeManifest(unsized).byteLength } });
  const bytes = encodeManifest(manifest);
  if (bytes.byteLength > store.properties.maxObjectBytes) {
    throw new FormatError(
      'too-large',
      `The manifest of ${draft.id} is ${bytes.byteLength} bytes (${draft.globalIndexParts.length} global index part references, ${lists.refs.length} project lists, ` +
        `${draft.skippedAttachments.length} skipped attachments listed), more than ${store.properties.description} accepts in one object (${store.properties.maxObjectBytes}). ` +
        'Compact the global index (carryOver maxLayers) or use storage with a larger object limit.',
      path,
    );
  }
  await store.put(path, bytes, sha256Hex(bytes));
  return { ...manifest, projects };
}

/** Index part paths of the snapshot an incremental run builds on (empty when there is none or it is unreadable). */
async function partsOf(store: BackupStore, snapshotId: string | undefined): Promise<Set<string>> {
  if (snapshotId === undefined || !(await store.stat(snapshotManifestPath(snapshotId)))) return new Set();
  try {
    const previous = await readManifestFile(store, snapshotManifestPath(snapshotId));
    return new Set(allIndexParts(previous).map((part) => part.path));
  } catch (error) {
    if (error instanceof FormatError) return new Set(); // check everything instead
    throw error;
  }
}

function withoutSeal(manifest: StoredManifest): Omit<StoredManifest, 'manifestSha256'> {
  const { manifestSha256: _seal, ...rest } = manifest;
  return rest;
}
