import { createHash } from 'node:crypto';
import { MemoryStore } from '../../src/adapters/storage/memory-store';
import { listSnapshotIds, verifySnapshot } from '../../src/core/format';
import { rotatePlan } from '../../src/core/retention';
import { DAY, T0, site, snapshot } from './snapshot-fixture';

const options = { planId: 'daily', policy: { mode: 'count' as const, keep: 2 }, timeZone: 'Europe/Berlin', now: T0 + 10 * DAY };

describe('rotatePlan', () => {
  it('deletes what the policy removes, oldest first, and every remaining snapshot still verifies', async () => {
    const { store, daily, other } = await site();
    const report = await rotatePlan({ store, ...options });
    expect(report.keep.map((k) => k.id)).toEqual([daily[4], daily[3]]);
    expect(report.deleted).toEqual([daily[0], daily[1], daily[2]]);
    expect(report.freedBytes).toBeGreaterThan(0);
    expect((await listSnapshotIds(store)).sort()).toEqual([daily[3], daily[4], other].sort());
    for (const id of [daily[3], daily[4], other]) expect((await verifySnapshot(store, id)).ok).toBe(true);
  });

  it('a dry run explains the same decision and deletes nothing', async () => {
    const { store, daily } = await site();
    const before = (await store.list('')).length;
    const dry = await rotatePlan({ store, ...options, dryRun: true });
    expect(dry.deleted).toEqual([]);
    expect((await store.list('')).length).toBe(before);
    expect(dry.remove.map((r) => r.id)).toEqual([daily[2], daily[1], daily[0]]);
    expect(dry.remove[0].reason).toMatch(/not among the newest 2/);
    const real = await rotatePlan({ store, ...options });
    expect({ keep: real.keep, remove: real.remove }).toEqual({ keep: dry.keep, remove: dry.remove });
  });

  it('keeps protected snapshots and says why', async () => {
    const { store, daily } = await site();
    const report = await rotatePlan({ store, ...options, protect: { [daily[1]]: 'a running backup builds on it' } });
    expect(report.deleted).toEqual([daily[0], daily[2]]);
    expect(report.keep.map((k) => k.id)).toEqual([daily[4], daily[3], daily[1]]);
    expect(report.keep[2].reasons[0]).toMatch(/^protected: a running backup builds on it \(the policy alone would remove it/);
  });

  it('stops at maxDeletes and finishes on the next run', async () => {
    const { store, daily } = await site();
    const first = await rotatePlan({ store, ...options, maxDeletes: 2 });
    expect(first).toEqual(expect.objectContaining({ done: false, deleted: [daily[0], daily[1]] }));
    const second = await rotatePlan({ store, ...options, maxDeletes: 2 });
    expect(second).toEqual(expect.objectContaining({ done: true, deleted: [daily[2]] }));
  });
});

describe('rotatePlan with a damaged manifest', () => {
  it('deletes nothing that an unreadable snapshot might need: it refuses, and every object stays', async () => {
    const { store } = await site();
    const damaged = (await store.list('snapshots/')).find((o) => o.path.includes('weekly'))!.path;
    const bytes = await store.get(damaged);
    bytes[10] ^= 0x01;
    await store.put(damaged, bytes, createHash('sha256').update(bytes).digest('hex'));
    const before = (await store.list('')).map((o) => o.path);

    await expect(rotatePlan({ store, ...options })).rejects.toThrow();
    expect((await store.list('')).map((o) => o.path)).toEqual(before);
  });
});
