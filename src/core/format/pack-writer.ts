/**
 * Writes records into packs: gzip'd JSON Lines, each named by the SHA-256 of its bytes and no bigger than the
 * store accepts. Returns the index entries that say where each record went; the caller keeps them (or writes
 * them as an index part right away when its checkpoint must stay small).
 */
import type { BackupStore } from '../../ports/backup-store';
import { DEFAULT_PACK_TARGET_BYTES } from './constants';
import { FormatError } from './errors';
import { gzip, utf8 } from './gzip';
import { putContentObject } from './object-io';
import { blobRefsOf, encodeRecord, recordKey, type EncodedRecord } from './records';
import type { IndexEntry, PackRef, SnapshotRecord } from './types';

export interface WriteRecordsOptions {
  /** Uncompressed bytes per pack before a new one starts (capped by the store's maxObjectBytes). */
  packTargetBytes?: number;
  /**
   * The entry this record had in the snapshot being carried over. When the record hashes the same, that entry
   * is reused and nothing is written (an incremental run re-reads a few unchanged issues inside its safety margin).
   */
  previousEntry?: (key: string) => IndexEntry | undefined;
}

export interface WriteRecordsResult {
  /** Packs written by this call (empty when every record was unchanged). */
  packs: PackRef[];
  /** One entry per input record, in input order. */
  entries: IndexEntry[];
  bytesWritten: number;
}

export async function writeRecords(
  store: BackupStore,
  records: readonly SnapshotRecord[],
  options: WriteRecordsOptions = {},
): Promise<WriteRecordsResult> {
  const encoded = records.map(encodeRecord);
  const seen = new Set<string>();
  for (const item of encoded) {
    const key = recordKey(item.record);
    if (seen.has(key)) throw new FormatError('invalid', `Record ${key} appears twice in one writeRecords call; pass each record once.`);
    seen.add(key);
  }

  const entries = new Map<EncodedRecord, IndexEntry>();
  const toWrite: EncodedRecord[] = [];
  for (const item of encoded) {
    const previous = options.previousEntry?.(recordKey(item.record));
    if (previous && previous.sha256 === item.sha256) entries.set(item, previous);
    else toWrite.push(item);
  }

  const maxObjectBytes = store.properties.maxObjectBytes;
  const target = Math.max(1, Math.min(options.packTargetBytes ?? DEFAULT_PACK_TARGET_BYTES, maxObjectBytes));
  const packs: PackRef[] = [];
  let bytesWritten = 0;
  for (const batch of batchesBySize(toWrite, target)) {
    for (const pack of packsThatFit(batch, maxObjectBytes)) {
      const written = await putContentObject(store, 'pack', pack.bytes);
      bytesWritten += written.bytesWritten;
      packs.push({ path: written.path, sha256: written.sha256, size: written.size, records: pack.items.length });
      pack.items.forEach((item, i) => entries.set(item, entryFor(item, written.path, written.size, i + 1)));
    }
  }
  return { packs, entries: encoded.map((item) => entries.get(item)!), bytesWritten };
}

function entryFor(item: EncodedRecord, pack: string, packSize: number, line: number): IndexEntry {
  const { type, id, key, project, updated } = item.record;
  const entry: IndexEntry = { type, id, sha256: item.sha256, pack, packSize, line };
  if (key !== undefined) entry.key = key;
  if (project !== undefined) entry.project = project;
  if (updated !== undefined) entry.updated = updated;
  const blobs = blobRefsOf(item.record);
  if (blobs.length > 0) entry.blobs = blobs;
  return entry;
}

/** Consecutive runs of records whose lines add up to at most `target` bytes (a longer single line gets its own run). */
function* batchesBySize(items: EncodedRecord[], target: number): Generator<EncodedRecord[]> {
  let batch: EncodedRecord[] = [];
  let size = 0;
  for (const item of items) {
    const lineBytes = Buffer.byteLength(item.line) + 1;
    if (batch.length > 0 && size + lineBytes > target) {
      yield batch;
      batch = [];
      size = 0;
    }
    batch.push(item);
    size += lineBytes;
  }
  if (batch.length > 0) yield batch;
}

interface CompressedPack {
  items: EncodedRecord[];
  bytes: Uint8Array;
}

/** Compresses a batch; if it still exceeds the store's limit (incompressible data), halves it until it fits. */
function packsThatFit(items: EncodedRecord[], maxObjectBytes: number): CompressedPack[] {
  let text = '';
  for (const item of items) text += `${item.line}\n`;
  const bytes = gzip(utf8(text));
  if (bytes.byteLength <= maxObjectBytes) return [{ items, bytes }];
  if (items.length === 1) {
    throw new FormatError(
      'too-large',
      `Record ${recordKey(items[0].record)} is ${bytes.byteLength} bytes compressed, more than the storage accepts in one object ` +
        `(${maxObjectBytes}). Use storage with a larger object limit.`,
    );
  }
  const half = Math.ceil(items.length / 2);
  return [...packsThatFit(items.slice(0, half), maxObjectBytes), ...packsThatFit(items.slice(half), maxObjectBytes)];
}
