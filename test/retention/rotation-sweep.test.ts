import { listSnapshotIds } from '../../src/core/format';
import { defaultPlan } from '../../src/core/plans';
import type { BackupPlan } from '../../src/core/plans/plan';
import { rotationSweep } from '../../src/core/retention';
import type { KeyValue } from '../../src/ports';
import { MAINTENANCE_LOCK_KEY } from '../../src/core/backup';
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

/** With the atomic create Forge KVS offers (FAIL_IF_EXISTS). */
function atomicKeyValue(): KeyValue & { map: Map<string, unknown> } {
  const map = new Map<string, unknown>();
  return {
    map,
    get: async <T>(key: string) => map.get(key) as T | undefined,
    set: async (key, value) => void map.set(key, value),
    delete: async (key) => void map.delete(key),
    list: async () => ({ entries: [] }),
    transact: async () => undefined,
    createIfAbsent: async (key, value) => (map.has(key) ? false : (map.set(key, value), true)),
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

  it('holds the store maintenance lock while it deletes, and releases it after', async () => {
    const { store } = await site();
    const kv = atomicKeyValue();
    const heldDuring: unknown[] = [];
    const result = await rotationSweep({ store, kv, plans: [keepTwo], timeZone: 'UTC', now: T0 + 10 * DAY, backupRunning: async () => false,
      onDeleted: async () => void heldDuring.push(kv.map.get(MAINTENANCE_LOCK_KEY)) });
    expect(result.ran && result.reports[0].deleted).toHaveLength(3);
    expect(heldDuring).toEqual([{ owner: expect.stringMatching(/^rotation-/), until: T0 + 10 * DAY + 15 * 60_000 }]);
    expect(kv.map.has(MAINTENANCE_LOCK_KEY)).toBe(false);
  });

  it('looks for running backups again after taking the lock: a backup that started meanwhile stops it', async () => {
    const { store } = await site();
    const before = await listSnapshotIds(store);
    const kv = atomicKeyValue();
    const looks: boolean[] = [];
    // Nothing runs at the first look; a backup starts before the lock is taken.
    const backupRunning = async () => {
      looks.push(kv.map.has(MAINTENANCE_LOCK_KEY));
      return looks.length > 1;
    };
    const result = await rotationSweep({ store, kv, plans: [keepTwo], timeZone: 'UTC', now: T0 + 10 * DAY, backupRunning });
    expect(result).toEqual({ ran: false, reason: 'backup-running' });
    expect(looks).toEqual([false, true]);
    expect(await listSnapshotIds(store)).toEqual(before);
    expect(kv.map.has(MAINTENANCE_LOCK_KEY)).toBe(false);
  });

  it('stands back while another sweep or an admin delete holds the lock; an expired lock is taken over', async () => {
    const { store } = await site();
    const before = await listSnapshotIds(store);
    const kv = atomicKeyValue();
    const now = T0 + 10 * DAY;
    kv.map.set(MAINTENANCE_LOCK_KEY, { owner: 'delete-1', until: now + 60_000 });
    const deps = { store, kv, plans: [keepTwo], timeZone: 'UTC', now, backupRunning: async () => false };
    expect(await rotationSweep(deps)).toEqual({ ran: false, reason: 'maintenance' });
    expect(await listSnapshotIds(store)).toEqual(before);
    expect(kv.map.get(MAINTENANCE_LOCK_KEY)).toEqual({ owner: 'delete-1', until: now + 60_000 });

    const later = await rotationSweep({ ...deps, now: now + 61_000 });
    expect(later.ran && later.reports[0].deleted).toHaveLength(3);
    expect(kv.map.has(MAINTENANCE_LOCK_KEY)).toBe(false);
  });
});
