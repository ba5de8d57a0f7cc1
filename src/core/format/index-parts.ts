/**
 * Index parts: gzip'd JSON Lines, one IndexEntry (or tombstone) per line, sorted by record key, named by their
 * SHA-256, each with a checksum list of the packs and chunks its entries use. A snapshot lists its parts per
 * project (and globally) in its manifest, in order: later parts override earlier ones (see carry-over.ts).
 */
import type { BackupStore } from '../../ports/backup-store';
import { canonicalJson } from './canonical-json';
import { checksumListText, type ChecksumLine } from './checksums';
import { DEFAULT_CHECKSUM_PART_TARGET_BYTES, DEFAULT_INDEX_PART_TARGET_BYTES } from './constants';
import { FormatError } from './errors';
import { fromUtf8, gunzip, gzip, splitLines, utf8 } from './gzip';
import { isSha256Hex } from './hashing';
import { blobPath, sha256OfPath } from './layout';
import { getVerified, putContentObject } from './object-io';
import { recordKey } from './records';
import { isTombstone, type IndexEntry, type IndexLine, type IndexPartRef } from './types';

export interface WriteIndexResult {
  parts: IndexPartRef[];
  bytesWritten: number;
}

export interface IndexPartOptions {
  /** Uncompressed bytes of index lines per part. */
  partTargetBytes?: number;
  /** Bytes of a part's checksum list before a new part starts. */
  sumsTargetBytes?: number;
}

/** The packs and chunks an index line makes a snapshot depend on. */
export function objectsOf(line: IndexLine): ChecksumLine[] {
  if (isTombstone(line)) return [];
  return [{ sha256: sha256OfPath(line.pack), path: line.pack }, ...(line.blobs ?? []).map((blob) => ({ sha256: blob.sha256, path: blobPath(blob.sha256) }))];
}

/**
 * Writes lines as one or more index parts, each with its checksum list, each within the store's object limit.
 * Lines are sorted by record key so the same lines always give the same parts; a key given twice keeps its last.
 */
export async function writeIndexParts(store: BackupStore, lines: Iterable<IndexLine>, options: IndexPartOptions = {}): Promise<WriteIndexResult> {
  const latest = new Map<string, IndexLine>();
  for (const line of lines) latest.set(recordKey(line), line);
  const sorted = [...latest.keys()].sort().map((key) => latest.get(key)!);

  const maxObjectBytes = store.properties.maxObjectBytes;
  const partTarget = Math.max(1, Math.min(options.partTargetBytes ?? DEFAULT_INDEX_PART_TARGET_BYTES, maxObjectBytes));
  const sumsTarget = Math.max(1, Math.min(options.sumsTargetBytes ?? DEFAULT_CHECKSUM_PART_TARGET_BYTES, maxObjectBytes));
  const result: WriteIndexResult = { parts: [], bytesWritten: 0 };
  let batch: EncodedLine[] = [];
  let batchBytes = 0;
  let sums = new Set<string>();
  let sumsBytes = 0;
  for (const line of sorted) {
    const encoded = { line, text: canonicalJson(line) };
    const lineBytes = Buffer.byteLength(encoded.text) + 1;
    const objects = objectsOf(line).filter((object) => !sums.has(object.path));
    // A checksum line is the 64-digit hash, two spaces, the path and a newline.
    const objectBytes = objects.reduce((total, object) => total + object.path.length + 67, 0);
    if (batch.length > 0 && (batchBytes + lineBytes > partTarget || sumsBytes + objectBytes > sumsTarget)) {
      await writeParts(store, batch, result);
      batch = [];
      batchBytes = 0;
      sums = new Set();
      sumsBytes = 0;
    }
    batch.push(encoded);
    batchBytes += lineBytes;
    for (const object of objects) sums.add(object.path);
    sumsBytes += objectBytes;
  }
  if (batch.length > 0) await writeParts(store, batch, result);
  return result;
}

/** Writes one batch (halving it if its compressed part or its list is still too big) and appends the refs. */
interface EncodedLine {
  line: IndexLine;
  text: string;
}

