import type { KeyValue, KeyValueOperation } from '../../ports';

/** Forge KVS: at most 25 operations and 4 MB per transaction; a margin is kept under the byte limit. */
export const MAX_TRANSACTION_OPERATIONS = 25;
const MAX_TRANSACTION_BYTES = 3_500_000;

/**
 * Writes `operations` in as few transactions as Forge allows, in order. Each group is atomic, the whole is not:
 * callers write what nothing reads yet (a new job's checkpoints and project list) and commit with the job record after.
 */
export async function transactInGroups(kv: KeyValue, operations: readonly KeyValueOperation[]): Promise<void> {
  let group: KeyValueOperation[] = [];
  let bytes = 0;
  for (const operation of operations) {
    const size = operation.op === 'set' ? Buffer.byteLength(JSON.stringify(operation.value)) + operation.key.length : operation.key.length;
    if (group.length > 0 && (group.length === MAX_TRANSACTION_OPERATIONS || bytes + size > MAX_TRANSACTION_BYTES)) {
      await kv.transact(group);
      group = [];
      bytes = 0;
    }
    group.push(operation);
    bytes += size;
  }
  if (group.length > 0) await kv.transact(group);
}
