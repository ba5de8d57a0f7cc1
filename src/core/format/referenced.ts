/**
 * What a snapshot needs, worked out from its index: every index part and its checksum list, every pack a line
 * points at, every attachment chunk a line references (superseded lines included: their layers are still part
 * of the snapshot until the index is compacted). Used at commit (totals, existence) and by verify.
 */
import type { BackupStore } from '../../ports/backup-store';
import { objectsOf, readIndexPart } from './index-parts';
import { recordKey } from './records';
import { isTombstone, type IndexLine, type IndexPartRef } from './types';

export interface ReferencedObject {
  path: string;
  sha256: string;
  size: number;
  kind: 'index' | 'sums' | 'pack' | 'blob';
}

export interface SnapshotContents {
  objects: Map<string, ReferencedObject>;
  /** Live records (after applying later layers and tombstones). */
  records: number;
}

/**
 * Reads (and so verifies) every index part of the given ordered lists (one per project, plus the global one);
 * `onLine` sees every line of every part.
 */
export async function collectContents(
  store: BackupStore,
  lists: readonly (readonly IndexPartRef[])[],
  onLine?: (line: IndexLine, part: IndexPartRef) => void,
): Promise<SnapshotContents> {
  const objects = new Map<string, ReferencedObject>();
  let records = 0;
  for (const list of lists) {
    const live = new Set<string>();
    for (const part of list) {
      objects.set(part.path, { path: part.path, sha256: part.sha256, size: part.size, kind: 'index' });
      objects.set(part.sums.path, { ...part.sums, kind: 'sums' });
      for (const line of await readIndexPart(store, part)) {
        onLine?.(line, part);
        if (isTombstone(line)) {
          live.delete(recordKey(line));
          continue;
        }
        live.add(recordKey(line));
        for (const object of objectsOf(line)) {
          if (objects.has(object.path)) continue;
          const size = object.path === line.pack ? line.packSize : line.blobs!.find((blob) => blob.sha256 === object.sha256)!.size;
          objects.set(object.path, { ...object, size, kind: object.path === line.pack ? 'pack' : 'blob' });
        }
      }
    }
    records += live.size;
  }
  return { objects, records };
}

/** Each project's ordered parts, then the global ones: the lists a manifest's index consists of. */
export function indexLists(manifest: { projects: { indexParts: IndexPartRef[] }[]; globalIndexParts: IndexPartRef[] }): IndexPartRef[][] {
  return [...manifest.projects.map((project) => project.indexParts), manifest.globalIndexParts];
}

export function allIndexParts(manifest: { projects: { indexParts: IndexPartRef[] }[]; globalIndexParts: IndexPartRef[] }): IndexPartRef[] {
  return indexLists(manifest).flat();
}
