/**
 * The commit point. Everything a snapshot needs is written first; then the checksum lists; then, only when every
 * referenced object is present, the manifest. A crash anywhere before the manifest's put leaves no visible
 * snapshot (only unreferenced objects that garbage collection removes).
 */
import type { BackupStore } from '../../ports/backup-store';
import { FORMAT_NAME, FORMAT_VERSION } from './constants';
import { writeChecksumParts } from './checksums';
import { FormatError } from './errors';
import { sha256Hex } from './hashing';
import { findMissingObjects } from './existence';
import { snapshotManifestPath } from './layout';
import { decodeManifest, encodeManifest, sealManifest, validateDraft } from './manifest';
import { getExisting } from './object-io';
import { allIndexParts, collectContents } from './referenced';
import type { SnapshotDraft, SnapshotManifest } from './types';

export interface CommitOptions {
  /** Check that every referenced pack and chunk is present before committing (default true). */
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
    const existing = decodeManifest(await getExisting(store, path), path);
    if (existing.planId !== draft.planId || existing.startedAt !== draft.startedAt) {
      throw new FormatError('invalid', `Snapshot ${draft.id} already exists and belongs to another run (plan ${existing.planId}); choose another id.`, path);
    }
    return existing;
  }

  const contents = await collectContents(store, allIndexParts(draft));
  if (options.checkObjectsExist !== false) {
    const missing = await findMissingObjects(store, [...contents.objects.values()].filter((object) => object.kind !== 'index'));
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

  const objects = [...contents.objects.values()];
  const checksums = await writeChecksumParts(store, objects);
  const bytesReferenced = objects.reduce((sum, object) => sum + object.size, 0) + checksums.parts.reduce((sum, part) => sum + part.size, 0);
  const { bytesWritten, ...described } = draft;
  const unsized = sealManifest({
    format: FORMAT_NAME,
    formatVersion: FORMAT_VERSION,
    ...described,
    totals: { records: contents.records, objects: objects.length, bytesReferenced, bytesWritten: 0 },
    checksums: checksums.parts,
  });
  // The manifest's own size belongs in bytesWritten; its digits barely change its length, so measure once and seal again.
  const approximateSize = encodeManifest(unsized).byteLength;
  const manifest = sealManifest({
    ...withoutSeal(unsized),
    totals: { ...unsized.totals, bytesWritten: bytesWritten + checksums.bytesWritten + approximateSize },
  });
  const bytes = encodeManifest(manifest);
  if (bytes.byteLength > store.properties.maxObjectBytes) {
    throw new FormatError('too-large', `The manifest of ${draft.id} is ${bytes.byteLength} bytes, more than the storage accepts; list fewer skipped attachments.`, path);
  }
  await store.put(path, bytes, sha256Hex(bytes));
  return manifest;
}

function withoutSeal(manifest: SnapshotManifest): Omit<SnapshotManifest, 'manifestSha256'> {
  const { manifestSha256: _seal, ...rest } = manifest;
  return rest;
}
