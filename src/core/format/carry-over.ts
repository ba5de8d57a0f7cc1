/**
 * Incremental runs. A snapshot's index is an ordered list of parts (layers); the new snapshot's index is the
 * previous one plus ONE small layer holding the changed entries and tombstones for deleted records. Unchanged
 * records keep pointing at their old packs and even the old index parts are shared, so the bytes a run writes
 * grow with what changed, not with the site. When the layers have piled up (too many parts, or too many
 * superseded lines) the index is compacted: rewritten as one sorted layer holding only live entries.
 */
import type { BackupStore } from '../../ports/backup-store';
import { resolveIndex, readIndexPart, writeIndexParts, type IndexPartOptions, type WriteIndexResult } from './index-parts';
import { recordKey } from './records';
import { isTombstone, type IndexEntry, type IndexLine, type IndexPartRef, type IndexTombstone } from './types';

export interface IndexChanges {
  /** Index parts this run wrote for new or changed records (later parts win over earlier ones; tombstones in them delete). */
  changedParts?: readonly IndexPartRef[];
  /** More new or changed entries held in memory (they win over `changedParts`). */
  changedEntries?: readonly IndexEntry[];
  /** Record keys (`type/id`, see recordKey) that no longer exist in Jira (a changed entry for the same key wins). */
  deletedKeys?: Iterable<string>;
}

export interface CarryOverOptions extends IndexPartOptions {
  /** Compact when superseded and deleted lines exceed this share of live entries (default 0.25). */
  maxDeadRatio?: number;
  /**
   * Compact when the index would have more small layers than this (default 24; each costs ~350 bytes of
   * manifest). The full-size parts a big project's compact index is split into do not count.
   */
  maxLayers?: number;
}

export interface CarryOverResult extends WriteIndexResult {
  /** Live entries taken unchanged from the previous snapshot. */
  carried: number;
  /** Entries added or replaced by this run. */
  changed: number;
  /** Previous entries dropped because their record was deleted. */
  deleted: number;
  /** True when the index was rewritten as one compact layer. */
  compacted: boolean;
}

export async function carryOver(
  store: BackupStore,
  previousParts: readonly IndexPartRef[],
  changes: IndexChanges,
  options: CarryOverOptions = {},
): Promise<CarryOverResult> {
  const previous = await resolveIndex(store, previousParts);

  const incoming = new Map<string, IndexEntry>();
  const deletedKeys = new Set(changes.deletedKeys ?? []);
  for (const part of changes.changedParts ?? []) {
    for (const line of await readIndexPart(store, part)) {
      const key = recordKey(line);
      if (isTombstone(line)) {
        incoming.delete(key);
        deletedKeys.add(key);
      } else {
        incoming.set(key, line);
        deletedKeys.delete(key);
      }
    }
  }
  for (const entry of changes.changedEntries ?? []) incoming.set(recordKey(entry), entry);

  const layer: IndexLine[] = [];
  for (const [key, entry] of incoming) {
    const before = previous.get(key);
    if (!before || before.sha256 !== entry.sha256 || before.pack !== entry.pack || before.line !== entry.line) layer.push(entry);
  }
  const changedKeys = new Set(layer.map(recordKey));
  let deleted = 0;
  for (const key of deletedKeys) {
    const before = previous.get(key);
    if (!before || incoming.has(key)) continue;
    layer.push(tombstoneFor(before));
    deleted++;
  }
  const changed = changedKeys.size;

  if (layer.length === 0) {
    // Nothing changed here: the new snapshot shares the previous index parts as they are.
    return { parts: [...previousParts], bytesWritten: 0, carried: previous.size, changed: 0, deleted: 0, compacted: false };
  }

  const live = new Map(previous);
  for (const line of layer) {
    if (isTombstone(line)) live.delete(recordKey(line));
    else live.set(recordKey(line), line);
  }
  const carried = live.size - changed;
  const linesAfter = previousParts.reduce((total, part) => total + part.entries, 0) + layer.length;
  const dead = linesAfter - live.size;
  const compact =
    previousParts.length === 0 ||
    dead > (options.maxDeadRatio ?? 0.25) * Math.max(live.size, 1) ||
    layersIn(previousParts) + 1 > (options.maxLayers ?? 24);

  if (compact) {
    const written = await writeIndexParts(store, live.values(), options);
    return { ...written, carried, changed, deleted, compacted: true };
  }
  const written = await writeIndexParts(store, layer, options);
  return { parts: [...previousParts, ...written.parts], bytesWritten: written.bytesWritten, carried, changed, deleted, compacted: false };
}

/** Parts smaller than half the biggest one: the layers incremental runs appended, not a compact index's pieces. */
function layersIn(parts: readonly IndexPartRef[]): number {
  const biggest = Math.max(0, ...parts.map((part) => part.entries));
  return parts.filter((part) => part.entries < biggest / 2).length;
}

function tombstoneFor(entry: IndexEntry): IndexTombstone {
  const tombstone: IndexTombstone = { type: entry.type, id: entry.id, deleted: true };
  if (entry.key !== undefined) tombstone.key = entry.key;
  if (entry.project !== undefined) tombstone.project = entry.project;
  return tombstone;
}

/**
 * Several index parts as one compact layer of live entries (later parts win). The engine writes one small part
 * per step to keep its checkpoint small, and merges them when a project is done.
 */
export async function mergeIndexParts(store: BackupStore, parts: readonly IndexPartRef[], options: IndexPartOptions = {}): Promise<WriteIndexResult> {
  if (parts.length <= 1) return { parts: [...parts], bytesWritten: 0 };
  return writeIndexParts(store, (await resolveIndex(store, parts)).values(), options);
}
