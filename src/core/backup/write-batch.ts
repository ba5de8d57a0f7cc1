import type { BackupStore } from '../../ports';
import { appendIndexLayer, recordKey, writeRecords, type IndexEntry, type IndexPartRef, type SnapshotRecord } from '../format';

/**
 * Writes a batch of records as packs, appends their index entries as a new layer on the checkpoint's parts, and
 * returns the new part list. Writing the index right away keeps the KVS checkpoint small (refs, not entries) and
 * makes the batch durable: a step that dies after this but before its checkpoint simply writes the same objects
 * again. Layers merge as they pile up (format/index-layers.ts), so the list stays a few KB however large the
 * project: one ref per batch would outgrow KVS's 240 KiB value limit on projects of a few hundred thousand issues.
 */
export async function writeBatch(
  store: BackupStore,
  parts: readonly IndexPartRef[],
  records: SnapshotRecord[],
  previous?: ReadonlyMap<string, IndexEntry>,
): Promise<{ parts: IndexPartRef[]; bytesWritten: number; entries: IndexEntry[] }> {
  const unique = dedupe(records);
  if (unique.length === 0) return { parts: [...parts], bytesWritten: 0, entries: [] };
  const written = await writeRecords(store, unique, { previousEntry: previous ? (key) => previous.get(key) : undefined });
  const index = await appendIndexLayer(store, parts, written.entries);
  return { parts: index.parts, bytesWritten: written.bytesWritten + index.bytesWritten, entries: written.entries };
}

/** One record per type/id (Jira pages can repeat an item when data shifts between pages); the last read wins. */
function dedupe(records: SnapshotRecord[]): SnapshotRecord[] {
  const byKey = new Map<string, SnapshotRecord>();
  for (const record of records) byKey.set(recordKey(record), record);
  return [...byKey.values()];
}
