/**
 * The app's small, structured state (job cursors, catalogs, configuration, audit log).
 * Forge implementation: @forge/kvs. Limits the callers must respect (Forge's own):
 * keys ≤ 500 chars of [a-zA-Z0-9:._\s-#] (no '/'), values ≤ 240 KiB, ≤ 25 operations per transaction.
 */
export interface KeyValue {
  get<T>(key: string): Promise<T | undefined>;
  set<T>(key: string, value: T): Promise<void>;
  delete(key: string): Promise<void>;
  /** Keys starting with `prefix`, in key order, one page at a time. */
  list<T>(prefix: string, options?: { cursor?: string; limit?: number }): Promise<KeyValuePage<T>>;
  /** All operations succeed together or none does. */
  transact(operations: KeyValueOperation[]): Promise<void>;
  /**
   * Writes `value` only when `key` does not exist, atomically: true when this call created it. Optional: callers
   * that need an exclusive claim use it when offered and fall back to write-then-read-back (racy) otherwise.
   * Forge: `kvs.set(key, value, { keyPolicy: 'FAIL_IF_EXISTS' })`.
   */
  createIfAbsent?<T>(key: string, value: T): Promise<boolean>;
}

export interface KeyValuePage<T> {
  entries: { key: string; value: T }[];
  /** Absent on the last page. */
  nextCursor?: string;
}

export type KeyValueOperation =
  | { op: 'set'; key: string; value: unknown }
  | { op: 'delete'; key: string };
