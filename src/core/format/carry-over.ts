/**
 * Incremental runs: the new snapshot's index for a project is the previous one, minus deleted records, with
 * changed records pointing at this run's new packs. Unchanged records keep pointing at their old packs, so no
 * record data is rewritten; only the (compact) index is.
 */
import type { BackupStore } from '../../ports/backup-store';
import { readIndexEntries, writeIndexParts, type WriteIndexResult } from './index-parts';
import { recordKey } from './records';
import type { IndexEntry, IndexPartRef } from './types';

export interface IndexChanges {
  /** Index parts this run wrote for new or changed records (entries in later parts win over earlier ones). */
  changedParts?: readonly IndexPartRef[];
  /** More new or changed entries held in memory (they win over `changedParts`). */
  changedEntries?: readonly IndexEntry[];
  /** Record keys (`type/id`, see recordKey) that no longer exist in Jira. */
  deletedKeys?: Iterable<string>;
}

export interface CarryOverResult extends WriteIndexResult {
  /** Entries taken unchanged from the previous snapshot. */
  carried: number;
  /** Entries added or replaced by this run. */
  changed: number;
  /** Previous entries dropped because their record was deleted. */
  deleted: number;
}

export async function carryOver(
  store: BackupStore,
  previousParts: readonly IndexPartRef[],
  changes: IndexChanges,
  options: { partTargetBytes?: number } = {},
): Promise<CarryOverResult> {
  const merged = new Map<string, IndexEntry>();
  for (const entry of await readIndexEntries(store, previousParts)) merged.set(recordKey(entry), entry);
  const previousCount = merged.size;

  let deleted = 0;
  for (const key of changes.deletedKeys ?? []) if (merged.delete(key)) deleted++;

  const changed = new Map<string, IndexEntry>();
  for (const entry of await readIndexEntries(store, changes.changedParts ?? [])) changed.set(recordKey(entry), entry);
  for (const entry of changes.changedEntries ?? []) changed.set(recordKey(entry), entry);

  let replaced = 0;
  for (const [key, entry] of changed) {
    const before = merged.get(key);
    if (before && before.sha256 === entry.sha256 && before.pack === entry.pack) continue;
    merged.set(key, entry);
    replaced++;
  }

  if (deleted === 0 && replaced === 0) {
    // Nothing changed in this part of the site: the new snapshot shares the old index parts as they are.
    return { parts: [...previousParts], bytesWritten: 0, carried: previousCount, changed: 0, deleted: 0 };
  }
  const written = await writeIndexParts(store, merged.values(), options);
  return { ...written, carried: merged.size - replaced, changed: replaced, deleted };
}
