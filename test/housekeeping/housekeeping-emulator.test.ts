import { join } from 'node:path';
import { ForgePlatform } from '../../local/forge';
import { startJiraSimulator, type JiraSimulator } from '../../local/jira-sim';
import { forgeKeyValue } from '../../src/adapters/forge';
import { ManagedStore } from '../../src/adapters/storage/managed-store';
import type { AuditEntry, ControlPanelView } from '../../src/core/admin';
import { listSnapshotIds, referencedObjects } from '../../src/core/format';
import { defaultPlan } from '../../src/core/plans';
import { HOUSEKEEPING_LAST_KEY, HOUSEKEEPING_RUN_KEY, type HousekeepingLast } from '../../src/core/housekeeping';
import { firstSeenKey } from '../../src/core/retention';
import type { KeyValue, KeyValueOperation } from '../../src/ports';
import { forgeWorkerDeps, provideWorkerDeps } from '../../src/entry/worker';
import { adminPageCaller } from '../resolvers/invoke';

/**
 * KVS housekeeping as deployed: the manifest's five-minute trigger starts a run once a day, the manifest's consumer runs
 * its `maintenance.housekeeping` steps on the real @forge/kvs against the emulator. The admin page's resolvers back up,
 * dry-run, compare and restore; the clock then moves on by days (every trigger on the way runs: rotation, garbage
 * collection, usage, housekeeping). The app reads the wall clock, so Date.now follows the platform's clock.
 * Steps delete at most 7 keys here, so a run takes several steps.
 */