async function writeParts(store: BackupStore, lines: EncodedLine[], result: WriteIndexResult): Promise<void> {
  const maxObjectBytes = store.properties.maxObjectBytes;
  let text = '';
  for (const encoded of lines) text += `${encoded.text}\n`;
  const part = gzip(utf8(text));
  const sums = utf8(checksumListText(lines.flatMap((encoded) => objectsOf(encoded.line))));
  if (part.byteLength > maxObjectBytes || sums.byteLength > maxObjectBytes) {
    if (lines.length === 1) {
      throw new FormatError('too-large', `The index entry of ${recordKey(lines[0].line)} does not fit in one object of ${maxObjectBytes} bytes; use storage with a larger object limit.`);
    }
    const half = Math.ceil(lines.length / 2);
    await writeParts(store, lines.slice(0, half), result);
    await writeParts(store, lines.slice(half), result);
    return;
  }
  const writtenSums = await putContentObject(store, 'checksums', sums);
  const writtenPart = await putContentObject(store, 'index', part);
  result.bytesWritten += writtenSums.bytesWritten + writtenPart.bytesWritten;
  result.parts.push({
    path: writtenPart.path, sha256: writtenPart.sha256, size: writtenPart.size, entries: lines.length,
    sums: { path: writtenSums.path, sha256: writtenSums.sha256, size: writtenSums.size },
  });
}

/** The lines of one index part (entries and tombstones), verified against its SHA-256. */
export async function readIndexPart(store: BackupStore, part: IndexPartRef): Promise<IndexLine[]> {
  const bytes = await getVerified(store, part.path, part.sha256, 'index part');
  const lines = splitLines(fromUtf8(gunzip(bytes, part.path)));
  // Hundreds of entries share each pack path: one string per pack instead of one per entry saves ~20% of the
  // memory a 100,000-issue index takes once resolved.
  const packPaths = new Map<string, string>();
  return lines.map((text, i) => {
    const line = parseLine(text, part.path, i + 1);
    if (!isTombstone(line)) {
      const shared = packPaths.get(line.pack);
      if (shared === undefined) packPaths.set(line.pack, line.pack);
      else line.pack = shared;
    }
    return line;
  });
}

/**
 * The live entries of an ordered list of parts: for each record key the line in the last part that has it,
 * without the deleted ones. Sorted by record key.
 */
export async function readIndexEntries(store: BackupStore, parts: readonly IndexPartRef[]): Promise<IndexEntry[]> {
  return [...(await resolveIndex(store, parts)).values()];
}

/** Like readIndexEntries, keyed by record key (recordKey). */
export async function resolveIndex(store: BackupStore, parts: readonly IndexPartRef[]): Promise<Map<string, IndexEntry>> {
  const live = new Map<string, IndexEntry>();
  for (const part of parts) {
    for (const line of await readIndexPart(store, part)) {
      if (isTombstone(line)) live.delete(recordKey(line));
      else live.set(recordKey(line), line);
    }
  }
  const sorted = new Map<string, IndexEntry>();
  for (const key of [...live.keys()].sort()) sorted.set(key, live.get(key)!);
  return sorted;
}

function parseLine(text: string, path: string, lineNumber: number): IndexLine {
  let line: IndexLine;
  try {
    line = JSON.parse(text) as IndexLine;
  } catch {
    throw new FormatError('corrupt', `Line ${lineNumber} of ${path} is not JSON; run verify on the snapshots that use this index part.`, path);
  }
  const named = typeof line === 'object' && line !== null && typeof line.type === 'string' && typeof line.id === 'string';
  const valid =
    named &&
    (isTombstone(line) ||
      (isSha256Hex(line.sha256) && typeof line.pack === 'string' && Number.isSafeInteger(line.line) && line.line >= 1 && Number.isSafeInteger(line.packSize)));
  if (!valid) throw new FormatError('corrupt', `Line ${lineNumber} of ${path} is not an index entry {type, id, sha256, pack, packSize, line} or tombstone.`, path);
  return line;
}
