import { listSnapshotIds } from '../../src/core/format';
import { defaultPlan } from '../../src/core/plans';
import type { BackupPlan } from '../../src/core/plans/plan';
import { rotationSweep } from '../../src/core/retention';
import type { KeyValue } from '../../src/ports';
import { DAY, T0, site, snapshot } from './snapshot-fixture';

/** A Map is all the sweep needs of KVS. */
function mapKeyValue(): KeyValue {
  const map = new Map<string, unknown>();
  return {
    get: async <T>(key: string) => map.get(key) as T | undefined,
    set: async (key, value) => void map.set(key, value),
    delete: async (key) => void map.delete(key),
    list: async () => ({ entries: [] }),
    transact: async () => undefined,
  };
}

const keepTwo: BackupPlan = { ...defaultPlan('daily', 'Daily'), retention: { mode: 'count', keep: 2 } };
const keepAll: BackupPlan = { ...defaultPlan('weekly', 'Weekly'), retention: { mode: 'forever' } };

describe('rotationSweep', () => {
  it('applies each plan policy, reports deletions, and skips the next sweep while nothing new landed', async () => {
    const { store, daily, other } = await site();
    const kv = mapKeyValue();
    const deletedFor: string[] = [];
    const deps = { store, kv, plans: [keepTwo, keepAll], timeZone: 'UTC', now: T0 + 10 * DAY, backupRunning: async () => false,
      onDeleted: async (plan: BackupPlan) => void deletedFor.push(plan.id) };

    const first = await rotationSweep(deps);
    expect(first).toEqual({ ran: true, reports: [
      { planId: 'daily', deleted: [daily[0], daily[1], daily[2]], unreadable: 0, done: true },
      { planId: 'weekly', deleted: [], unreadable: 0, done: true },
    ] });
    expect(deletedFor).toEqual(['daily']);
    expect((await listSnapshotIds(store)).sort()).toEqual([daily[3], daily[4], other].sort());

    expect(await rotationSweep(deps)).toEqual({ ran: false, reason: 'nothing-new' });

    const newest = await snapshot(store, 'daily', 6);
    const third = await rotationSweep(deps);
    expect(third.ran && third.reports[0].deleted).toEqual([daily[3]]);
    expect((await listSnapshotIds(store)).sort()).toEqual([daily[4], newest, other].sort());
  });

  it('never deletes while a backup is running', async () => {
    const { store } = await site();
    const before = await listSnapshotIds(store);
    const result = await rotationSweep({ store, kv: mapKeyValue(), plans: [keepTwo], timeZone: 'UTC', now: T0 + 10 * DAY, backupRunning: async () => true });
    expect(result).toEqual({ ran: false, reason: 'backup-running' });
    expect(await listSnapshotIds(store)).toEqual(before);
  });

  it('sweeps again next time when the delete budget stopped it early', async () => {
    const { store, daily } = await site();
    const kv = mapKeyValue();
    const deps = { store, kv, plans: [keepTwo], timeZone: 'UTC', now: T0 + 10 * DAY, backupRunning: async () => false, maxDeletesPerPlan: 2 };
    const first = await rotationSweep(deps);
    expect(first.ran && first.reports[0]).toMatchObject({ deleted: [daily[0], daily[1]], done: false });
    const second = await rotationSweep(deps);
    expect(second.ran && second.reports[0]).toMatchObject({ deleted: [daily[2]], done: true });
  });
});