describe('housekeeping through the Forge emulator', () => {
  const HOUR = 3_600_000;
  const DAY = 24 * HOUR;
  const MAX_DELETES = 7;
  const start = Date.UTC(2026, 10, 2, 9, 0);
  /** Key families housekeeping may touch; everything else (audit log, managed storage's catalog…) is other code's. */
  const FAMILIES = ['backup:', 'restore-', 'maintenance:gc:first-seen:'];
  let sim: JiraSimulator;
  let platform: ForgePlatform;
  let admin: string;
  let planId: string;
  let store: ManagedStore;
  let olderJob = '';
  let latestJob = '';
  let restoredId = '';
  let restoredKey = '';
  let projectKey = '';
  let restoreId = '';
  let unusedPreview = '';
  let unwatchedRestore = '';
  let diffId = '';
  let before = new Set<string>();
  const MISSING_NOTE = firstSeenKey('packs/0f/0f00000000000000000000000000000000000000000000000000000000000000.jsonl.gz');
  /** Keys each worker invocation deleted for housekeeping. */
  const deletesPerInvocation: number[] = [];
  let crashOnce = false;
  let crashed = false;

  beforeAll(async () => {
    sim = await startJiraSimulator({ port: 0, site: { seed: 31, projects: 1, issues: 12, attachmentsMb: 0 } });
    platform = await ForgePlatform.start({ appDir: join(__dirname, '..', '..'), dataDir: 'memory', jira: { baseUrl: sim.baseUrl }, clock: { startAt: start } });
    jest.spyOn(Date, 'now').mockImplementation(() => platform.clock.now());
    admin = sim.accounts.admin;
    store = new ManagedStore({ keyValue: forgeKeyValue(), clock: { now: () => Date.now() } });
    // The worker's real ports, its KVS seen through a counter: how many keys each invocation deletes, and (once) a crash
    // right after a housekeeping step's second group of deletes, as if the invocation died there.
    provideWorkerDeps(async () => {
      const deps = await forgeWorkerDeps();
      const kv = deps.backup.kv;
      const invocation = deletesPerInvocation.push(0) - 1;
      let groups = 0;
      const counted: KeyValue = {
        ...kv,
        transact: async (operations: KeyValueOperation[]) => {
          await kv.transact(operations);
          const housekeeping = operations.some((o) => o.op === 'set' && o.key === HOUSEKEEPING_RUN_KEY);
          if (!housekeeping) return;
          deletesPerInvocation[invocation] += operations.filter((o) => o.op === 'delete').length;
          if (crashOnce && ++groups === 2) {
            crashOnce = false;
            crashed = true;
            throw new Error('invocation died after its second group of deletes');
          }
        },
      };
      return { ...deps, backup: { ...deps.backup, kv: counted }, housekeepingLimits: { maxDeletesPerStep: MAX_DELETES } };
    });
  });
  afterAll(async () => {
    provideWorkerDeps(forgeWorkerDeps);
    jest.restoreAllMocks();
    await platform?.stop();
    await sim?.stop();
  });

  const call = adminPageCaller(() => platform, () => admin);

  const dump = () => platform.kvs.dump();
  const ours = (keys: Iterable<string>) => new Set([...keys].filter((key) => FAMILIES.some((f) => key.startsWith(f))));
  const jobOf = (jobId: string) => dump()[`backup:job:${jobId}`] as { state: string; mode: string } | undefined;

  /** Moves the clock in five-minute steps: every trigger and every due event on the way runs. */
  async function age(ms: number): Promise<void> {
    for (let done = 0; done < ms; done += HOUR) await platform.clock.advance(Math.min(HOUR, ms - done));
  }

  async function dryRun(requestId: string, issueId: string): Promise<string> {
    const { planningId } = await call<{ planningId: string }>('restorePreview', { requestId, fileId: latestSnapshot(), request: { kind: 'issues', issueIds: [issueId] } });
    await platform.runUntilIdle();
    expect(await call<{ state: string }>('restorePreviewStatus', { planningId })).toMatchObject({ state: 'done' });
    return planningId;
  }

  async function restore(previewId: string): Promise<{ state: string; issues: { sourceKey: string; targetKey?: string }[] }> {
    const started = await call<{ restoreId: string }>('restoreStart', { previewId, confirmed: true });
    await platform.runUntilIdle();
    return { ...(await call<{ state: string; issues: { sourceKey: string; targetKey?: string }[] }>('restoreStatus', { restoreId: started.restoreId })), restoreId: started.restoreId } as never;
  }

  let snapshots: string[] = [];
  const latestSnapshot = () => snapshots[0];
  const issuesInProject = async () =>
    ((await (await fetch(`${sim.baseUrl}/rest/api/3/search/jql?jql=${encodeURIComponent(`project = ${projectKey}`)}&maxResults=5000`)).json()) as { issues: unknown[] }).issues.length;

  it('backups, a restore, a dry run nobody started, a comparison and garbage collection leave their records', async () => {
    // The full re-read interval (where the app has one) must not turn the run after the aging into a full one.
    const { id: _id, ...draft } = { ...defaultPlan('', 'Manual'), enabled: false, fullEveryDays: 90 };
    planId = (await call<{ id: string }>('savePlan', { plan: draft })).id;
    await call('backupNow', { planId });
    await platform.runUntilIdle();
    await platform.clock.advance(2 * 60_000);
    await call('backupNow', { planId });
    await platform.runUntilIdle();
    const jobs = Object.keys(dump()).filter((k) => k.startsWith('backup:job:')).map((k) => k.slice('backup:job:'.length)).sort();
    expect(jobs).toHaveLength(2);
    latestJob = dump()[`backup:latest:${planId}`] as string;
    olderJob = jobs.find((j) => j !== latestJob)!;
    expect(jobOf(latestJob)).toMatchObject({ state: 'complete', mode: 'incremental' });
    snapshots = (await call<ControlPanelView>('getControlPanel')).files.map((f) => f.id);

    // An issue is deleted on the site and restored from the backup: dry run, then the restore.
    const ids = [...sim.site.issues.keys()].sort((a, b) => a - b);
    restoredId = String(ids[3]);
    const issue = (await (await fetch(`${sim.baseUrl}/rest/api/3/issue/${restoredId}?fields=summary`)).json()) as { key: string };
    projectKey = issue.key.split('-')[0];
    expect((await fetch(`${sim.baseUrl}/rest/api/3/issue/${issue.key}`, { method: 'DELETE' })).status).toBe(204);
    const previewId = await dryRun('restore-first-run', restoredId);
    const first = (await restore(previewId)) as unknown as { state: string; restoreId: string; issues: { targetKey?: string }[] };
    expect(first.state).toBe('done');
    restoreId = first.restoreId;
    restoredKey = first.issues[0].targetKey!;
    expect(restoredKey).toMatch(new RegExp(`^${projectKey}-\\d+$`));
    // A restore whose status nobody opens after it ended (its end is not audited yet).
    const unwatchedIssue = (await (await fetch(`${sim.baseUrl}/rest/api/3/issue/${ids[7]}?fields=summary`)).json()) as { key: string };
    expect((await fetch(`${sim.baseUrl}/rest/api/3/issue/${unwatchedIssue.key}`, { method: 'DELETE' })).status).toBe(204);
    unwatchedRestore = (await call<{ restoreId: string }>('restoreStart', { previewId: await dryRun('restore-unwatched-1', String(ids[7])), confirmed: true })).restoreId;
    await platform.runUntilIdle();
    expect(dump()[`restore-job:${unwatchedRestore}`]).toMatchObject({ status: 'done' });
    expect(dump()[`restore-audited:${unwatchedRestore}`]).toBeUndefined();
    // A dry run the admin never confirmed, and a "what changed" comparison.
    unusedPreview = await dryRun('never-confirmed-1', String(ids[5]));
    diffId = (await call<{ diffId: string }>('restoreDiffProject', { requestId: 'compare-once-1', fileId: latestSnapshot(), projectKey })).diffId;
    await platform.runUntilIdle();
    expect(await call<{ state: string }>('restoreDiffStatus', { diffId })).toMatchObject({ state: 'done' });

    // Garbage collection's age notes, as an FTP server without file times makes it leave them: one for an object that
    // is still in the store, one for an object someone removed from the server.
    const kept = [...(await referencedObjects(store, await listSnapshotIds(store)))][0];
    await forgeKeyValue().set(firstSeenKey(kept), start);
    await forgeKeyValue().set(MISSING_NOTE, start);

    before = ours(Object.keys(dump()));
    expect([...before].filter((k) => k.startsWith(`backup:task:${olderJob}:`)).length).toBeGreaterThan(0);
    expect([...before].filter((k) => k.startsWith(`backup:projects:${latestJob}:`)).length).toBeGreaterThan(0);
    expect([...before].filter((k) => k.startsWith('restore-map')).length).toBeGreaterThan(0);
  });

  it('the first run removes only the note whose object is gone; for a week nothing else goes', async () => {
    await age(6 * DAY);
    expect([...before].filter((key) => !(key in dump()))).toEqual([MISSING_NOTE]);
    // Daily runs happened (the last one started within the last day), and found nothing else old enough.
    expect((dump()[HOUSEKEEPING_LAST_KEY] as HousekeepingLast).startedAt).toBeGreaterThan(platform.clock.now() - DAY);
    const audit = await call<{ entries: AuditEntry[] }>('getAuditLog', { limit: 100 });
    expect(audit.entries.filter((e) => e.action === 'storage.tidied')).toEqual([
      expect.objectContaining({ actor: 'system', details: expect.objectContaining({ removedKeys: 1, garbageNotes: 1, backupJobKeys: 0, restoreKeys: 0 }) }),
    ]);
  });

  it('a week after, a run removes exactly the stale keys, a few per step, and resumes after its step died', async () => {
    deletesPerInvocation.length = 0;
    crashOnce = true;
    await age(2 * DAY);
    expect(crashed).toBe(true);
    const after = ours(Object.keys(dump()));
    const removed = [...before].filter((key) => !after.has(key)).sort();
    const expected = [...before]
      .filter((key) =>
        // The older job: all of it. The latest: its working keys only (the panel reads its record and project list).
        [`backup:job:${olderJob}`, `backup:selection:${olderJob}`, `backup:selection:${latestJob}`, `backup:running:${olderJob}`].includes(key) ||
        [`backup:task:${olderJob}:`, `backup:projects:${olderJob}:`, `backup:lease:${olderJob}:`, `backup:task:${latestJob}:`, `backup:lease:${latestJob}:`].some((p) => key.startsWith(p)) ||
        // The dry run nobody started and the comparison: planning record, its markers, the plan or diff and their chunks.
        [unusedPreview, diffId].some((id) => key === `restore-planning:${id}` || key.startsWith(`restore-planning:${id}:`) || key === `restore-plan:${id}` ||
          key.startsWith(`restore-plan:${id}:`) || key === `restore-diff:${id}` || key.startsWith(`restore-diff:${id}:`)) ||
        key === MISSING_NOTE,
      )
      .sort();
    expect(removed).toEqual(expected);
    expect(expected.length).toBeGreaterThan(2 * MAX_DELETES);
    // Kept: the latest job's record and project list, the restore (record, results, plan) and every id map entry.
    expect(after.has(`backup:job:${latestJob}`)).toBe(true);
    expect([...after].filter((k) => k.startsWith(`restore-job:${restoreId}`)).length).toBeGreaterThan(1);
    expect([...before].filter((k) => k.startsWith('restore-map')).every((k) => after.has(k))).toBe(true);
    // Budget: no invocation removed more than a step's share, and the run took several steps.
    const steps = deletesPerInvocation.filter((n) => n > 0);
    expect(steps.length).toBeGreaterThanOrEqual(Math.ceil((expected.length - 1) / MAX_DELETES));
    expect(Math.max(...steps)).toBeLessThanOrEqual(MAX_DELETES);

    // Audited once, with the exact count, although a step died half-way (each group of deletes carries its count).
    const audit = await call<{ entries: AuditEntry[] }>('getAuditLog', { limit: 100 });
    expect(audit.entries.filter((e) => e.action === 'storage.tidied')[0]).toMatchObject({
      actor: 'system', details: { removedKeys: expected.length - 1, garbageNotes: 0, restoreKeys: expected.filter((k) => k.startsWith('restore-')).length },
    });
  });

  it('afterwards the panel still shows the last backup, and the next backup runs incrementally and completes', async () => {
    const panel = await call<ControlPanelView>('getControlPanel');
    expect(panel.plans[0].latest).toMatchObject({ jobId: latestJob, state: 'complete' });
    await call('backupNow', { planId });
    await platform.runUntilIdle();
    const latest = dump()[`backup:latest:${planId}`] as string;
    expect(latest).not.toBe(latestJob);
    expect(jobOf(latest)).toMatchObject({ state: 'complete', mode: 'incremental' });
    expect((await call<ControlPanelView>('getControlPanel')).plans[0].latest).toMatchObject({ jobId: latest, state: 'complete' });
  });

  it('a month after the restore its record goes, its id map stays, and restoring the same issue again creates nothing twice', async () => {
    const maps = [...before].filter((k) => k.startsWith('restore-map'));
    await age(24 * DAY);
    const keys = new Set(Object.keys(dump()));
    expect([...keys].filter((k) => k.startsWith(`restore-job:${restoreId}`) || k.startsWith(`restore-plan:${restoreId}`) || k.startsWith(`restore-planning:${restoreId}`))).toEqual([]);
    expect(keys.has(`restore-audited:${restoreId}`)).toBe(false);
    // The restore nobody looked at went too, once housekeeping had written the end the status page would have audited.
    expect([...keys].filter((k) => k.includes(unwatchedRestore))).toEqual([]);
    const ends = (await call<{ entries: AuditEntry[] }>('getAuditLog', { limit: 100 })).entries.filter((e) => e.action === 'restore.finished');
    expect(ends.map((e) => [e.actor, e.details?.restoreId, e.details?.outcome])).toEqual(
      expect.arrayContaining([['system', restoreId, 'complete'], ['system', unwatchedRestore, 'complete']]),
    );
    expect(maps.filter((k) => !keys.has(k))).toEqual([]);

    // The restored issue is still on the site: restoring it again from the same backup finds it (id map) and creates nothing.
    const count = await issuesInProject();
    const again = (await restore(await dryRun('restore-second-run', restoredId))) as unknown as { state: string; issues: { targetKey?: string }[] };
    expect(again.state).toBe('done');
    expect(again.issues[0].targetKey).toBe(restoredKey);
    expect(await issuesInProject()).toBe(count);
  });
});
