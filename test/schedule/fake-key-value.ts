import type { KeyValue, KeyValueOperation, KeyValuePage } from '../../src/ports';

/**
 * A Map-backed KeyValue for tests. Every call yields to the event loop first (like a network round trip), so two
 * ticks started together really interleave their reads and writes. Values are deep-copied, as KVS would.
 */
export class FakeKeyValue implements KeyValue {
  readonly data = new Map<string, unknown>();
  calls = 0;

  private async roundTrip(): Promise<void> {
    this.calls++;
    await new Promise((resolve) => setImmediate(resolve));
  }

  async get<T>(key: string): Promise<T | undefined> {
    await this.roundTrip();
    return this.data.has(key) ? (structuredClone(this.data.get(key)) as T) : undefined;
  }

  async set<T>(key: string, value: T): Promise<void> {
    await this.roundTrip();
    this.data.set(key, structuredClone(value));
  }

  async delete(key: string): Promise<void> {
    await this.roundTrip();
    this.data.delete(key);
  }

  async list<T>(prefix: string, options: { cursor?: string; limit?: number } = {}): Promise<KeyValuePage<T>> {
    await this.roundTrip();
    const keys = [...this.data.keys()].filter((k) => k.startsWith(prefix) && (!options.cursor || k > options.cursor)).sort();
    const page = keys.slice(0, options.limit ?? 10);
    const nextCursor = keys.length > page.length ? page[page.length - 1] : undefined;
    return { entries: page.map((key) => ({ key, value: structuredClone(this.data.get(key)) as T })), nextCursor };
  }

  async transact(operations: KeyValueOperation[]): Promise<void> {
    await this.roundTrip();
    for (const op of operations) {
      if (op.op === 'set') this.data.set(op.key, structuredClone(op.value));
      else this.data.delete(op.key);
    }
  }

  /** An atomic create-if-absent, like Forge KVS `keyPolicy: 'FAIL_IF_EXISTS'`. */
  createIfAbsent = async (key: string, value: unknown): Promise<boolean> => {
    await this.roundTrip();
    if (this.data.has(key)) return false;
    this.data.set(key, structuredClone(value));
    return true;
  };
}
