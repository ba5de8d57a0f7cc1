/**
 * Reads records back, verifying twice: the pack's bytes must hash to its name, and the record's line must hash
 * to the index entry. Decoded packs are cached (bounded) because restore reads many records from each pack.
 */
import type { BackupStore } from '../../ports/backup-store';
import { FormatError } from './errors';
import { fromUtf8, gunzip, splitLines } from './gzip';
import { sha256Hex } from './hashing';
import { sha256OfPath } from './layout';
import { getVerified } from './object-io';
import type { IndexEntry, SnapshotRecord } from './types';

const DEFAULT_CACHE_BYTES = 64 * 1024 * 1024;

export class PackReader {
  private readonly cache = new Map<string, { lines: string[]; bytes: number }>();
  private cachedBytes = 0;

  constructor(
    private readonly store: BackupStore,
    /** Uncompressed bytes of decoded packs kept in memory. */
    private readonly cacheBytes = DEFAULT_CACHE_BYTES,
  ) {}

  /** The record an index entry points at; throws FormatError('corrupt' | 'missing') naming the object. */
  async read(entry: IndexEntry): Promise<SnapshotRecord> {
    const lines = await this.packLines(entry.pack, `record ${entry.type}/${entry.id}`);
    const line = lines[entry.line - 1];
    const where = `record ${entry.type}/${entry.id}${entry.key ? ` (${entry.key})` : ''} at line ${entry.line} of ${entry.pack}`;
    if (line === undefined) {
      throw new FormatError('corrupt', `The index points at ${where}, but the pack has only ${lines.length} lines. Run verify on this snapshot.`, entry.pack);
    }
    const actual = sha256Hex(line);
    if (actual !== entry.sha256) {
      throw new FormatError('corrupt', `${where} hashes to ${actual}, but the index expects ${entry.sha256}. Run verify on this snapshot.`, entry.pack);
    }
    const record = JSON.parse(line) as SnapshotRecord;
    if (record.type !== entry.type || record.id !== entry.id) {
      throw new FormatError('corrupt', `${where} holds ${record.type}/${record.id} instead. Run verify on this snapshot.`, entry.pack);
    }
    return record;
  }

  /** Every line of a pack, verified against the pack's name. */
  async packLines(path: string, neededFor?: string): Promise<string[]> {
    const hit = this.cache.get(path);
    if (hit) {
      this.cache.delete(path); // re-insert: Map order is the LRU order
      this.cache.set(path, hit);
      return hit.lines;
    }
    const compressed = await getVerified(this.store, path, sha256OfPath(path), neededFor);
    const text = fromUtf8(gunzip(compressed, path));
    const lines = splitLines(text);
    this.remember(path, lines, text.length);
    return lines;
  }

  /** Drops a pack from the cache (when the caller knows it is done with it). */
  forget(path: string): void {
    const hit = this.cache.get(path);
    if (!hit) return;
    this.cache.delete(path);
    this.cachedBytes -= hit.bytes;
  }

  private remember(path: string, lines: string[], bytes: number): void {
    if (bytes > this.cacheBytes) return;
    this.cache.set(path, { lines, bytes });
    this.cachedBytes += bytes;
    for (const [oldest, value] of this.cache) {
      if (this.cachedBytes <= this.cacheBytes) break;
      this.cache.delete(oldest);
      this.cachedBytes -= value.bytes;
    }
  }
}

/** One record, verified. For many records use a PackReader (or readRecords) so each pack is fetched once. */
export async function readRecord(store: BackupStore, entry: IndexEntry): Promise<SnapshotRecord> {
  return new PackReader(store, 0).read(entry);
}

/** Records for `entries`, fetching each pack once: yields in pack order, not input order. */
export async function* readRecords(store: BackupStore, entries: Iterable<IndexEntry>): AsyncGenerator<{ entry: IndexEntry; record: SnapshotRecord }> {
  const byPack = new Map<string, IndexEntry[]>();
  for (const entry of entries) {
    const list = byPack.get(entry.pack);
    if (list) list.push(entry);
    else byPack.set(entry.pack, [entry]);
  }
  const reader = new PackReader(store, Number.MAX_SAFE_INTEGER);
  for (const [pack, list] of byPack) {
    for (const entry of list) yield { entry, record: await reader.read(entry) };
    reader.forget(pack);
  }
}
