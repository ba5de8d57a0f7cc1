import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** KVS keeps app data and secrets apart: the same key may exist in both. */
export type KvsNamespace = 'data' | 'secret';

export interface StoredEntry {
  /** The value as JSON text: copies out on every read, and its length is what the size limit counts. */
  json: string;
  createdAt: number;
  updatedAt: number;
  /** Platform-clock epoch ms after which the key reads as absent (from a set's `ttl`). */
  expiresAt?: number;
}

type LogLine =
  | { op: 'set'; ns: KvsNamespace; key: string; entry: StoredEntry }
  | { op: 'delete'; ns: KvsNamespace; key: string };

/**
 * The key-value engine behind the emulated KVS API: sorted keys per namespace, atomic multi-key writes,
 * and, unless in memory, an append-only log under the data directory (replayed and compacted at start),
 * so state survives restarts of `npm start` and a crash loses at most the write in flight.
 */
export class KvsStore {
  private readonly maps: Record<KvsNamespace, Map<string, StoredEntry>> = { data: new Map(), secret: new Map() };
  private readonly logFile?: string;

  constructor(
    dataDir: string | undefined,
    private readonly now: () => number,
  ) {
    if (dataDir) {
      mkdirSync(dataDir, { recursive: true });
      this.logFile = join(dataDir, 'kvs.jsonl');
      this.replay();
    }
  }

  get(ns: KvsNamespace, key: string): StoredEntry | undefined {
    const entry = this.maps[ns].get(key);
    if (entry?.expiresAt !== undefined && entry.expiresAt <= this.now()) return undefined;
    return entry;
  }

  /** Applies all writes or none: validation happens before this is called, so it cannot fail half-way. */
  apply(writes: Array<{ ns: KvsNamespace; key: string; entry?: StoredEntry }>): void {
    const lines: LogLine[] = writes.map((w) =>
      w.entry ? { op: 'set', ns: w.ns, key: w.key, entry: w.entry } : { op: 'delete', ns: w.ns, key: w.key },
    );
    if (this.logFile && lines.length > 0) {
      // One append for the whole group: a crash mid-write leaves a torn last line, which replay drops whole.
      appendFileSync(this.logFile, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    }
    for (const line of lines) this.applyLine(line);
  }

  /** Live keys of a namespace in ascending order (the order KVS queries return). */
  sortedKeys(ns: KvsNamespace): string[] {
    const now = this.now();
    return [...this.maps[ns].entries()]
      .filter(([, e]) => e.expiresAt === undefined || e.expiresAt > now)
      .map(([k]) => k)
      .sort(compareKeys);
  }

  dump(ns: KvsNamespace): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const key of this.sortedKeys(ns)) out[key] = JSON.parse(this.maps[ns].get(key)!.json);
    return out;
  }

  clear(): void {
    this.maps.data.clear();
    this.maps.secret.clear();
    if (this.logFile) writeFileSync(this.logFile, '');
  }

  private applyLine(line: LogLine): void {
    if (line.op === 'set') this.maps[line.ns].set(line.key, line.entry);
    else this.maps[line.ns].delete(line.key);
  }

  private replay(): void {
    const file = this.logFile!;
    if (!existsSync(file)) return;
    const lines = readFileSync(file, 'utf8').split('\n');
    let count = 0;
    for (const text of lines) {
      if (!text.trim()) continue;
      try {
        this.applyLine(JSON.parse(text) as LogLine);
        count++;
      } catch {
        // A torn final line from a crash: everything before it is intact.
      }
    }
    const live = this.maps.data.size + this.maps.secret.size;
    if (count > 2 * live + 100) this.compact();
  }

  private compact(): void {
    const file = this.logFile!;
    const lines: string[] = [];
    for (const ns of ['data', 'secret'] as const) {
      for (const [key, entry] of this.maps[ns]) lines.push(JSON.stringify({ op: 'set', ns, key, entry }));
    }
    writeFileSync(`${file}.tmp`, lines.length ? lines.join('\n') + '\n' : '');
    renameSync(`${file}.tmp`, file);
  }
}

/** Code-unit order, like the byte order of the ASCII keys KVS allows. */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
