import type { Clock, KeyValue, KeyValueOperation } from '../../ports';

/** KVS's largest transaction is 25 operations: up to 24 deletes and the run's record (`record`). */
const MAX_TRANSACTION = 25;
const MAX_DELETES = MAX_TRANSACTION - 1;

/**
 * Deletes KVS keys within one step's budget: at most `maxDeletes` keys and nothing after `deadline`. Keys go in
 * transactions of up to 24 (one request each). `deleted` counts only keys known to exist (listed or read just before).
 * `record(n)` gives an operation written in the same transaction as each group of `n` deletes (the run's record with its
 * new count), so the count a run reports never misses keys a crashed step removed.
 */
export class DeleteBudget {
  deleted = 0;

  constructor(
    private readonly kv: KeyValue,
    private readonly clock: Clock,
    private readonly maxDeletes: number,
    private readonly deadline: number,
    private readonly record?: (deleted: number) => KeyValueOperation,
  ) {}

  get spent(): boolean {
    return this.deleted >= this.maxDeletes || this.clock.now() >= this.deadline;
  }

  /** Deletes existing `keys` in order, as many as the budget allows: true when all of them went. */
  async delete(keys: string[]): Promise<boolean> {
    let done = 0;
    while (done < keys.length) {
      if (this.spent) return false;
      const group = keys.slice(done, done + Math.min(MAX_DELETES, this.maxDeletes - this.deleted));
      const deletes: KeyValueOperation[] = group.map((key) => ({ op: 'delete', key }));
      await this.kv.transact(this.record ? [...deletes, this.record(group.length)] : deletes);
      this.deleted += group.length;
      done += group.length;
    }
    return true;
  }

  /** Deletes `key` when it exists: true when it is gone. */
  async deleteIfPresent(key: string): Promise<boolean> {
    if ((await this.kv.get(key)) === undefined) return true;
    return this.delete([key]);
  }

  /**
   * Deletes every key under `prefix`: true when none is left. It lists from the start each time (what was deleted
   * drops out of the listing), so a step that stopped half-way, or crashed, is simply redone. `pageSize` stays small
   * where values are large (plan chunks are up to 180 KiB, and a query reads the values too).
   */
  async deletePrefix(prefix: string, pageSize = MAX_DELETES): Promise<boolean> {
    for (;;) {
      if (this.spent) return false;
      const page = await this.kv.list(prefix, { limit: pageSize });
      if (page.entries.length === 0) return true;
      if (!(await this.delete(page.entries.map((entry) => entry.key)))) return false;
    }
  }
}
