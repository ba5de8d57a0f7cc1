import { join } from 'node:path';
import { EmulatorConfigError, ForgePlatform } from '../../local/forge';
import { startJiraSimulator, type JiraSimulator } from '../../local/jira-sim';
import { forgeKeyValue } from '../../src/adapters/forge';
import { ManagedStore } from '../../src/adapters/storage/managed-store';
import type { AuditEntry, ControlPanelView } from '../../src/core/admin';
import { listSnapshotIds, parseObjectPath, referencedObjects, verifySnapshot, writeIndexParts, writeRecords } from '../../src/core/format';
import { defaultPlan } from '../../src/core/plans';
import { GARBAGE_RUN_KEY, type GarbageRun } from '../../src/core/retention';
import { USAGE_KEY } from '../../src/core/usage';
import { forgeWorkerDeps, provideWorkerDeps } from '../../src/entry/worker';
import { adminPageCaller } from '../resolvers/invoke';

/**
 * Garbage collection as deployed: the manifest's five-minute trigger starts it, the manifest's consumer runs its
 * `maintenance.gc` steps on the real @forge/kvs and @forge/object-store against the emulator (managed storage), the
 * admin page's resolvers back up, delete and browse. The app reads the wall clock, so Date.now follows the platform's
 * clock: time passes for the app exactly as the emulator moves it (a day, to age objects past the margin).
 * Steps delete at most two objects here, so a run takes several steps and a backup can start between them.
 */
