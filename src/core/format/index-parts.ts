/**
 * Index parts: gzip'd JSON Lines, one IndexEntry per line, sorted by record key, named by their SHA-256.
 * A snapshot lists its parts per project (and globally) in its manifest.
 */
import type { BackupStore } from '../../ports/backup-store';
import { canonicalJson } from './canonical-json';
import { DEFAULT_INDEX_PART_TARGET_BYTES } from './constants';
import { FormatError } from './errors';
import { fromUtf8, gunzip, gzip, splitLines, utf8 } from './gzip';
import { isSha256Hex } from './hashing';
import { getVerified, putContentObject } from './object-io';
import { recordKey } from './records';
import type { IndexEntry, IndexPartRef } from './types';

export interface WriteIndexResult {
  parts: IndexPartRef[];
  bytesWritten: number;
}

/**
 * Writes entries as one or more index parts (each within the store's object limit). Entries are sorted by
 * record key first so the same entries always give the same parts; a key given twice keeps its last entry.
 */
export async function writeIndexParts(
  store: BackupStore,
  entries: Iterable<IndexEntry>,
  options: { partTargetBytes?: number } = {},
): Promise<WriteIndexResult> {
  const latest = new Map<string, IndexEntry>();
  for (const entry of entries) latest.set(recordKey(entry), entry);
  const sorted = [...latest.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, entry]) => entry);

  const maxObjectBytes = store.properties.maxObjectBytes;
  const target = Math.max(1, Math.min(options.partTargetBytes ?? DEFAULT_INDEX_PART_TARGET_BYTES, maxObjectBytes));
  const parts: IndexPartRef[] = [];
  let bytesWritten = 0;
  let lines: string[] = [];
  let size = 0;
  const flush = async (): Promise<void> => {
    if (lines.length === 0) return;
    for (const chunk of compressedThatFit(lines, maxObjectBytes)) {
      const written = await putContentObject(store, 'index', chunk.bytes);
      bytesWritten += written.bytesWritten;
      parts.push({ path: written.path, sha256: written.sha256, size: written.size, entries: chunk.lines.length });
    }
    lines = [];
    size = 0;
  };
  for (const entry of sorted) {
    const line = canonicalJson(entry);
    const lineBytes = Buffer.byteLength(line) + 1;
    if (lines.length > 0 && size + lineBytes > target) await flush();
    lines.push(line);
    size += lineBytes;
  }
  await flush();
  return { parts, bytesWritten };
}

function compressedThatFit(lines: string[], maxObjectBytes: number): { lines: string[]; bytes: Uint8Array }[] {
  const bytes = gzip(utf8(lines.map((line) => `${line}\n`).join('')));
  if (bytes.byteLength <= maxObjectBytes) return [{ lines, bytes }];
  if (lines.length === 1) throw new FormatError('too-large', `One index entry does not fit in ${maxObjectBytes} bytes; the storage object limit is too small.`);
  const half = Math.ceil(lines.length / 2);
  return [...compressedThatFit(lines.slice(0, half), maxObjectBytes), ...compressedThatFit(lines.slice(half), maxObjectBytes)];
}

/** The entries of one index part, verified against its SHA-256. */
export async function readIndexPart(store: BackupStore, part: IndexPartRef): Promise<IndexEntry[]> {
  const bytes = await getVerified(store, part.path, part.sha256, 'index part');
  const lines = splitLines(fromUtf8(gunzip(bytes, part.path), part.path));
  return lines.map((line, i) => parseEntry(line, part.path, i + 1));
}

/** All entries of several parts, in order. */
export async function readIndexEntries(store: BackupStore, parts: readonly IndexPartRef[]): Promise<IndexEntry[]> {
  const all: IndexEntry[] = [];
  for (const part of parts) for (const entry of await readIndexPart(store, part)) all.push(entry);
  return all;
}

function parseEntry(line: string, path: string, lineNumber: number): IndexEntry {
  let entry: IndexEntry;
  try {
    entry = JSON.parse(line) as IndexEntry;
  } catch {
    throw new FormatError('corrupt', `Line ${lineNumber} of ${path} is not JSON; run verify on the snapshots that use this index part.`, path);
  }
  const valid =
    typeof entry === 'object' && entry !== null &&
    typeof entry.type === 'string' && typeof entry.id === 'string' && isSha256Hex(entry.sha256) &&
    typeof entry.pack === 'string' && Number.isSafeInteger(entry.line) && entry.line >= 1 && Number.isSafeInteger(entry.packSize);
  if (!valid) throw new FormatError('corrupt', `Line ${lineNumber} of ${path} is not an index entry {type, id, sha256, pack, packSize, line}.`, path);
  return entry;
}
