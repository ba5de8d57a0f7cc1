/**
 * What a snapshot needs, worked out from its index: every index part, every pack a record lives in, every
 * attachment chunk a record references. Used at commit (to write the checksum lists and totals) and by verify.
 */
import type { BackupStore } from '../../ports/backup-store';
import { readIndexPart } from './index-parts';
import { blobPath, sha256OfPath } from './layout';
import type { IndexEntry, IndexPartRef } from './types';

export interface ReferencedObject {
  path: string;
  sha256: string;
  size: number;
  kind: 'index' | 'pack' | 'blob';
}

export interface SnapshotContents {
  objects: Map<string, ReferencedObject>;
  records: number;
}

/** Reads (and so verifies) every index part; `onEntry` sees each entry once per part it appears in. */
export async function collectContents(
  store: BackupStore,
  parts: readonly IndexPartRef[],
  onEntry?: (entry: IndexEntry) => void,
): Promise<SnapshotContents> {
  const objects = new Map<string, ReferencedObject>();
  let records = 0;
  for (const part of parts) {
    objects.set(part.path, { path: part.path, sha256: part.sha256, size: part.size, kind: 'index' });
    for (const entry of await readIndexPart(store, part)) {
      records++;
      onEntry?.(entry);
      if (!objects.has(entry.pack)) {
        objects.set(entry.pack, { path: entry.pack, sha256: sha256OfPath(entry.pack), size: entry.packSize, kind: 'pack' });
      }
      for (const blob of entry.blobs ?? []) {
        const path = blobPath(blob.sha256);
        if (!objects.has(path)) objects.set(path, { path, sha256: blob.sha256, size: blob.size, kind: 'blob' });
      }
    }
  }
  return { objects, records };
}

export function allIndexParts(manifest: { projects: { indexParts: IndexPartRef[] }[]; globalIndexParts: IndexPartRef[] }): IndexPartRef[] {
  return [...manifest.projects.flatMap((project) => project.indexParts), ...manifest.globalIndexParts];
}