describe('garbage collection through the Forge emulator (managed storage)', () => {
  const HOUR = 3_600_000;
  const start = Date.UTC(2026, 10, 26, 1, 50);
  let sim: JiraSimulator;
  let platform: ForgePlatform;
  let admin: string;
  let planId: string;
  /** The same managed storage the app uses (KVS catalog + Object Store), opened by the test to look and to plant files. */
  let store: ManagedStore;
  /** Unreferenced objects in the store once backups ran and a backup was deleted: what the daily run must remove. */
  let garbage: { path: string; size: number }[] = [];
  let young: string[] = [];
  let thirdSnapshot = '';

  beforeAll(async () => {
    sim = await startJiraSimulator({ port: 0, site: { seed: 21, projects: 2, issues: 18, attachmentsMb: 0.2 } });
    platform = await ForgePlatform.start({ appDir: join(__dirname, '..', '..'), dataDir: 'memory', jira: { baseUrl: sim.baseUrl }, clock: { startAt: start } });
    jest.spyOn(Date, 'now').mockImplementation(() => platform.clock.now());
    admin = sim.accounts.admin;
    store = new ManagedStore({ keyValue: forgeKeyValue(), clock: { now: () => Date.now() } });
    provideWorkerDeps(async () => ({ ...(await forgeWorkerDeps()), garbageLimits: { maxDeletesPerStep: 2 } }));
  });
  afterAll(async () => {
    provideWorkerDeps(forgeWorkerDeps);
    jest.restoreAllMocks();
    await platform?.stop();
    await sim?.stop();
  });

  const call = adminPageCaller(() => platform, () => admin);

  async function backUpNow(): Promise<void> {
    await call('backupNow', { planId });
    await platform.runUntilIdle();
  }

  /** Delivers the next due event only (time jumps to it if it is delayed). */
  async function deliverOne(): Promise<void> {
    try {
      await platform.runUntilIdle({ maxDeliveries: 1 });
    } catch (error) {
      if (!(error instanceof EmulatorConfigError)) throw error; // "still busy": more events are queued
    }
  }

  async function advance(ms: number, step = 60_000): Promise<void> {
    for (let done = 0; done < ms; done += step) await platform.clock.advance(Math.min(step, ms - done));
  }

  function run(): GarbageRun | undefined {
    return platform.kvs.dump()[GARBAGE_RUN_KEY] as GarbageRun | undefined;
  }

  async function contentObjects(): Promise<Map<string, number>> {
    const all = await store.list('');
    return new Map(all.filter((o) => parseObjectPath(o.path)).map((o) => [o.path, o.size]));
  }

  async function expectEverySnapshotSound(): Promise<void> {
    for (const id of await listSnapshotIds(store)) {
      const report = await verifySnapshot(store, id);
      expect({ id, ok: report.ok, done: report.done, problems: report.problems }).toEqual({ id, ok: true, done: true, problems: [] });
      // And the restore tab reads it: its projects, and an issue with everything it holds.
      const projects = await call<{ key: string; issueCount: number }[]>('restoreListProjects', { fileId: id });
      expect(projects.length).toBe(2);
      const issue = `${projects[0].key}-1`;
      expect(await call<{ key: string }>('restoreShowIssue', { fileId: id, issue })).toMatchObject({ key: issue });
    }
  }

  it('backups, a crashed run and a deleted backup leave files that no snapshot references', async () => {
    const { id: _id, ...draft } = { ...defaultPlan('', 'Manual'), enabled: false, content: 'extended' as const };
    planId = (await call<{ id: string }>('savePlan', { plan: draft })).id;
    await backUpNow();
    await advance(2 * 60_000); // a manual job's id is its start to the millisecond
    await backUpNow();
    // What a run that crashed before its commit wrote: records, index parts and their checksum lists.
    for (let n = 0; n < 3; n++) {
      const records = await writeRecords(store, [{ type: 'issue', id: `99${n}`, key: `LOST-${n}`, project: 'LOST', data: { fields: { summary: `crashed run ${n}` } } }]);
      await writeIndexParts(store, records.entries);
    }
    const files = (await call<ControlPanelView>('getControlPanel')).files;
    expect(files).toHaveLength(2);
    await call('deleteBackup', { fileId: files[files.length - 1].id, confirmed: true });

    const kept = await referencedObjects(store, await listSnapshotIds(store));
    garbage = [...(await contentObjects())].filter(([path]) => !kept.has(path)).map(([path, size]) => ({ path, size }));
    expect(garbage.length).toBeGreaterThanOrEqual(9);
  });

  it('right away, and until they are a day old, nothing is removed', async () => {
    await advance(23 * HOUR, 5 * 60_000);
    // Written an hour before the daily run, and never referenced: younger than the margin, it stays.
    const records = await writeRecords(store, [{ type: 'issue', id: '995', key: 'LOST-5', project: 'LOST', data: { fields: { summary: 'in flight' } } }]);
    young = [records.entries[0].pack];
    const objects = await contentObjects();
    expect(garbage.filter((g) => !objects.has(g.path))).toEqual([]);
    const audit = await call<{ entries: AuditEntry[] }>('getAuditLog');
    expect(audit.entries.filter((e) => e.action === 'storage.cleaned')).toEqual([]);
  });

  it('a day later a run starts; a backup started between its steps is never corrupted, and the run waits while it runs or is paused', async () => {
    // Half a minute at a time up to the step that leaves the lock free and queues the next one a minute later.
    for (let i = 0; i < 6 * 120 && !(run() && run()!.seq >= 2); i++) await platform.clock.advance(30_000);
    expect(run()).toMatchObject({ seq: 2, deletedObjects: 2, reason: 'daily' });

    // The admin presses "Back up now" between two steps; Jira's quota then runs out, so the backup pauses.
    await call('backupNow', { planId });
    sim.configure({ rateLimits: { hourlyPoints: 1, now: () => platform.clock.now() } });
    for (let i = 0; i < 20 && run()?.waiting === undefined; i++) await deliverOne();
    expect(run()).toMatchObject({ seq: 2, deletedObjects: 2, waiting: 'backup-running' });
    const jobs = Object.entries(platform.kvs.dump()).filter(([key]) => key.startsWith('backup:job:')).map(([, job]) => job as { state: string; pausedUntil?: number });
    expect(jobs.filter((job) => job.state === 'running')).toEqual([expect.objectContaining({ pausedUntil: expect.any(Number) })]);

    // Jira answers again; the backup resumes after the quota window, finishes, and the next ticks resume the run.
    sim.configure({ rateLimits: 'off' });
    await platform.runUntilIdle();
    const panel = await call<ControlPanelView>('getControlPanel');
    expect(panel.files.map((f) => f.state)).toEqual(['complete', 'complete']);
    thirdSnapshot = panel.files[0].id;
    await advance(10 * 60_000);
    await platform.runUntilIdle();
    expect(run()).toBeUndefined();
  });

  it('removed exactly the old unreferenced files; every snapshot verifies and restores; audited; storage use still exact', async () => {
    const objects = await contentObjects();
    expect(garbage.filter((g) => objects.has(g.path))).toEqual([]);
    expect(young.filter((path) => objects.has(path))).toEqual(young);
    const needed = await referencedObjects(store, await listSnapshotIds(store));
    expect([...needed].filter((path) => !objects.has(path))).toEqual([]);
    expect(await listSnapshotIds(store)).toContain(thirdSnapshot);
    await expectEverySnapshotSound();

    const audit = await call<{ entries: AuditEntry[] }>('getAuditLog', { limit: 100 });
    const freedBytes = garbage.reduce((sum, g) => sum + g.size, 0);
    expect(audit.entries.filter((e) => e.action === 'storage.cleaned')).toEqual([
      expect.objectContaining({ actor: 'retention', details: expect.objectContaining({ deletedObjects: garbage.length, freedBytes, reason: 'daily' }) }),
    ]);

    // The panel's figure took off what the run removed: it equals what the Object Store holds.
    const holds = platform.objectStore.list().filter((o) => o.key.startsWith('backups/'));
    expect(platform.kvs.dump()[USAGE_KEY]).toMatchObject({ usedBytes: holds.reduce((sum, o) => sum + o.size, 0), objectCount: holds.length });
  });
});
