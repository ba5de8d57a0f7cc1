import type { BackupStore } from '../../ports';
import { recordKey, writeIndexParts, writeRecords, type IndexEntry, type IndexPartRef, type SnapshotRecord } from '../format';

/**
 * Writes a batch of records as packs plus one index part, and returns the part refs for the checkpoint.
 * Writing the index part right away keeps the KVS checkpoint small (refs, not entries) and makes the batch
 * durable: a step that dies after this but before its checkpoint simply writes the same objects again.
 */
export async function writeBatch(
  store: BackupStore,
  records: SnapshotRecord[],
  previous?: ReadonlyMap<string, IndexEntry>,
): Promise<{ parts: IndexPartRef[]; bytesWritten: number; entries: IndexEntry[] }> {
  const unique = dedupe(records);
  if (unique.length === 0) return { parts: [], bytesWritten: 0, entries: [] };
  const written = await writeRecords(store, unique, { previousEntry: previous ? (key) => previous.get(key) : undefined });
  const index = await writeIndexParts(store, written.entries);
  return { parts: index.parts, bytesWritten: written.bytesWritten + index.bytesWritten, entries: written.entries };
}

/** One record per type/id (Jira pages can repeat an item when data shifts between pages); the last read wins. */
function dedupe(records: SnapshotRecord[]): SnapshotRecord[] {
  const byKey = new Map<string, SnapshotRecord>();
  for (const record of records) byKey.set(recordKey(record), record);
  return [...byKey.values()];
}
