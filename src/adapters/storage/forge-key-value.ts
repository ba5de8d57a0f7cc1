/**
 * The KeyValue port on @forge/kvs, as the managed store's catalog needs it. Kept minimal and local to
 * storage; a shared KVS adapter elsewhere can replace it (ManagedStore takes any KeyValue).
 */
import { kvs, WhereConditions } from '@forge/kvs';
import type { KeyValue, KeyValueOperation, KeyValuePage } from '../../ports/key-value';

/** Forge's page limit for queries. */
const MAX_PAGE = 100;

export function forgeKeyValue(): KeyValue {
  return {
    get: async <T>(key: string) => (await kvs.get<T>(key)) ?? undefined,
    set: <T>(key: string, value: T) => kvs.set(key, value),
    delete: (key) => kvs.delete(key),
    async list<T>(prefix: string, options: { cursor?: string; limit?: number } = {}): Promise<KeyValuePage<T>> {
      let query = kvs.query().where('key', WhereConditions.beginsWith(prefix)).limit(Math.min(options.limit ?? MAX_PAGE, MAX_PAGE));
      if (options.cursor) query = query.cursor(options.cursor);
      const page = await query.getMany<T>();
      return { entries: page.results.map((r) => ({ key: r.key, value: r.value })), nextCursor: page.nextCursor ?? undefined };
    },
    async transact(operations: KeyValueOperation[]): Promise<void> {
      const transaction = kvs.transact();
      for (const operation of operations) {
        if (operation.op === 'set') transaction.set(operation.key, operation.value);
        else transaction.delete(operation.key);
      }
      await transaction.execute();
    },
  };
}
