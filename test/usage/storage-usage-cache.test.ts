/**
 * The control panel's storage-use figure, kept in KVS: real backups of the Jira simulator into the real in-memory
 * store, the app's own resolver for the panel and for deleting, the worker's recount handler, the retention sweep.
 * After each kind of change the cached figure must equal a full count of what the store holds, and the panel must
 * get it without counting the store (no usage() call, no listing beyond the snapshot list the file table needs).
 */
import { readSiteProjects, type ControlPanelView } from '../../src/core/admin';
import { startBackup } from '../../src/core/backup';
import { anyBackupRunning } from '../../src/core/backup';
import { rotationSweep } from '../../src/core/retention';
import {
  readCachedUsage, readUsageRecord, recountUsage, recordDeletion, requestRecountIfDue, trackDeletions, USAGE_CHANGED_KEY, USAGE_KEY, USAGE_RECOUNT_EVENT,
} from '../../src/core/usage';
import { provideAdminPorts, resolver } from '../../src/entry/resolver';
import { engineBackupJobs } from '../../src/entry/resolvers/engine-backup-jobs';
import { snapshotBackupFiles } from '../../src/entry/resolvers/snapshot-files';
import { storeGauge } from '../../src/entry/resolvers/store-gauge';
import { handleUsageRecount } from '../../src/entry/usage-recount';
import { createHttpJiraClient } from '../../src/adapters/jira/http-jira-client';
import { MemoryStore } from '../../src/adapters/storage/memory-store';
import { sha256Hex } from '../../src/adapters/storage/sha256';
import { drain, startHarness, testPlan, type Harness } from '../backup/harness';
import { FakeTester, MemorySecrets } from '../admin/fakes';
import { asSimulatorUser, invokeAs } from '../resolvers/invoke';

const QUOTA = 50 * 1024 ** 2;

/** What the store really holds, counted object by object (independent of usage() and of the cache). */
async function fullCount(store: MemoryStore): Promise<{ usedBytes: number; objectCount: number }> {
  const objects = await store.list('');
  return { usedBytes: objects.reduce((sum, o) => sum + o.size, 0), objectCount: objects.length };
}

/**
 * Store calls a panel load made beyond what its file table needs (listing `snapshots/`, reading a manifest once):
 * a count of the store would show here as usage() or as listings of the packs, blobs and indexes.
 */
function beyondTheFileList(calls: MemoryStore['calls']): MemoryStore['calls'] {
  return calls.filter((c) => !(c.operation === 'list' && c.path === 'snapshots/') && !(c.operation === 'get' && c.path?.startsWith('snapshots/')));
}

async function cachedFigure(h: Harness): Promise<{ usedBytes: number; objectCount: number }> {
  const cached = await readCachedUsage(h.kv, h.store.properties.description);
  if (cached.state !== 'measured') throw new Error('the figure was never measured');
  return { usedBytes: cached.usedBytes, objectCount: cached.objectCount };
}

