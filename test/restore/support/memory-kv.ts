import type { KeyValue, KeyValueOperation, KeyValuePage } from '../../../src/ports';

/** KVS in memory with Forge's key pattern and 240 KiB value limit, so restore's keys and chunking are checked. */
export class MemoryKeyValue implements KeyValue {
  readonly data = new Map<string, string>();
  writes = 0;

  private check(key: string, value?: unknown): void {
    if (key.length > 500 || !/^[a-zA-Z0-9:._\s\-#]+$/.test(key)) throw new Error(`invalid KVS key ${key}`);
    if (value !== undefined && JSON.stringify(value).length > 240 * 1024) throw new Error(`KVS value for ${key} exceeds 240 KiB`);
  }

  async get<T>(key: string): Promise<T | undefined> {
    const text = this.data.get(key);
    return text === undefined ? undefined : (JSON.parse(text) as T);
  }

  async set<T>(key: string, value: T): Promise<void> {
    this.check(key, value);
    this.writes++;
    this.data.set(key, JSON.stringify(value));
  }

  async delete(key: string): Promise<void> {
    this.data.delete(key);
  }

  async list<T>(prefix: string, options: { cursor?: string; limit?: number } = {}): Promise<KeyValuePage<T>> {
    const keys = [...this.data.keys()].filter((k) => k.startsWith(prefix)).sort();
    const start = options.cursor ? Number(options.cursor) : 0;
    const limit = options.limit ?? 100;
    const page = keys.slice(start, start + limit);
    return {
      entries: page.map((key) => ({ key, value: JSON.parse(this.data.get(key)!) as T })),
      nextCursor: start + limit < keys.length ? String(start + limit) : undefined,
    };
  }

  /** Atomic here as on Forge (`keyPolicy: 'FAIL_IF_EXISTS'`): nothing runs between the check and the write. */
  async createIfAbsent<T>(key: string, value: T): Promise<boolean> {
    this.check(key, value);
    if (this.data.has(key)) return false;
    this.writes++;
    this.data.set(key, JSON.stringify(value));
    return true;
  }

  async transact(operations: KeyValueOperation[]): Promise<void> {
    for (const op of operations) if (op.op === 'set') await this.set(op.key, op.value);
    else await this.delete(op.key);
  }
}
