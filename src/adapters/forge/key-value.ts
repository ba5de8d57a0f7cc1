import { ForgeKvsAPIError, kvs, WhereConditions } from '@forge/kvs';
import type { KeyValue, KeyValueOperation, KeyValuePage } from '../../ports';

/** Forge's largest query page. */
const MAX_PAGE = 100;

/**
 * The KeyValue port on @forge/kvs. Keys are passed as given: callers keep them within Forge's rules
 * (≤ 500 chars of [a-zA-Z0-9:._\s-#]); a bad key or an oversized value fails with the SDK's ForgeKvsAPIError.
 */
export function forgeKeyValue(): KeyValue {
  return {
    async get<T>(key: string): Promise<T | undefined> {
      return ((await kvs.get<T>(key)) ?? undefined) as T | undefined;
    },
    async set<T>(key: string, value: T): Promise<void> {
      await kvs.set(key, value as never);
    },
    async delete(key: string): Promise<void> {
      await kvs.delete(key);
    },
    async list<T>(prefix: string, options: { cursor?: string; limit?: number } = {}): Promise<KeyValuePage<T>> {
      let query = kvs.query().limit(Math.min(options.limit ?? MAX_PAGE, MAX_PAGE));
      // KVS rejects beginsWith(''); an empty prefix means every key.
      if (prefix !== '') query = query.where('key', WhereConditions.beginsWith(prefix));
      if (options.cursor) query = query.cursor(options.cursor);
      const page = await query.getMany<T>();
      return {
        entries: page.results.map((r) => ({ key: r.key, value: r.value })),
        ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
      };
    },
    async transact(operations: KeyValueOperation[]): Promise<void> {
      if (operations.length === 0) return;
      let transaction = kvs.transact();
      for (const operation of operations) {
        transaction = operation.op === 'set' ? transaction.set(operation.key, operation.value as never) : transaction.delete(operation.key);
      }
      await transaction.execute();
    },
    createIfAbsent: <T>(key: string, value: T) => forgeCreateIfAbsent(key, value),
  };
}

/**
 * Writes `value` only if `key` is absent, atomically (Forge's `keyPolicy: 'FAIL_IF_EXISTS'`): true when this
 * call created the key. The building block for claims that two concurrent invocations must not both win.
 */
export async function forgeCreateIfAbsent(key: string, value: unknown): Promise<boolean> {
  try {
    await kvs.set(key, value as never, { keyPolicy: 'FAIL_IF_EXISTS' });
    return true;
  } catch (error) {
    if (error instanceof ForgeKvsAPIError && error.responseDetails.status === 409) return false;
    throw error;
  }
}
