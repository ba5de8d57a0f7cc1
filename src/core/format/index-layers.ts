/**
 * Building an index step by step with a small, serialisable state: the ordered list of part refs. Each step
 * appends its entries as a new part; when the newest `fanIn` parts are of the same tier (similar entry counts)
 * they are merged into one, like an LSM tree. So the list stays short (about fanIn × log_fanIn(steps) refs, a
 * few KB for a KVS checkpoint), each entry is rewritten only a few times, and the list is at every moment a valid
 * layered index (later parts win) that a snapshot can reference as is or after mergeIndexParts.
 */
import type { BackupStore } from '../../ports/backup-store';
import { mergeIndexParts } from './carry-over';
import { writeIndexParts, type IndexPartOptions, type WriteIndexResult } from './index-parts';
import type { IndexLine, IndexPartRef } from './types';

export interface AppendIndexOptions extends IndexPartOptions {
  /** How many parts of one tier are merged into one part of the next tier (default 8). */
  fanIn?: number;
  /** The usual number of entries a step appends (default 100): parts below fanIn × this are tier 0. */
  stepEntries?: number;
}

export async function appendIndexLayer(
  store: BackupStore,
  parts: readonly IndexPartRef[],
  lines: readonly IndexLine[],
  options: AppendIndexOptions = {},
): Promise<WriteIndexResult> {
  const fanIn = Math.max(2, options.fanIn ?? 8);
  if (lines.length === 0) return { parts: [...parts], bytesWritten: 0 };
  const written = await writeIndexParts(store, lines, options);
  let list = [...parts, ...written.parts];
  let bytesWritten = written.bytesWritten;
  // Tier k holds parts of [unit·fanIn^k, unit·fanIn^(k+1)) entries; merging fanIn of them moves up a tier.
  const unit = Math.max(1, options.stepEntries ?? 100);
  const tier = (part: IndexPartRef): number => Math.max(0, Math.floor(Math.log(Math.max(part.entries, 1) / unit) / Math.log(fanIn) + 1e-9));
  for (;;) {
    const tail = list.slice(-fanIn);
    if (tail.length < fanIn || !tail.every((part) => tier(part) === tier(tail[0]))) break;
    const merged = await mergeIndexParts(store, tail, options);
    bytesWritten += merged.bytesWritten;
    list = [...list.slice(0, -fanIn), ...merged.parts];
    if (merged.parts.length !== 1) break; // a merged tier split for size: leave it, merging again would not shrink it
  }
  return { parts: list, bytesWritten };
}