describe('storage use kept in KVS, through the resolver and the engine', () => {
  let h: Harness;
  let admin: string;
  const plan = testPlan({ retention: { mode: 'count', keep: 1 } });

  /** One panel load; returns its storage part and the store calls it made. */
  async function panel(): Promise<{ storage: ControlPanelView['storage']; calls: MemoryStore['calls'] }> {
    const from = h.store.calls.length;
    const answer = await invokeAs<ControlPanelView>(resolver, admin, 'getControlPanel');
    if (!answer.ok) throw new Error(JSON.stringify(answer));
    return { storage: answer.data.storage, calls: h.store.calls.slice(from) };
  }

  async function backUp(): Promise<void> {
    h.clock.offset += 60 * 60_000;
    expect(await startBackup(h.deps, { plan, trigger: 'manual', now: h.clock.now() })).toMatchObject({ started: true });
    await drain(h);
  }

  beforeAll(async () => {
    h = await startHarness({
      sim: { site: { seed: 5, projects: 2, issues: 20, attachmentsMb: 1 } },
      store: new MemoryStore({ maxObjectBytes: 1024 * 1024, quotaBytes: QUOTA, description: 'Managed storage' }),
    });
    admin = h.sim.accounts.admin;
    const asApp = createHttpJiraClient({ baseUrl: h.sim.baseUrl });
    provideAdminPorts(() => ({
      kv: h.kv,
      secrets: new MemorySecrets(),
      clock: h.clock,
      jiraAsUser: (accountId) => asSimulatorUser(h.sim.baseUrl, accountId),
      siteTimeZone: async () => 'Europe/Berlin',
      siteProjects: () => readSiteProjects(asApp),
      jobs: engineBackupJobs(h.kv, () => h.deps),
      // As forgeAdminPorts wires it: deletes coordinate with the engine through the same KVS, and are counted.
      files: snapshotBackupFiles(h.store, { type: 'link', linkFor: async (path) => ({ url: `https://objects.local/${path}` }) }, h.kv, { kv: h.kv, clock: h.clock }),
      gauge: storeGauge(h.store, h.kv, QUOTA),
      tester: new FakeTester(),
    }));
  });
  afterAll(async () => {
    provideAdminPorts(undefined);
    await h.stop();
  });

  it('before the first count the panel says the use is being measured, and counts nothing itself', async () => {
    const { storage, calls } = await panel();
    expect(storage).toMatchObject({ description: 'Managed storage', measuring: true, quotaText: '50.0 MB' });
    expect(storage.usedBytes).toBeUndefined();
    expect(beyondTheFileList(calls)).toEqual([]);
  });

  it('a finished backup marks the figure for a recount; the worker\'s recount then equals a full count, and the panel shows it "as of"', async () => {
    await backUp();
    expect((await h.kv.get<{ target: string }>(USAGE_CHANGED_KEY))?.target).toBe('Managed storage');
    expect(await readCachedUsage(h.kv, 'Managed storage')).toEqual({ state: 'unmeasured' });

    await handleUsageRecount(h.deps); // what the worker runs for the usage.recount event the finished backup queued
    const truth = await fullCount(h.store);
    expect(truth.objectCount).toBeGreaterThan(5); // a real repository: packs, indexes, checksums, manifest
    expect(await cachedFigure(h)).toEqual(truth);
    expect(await h.kv.get(USAGE_CHANGED_KEY)).toBeUndefined();

    const { storage, calls } = await panel();
    expect(storage).toMatchObject({ usedBytes: truth.usedBytes, objectCount: truth.objectCount, quotaBytes: QUOTA });
    expect(storage.measuring).toBeUndefined();
    // In the site's time zone (Europe/Berlin is UTC+1 in November).
    const local = new Date((await readUsageRecord(h.kv)).record!.updatedAt + 60 * 60_000).toISOString();
    expect(storage.asOfText).toBe(`Storage use as of ${local.slice(0, 10)} ${local.slice(11, 16)}`);
    expect(beyondTheFileList(calls)).toEqual([]);
  });

  it('the next backup leaves the old figure on the panel, marked as being counted again, until the recount', async () => {
    const before = await cachedFigure(h);
    await backUp();
    const { storage } = await panel();
    expect(storage.usedBytes).toBe(before.usedBytes);
    expect(storage.asOfText).toMatch(/^Storage use as of .* \(being counted again after the latest backup\)$/);

    await handleUsageRecount(h.deps);
    const truth = await fullCount(h.store);
    expect(truth.usedBytes).toBeGreaterThan(before.usedBytes);
    expect(await cachedFigure(h)).toEqual(truth);
    expect((await panel()).storage.asOfText).not.toMatch(/counted again/);
  });

  it('deleting a backup on the panel takes exactly what it freed off the figure, without a recount', async () => {
    const files = (await invokeAs<ControlPanelView>(resolver, admin, 'getControlPanel'));
    if (!files.ok) throw new Error('no panel');
    expect(files.data.files).toHaveLength(2);
    const before = await cachedFigure(h);
    h.clock.offset += 60_000;
    const from = h.store.calls.length;
    expect(await invokeAs(resolver, admin, 'deleteBackup', { fileId: files.data.files[1].id, confirmed: true })).toEqual({ ok: true, data: { deleted: true } });
    expect(h.store.calls.slice(from).filter((c) => c.operation === 'usage')).toEqual([]);

    const truth = await fullCount(h.store);
    expect(truth.usedBytes).toBeLessThan(before.usedBytes);
    expect(await cachedFigure(h)).toEqual(truth);
    const record = (await readUsageRecord(h.kv)).record!;
    expect(record.updatedAt).toBeGreaterThan(record.measuredAt);
    const { storage } = await panel();
    expect(storage.usedBytes).toBe(truth.usedBytes);
  });

  it('a retention sweep takes what it deleted off the figure too (keep 1 after two more backups)', async () => {
    await backUp();
    await handleUsageRecount(h.deps);
    await backUp();
    await handleUsageRecount(h.deps);
    expect((await h.store.list('snapshots/')).length).toBe(3);
    const before = await cachedFigure(h);

    h.clock.offset += 60_000;
    // As forgeSchedulerDeps wires the scheduler's rotate.
    const result = await trackDeletions(h.deps, (store) =>
      rotationSweep({ store, kv: h.kv, plans: [plan], timeZone: 'UTC', now: h.clock.now(), backupRunning: () => anyBackupRunning(h.kv) }));
    expect(result).toMatchObject({ ran: true, reports: [{ deleted: [expect.any(String), expect.any(String)] }] });
    expect((await h.store.list('snapshots/')).length).toBe(1);

    const truth = await fullCount(h.store);
    expect(truth.usedBytes).toBeLessThan(before.usedBytes);
    expect(await cachedFigure(h)).toEqual(truth);
    expect(await h.kv.get(USAGE_CHANGED_KEY)).toBeUndefined();
  });

  it('switching the storage target makes the figure not apply: the panel says "being measured" and the scheduler queues a count', async () => {
    const sftp = new MemoryStore({ description: 'SFTP backup.example.com:22:/backups' });
    const data = new TextEncoder().encode('already on the server');
    await sftp.put('data/old', data, sha256Hex(data));
    const gauge = storeGauge(sftp, h.kv);
    expect(await gauge.usage()).toEqual({ description: 'SFTP backup.example.com:22:/backups' });
    expect(sftp.calls).toHaveLength(1); // the put above: reading the gauge asked the store nothing

    const now = h.clock.now();
    expect(await requestRecountIfDue({ kv: h.kv, queue: h.queue, clock: h.clock, target: sftp.properties.description }))
      .toBe('storage changed (was Managed storage)');
    expect(h.queue.pending.map((p) => p.event)).toEqual([{ kind: USAGE_RECOUNT_EVENT, reason: 'storage changed (was Managed storage)' }]);
    // A tick five minutes later does not queue a second count while the first may still run.
    h.clock.offset += 5 * 60_000;
    expect(await requestRecountIfDue({ kv: h.kv, queue: h.queue, clock: h.clock, target: sftp.properties.description })).toBeUndefined();
    expect(h.queue.pending).toHaveLength(1);
    h.queue.pending.length = 0;

    // A deletion counted against the old target must not touch the new one's figure (there is none yet).
    await recordDeletion(h.kv, sftp.properties.description, { bytes: 5, objects: 1 }, now);
    expect((await readUsageRecord(h.kv)).record?.target).toBe('Managed storage');

    await recountUsage({ store: sftp, kv: h.kv, clock: h.clock });
    expect(await gauge.usage()).toMatchObject({ usedBytes: data.byteLength, objectCount: 1, asOf: expect.any(Number) });
    // And back: the managed figure is gone with the switch, so it is measured again rather than shown stale.
    expect(await readCachedUsage(h.kv, 'Managed storage')).toEqual({ state: 'unmeasured' });
    expect((await panel()).storage.measuring).toBe(true);
  });

  it('a figure older than a day is counted again; a fresh one is not', async () => {
    await recountUsage(h.deps);
    h.queue.pending.length = 0;
    expect(await requestRecountIfDue({ kv: h.kv, queue: h.queue, clock: h.clock, target: 'Managed storage' })).toBeUndefined();
    h.clock.offset += 24 * 60 * 60_000;
    expect(await requestRecountIfDue({ kv: h.kv, queue: h.queue, clock: h.clock, target: 'Managed storage' })).toBe('last count is over a day old');
  });
});

describe('recount against concurrent changes', () => {
  it('a deletion applied while counting leaves the figure marked, so it is counted again', async () => {
    const h = await startHarness({ sim: { site: { seed: 1, projects: 1, issues: 1 } } });
    try {
      const data = new TextEncoder().encode('x'.repeat(100));
      await h.store.put('data/a', data, sha256Hex(data));
      await recountUsage(h.deps);
      // The store's usage() is where a deletion lands mid-count (another invocation, holding the maintenance lock).
      const realUsage = h.store.usage.bind(h.store);
      h.store.usage = async () => {
        const measured = await realUsage();
        await recordDeletion(h.kv, 'Memory', { bytes: 100, objects: 1 }, h.clock.now());
        return measured;
      };
      const result = await recountUsage(h.deps);
      expect(result.overlapped).toBe(true);
      expect(await h.kv.get(USAGE_CHANGED_KEY)).toMatchObject({ target: 'Memory' });
      expect(await readCachedUsage(h.kv, 'Memory')).toMatchObject({ state: 'measured', changedSince: true });
      expect(await h.kv.get(USAGE_KEY)).toMatchObject({ usedBytes: 100, objectCount: 1 });
    } finally {
      await h.stop();
    }
  });
});
