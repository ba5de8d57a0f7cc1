/**
 * Races the engine must win without luck: two starts of one plan, two deliveries of one step, a start against a
 * deletion. The KeyValue fake is atomic per call (like Forge KVS) and `jitter` makes each call yield a varying number
 * of macrotasks, so concurrent callers interleave between their reads and their writes.
 */
import { backupSchedulerHooks, getJobStatus, MAINTENANCE_MESSAGE, releaseMaintenanceLock, runStep, startBackup, takeMaintenanceLock, type BackupStepEvent } from '../../src/core/backup';
import { backupKeys } from '../../src/core/backup/keys';
import { listSnapshotIds, readIndex } from '../../src/core/format';
import { DELETE_WHILE_BACKING_UP, snapshotBackupFiles } from '../../src/entry/resolvers/snapshot-files';
import { drain, latestSnapshot, startHarness, testPlan, type Harness, type MapKeyValue } from './harness';
import { expectSnapshotMatchesSite } from './expect-ground-truth';

const SITE = { seed: 8, projects: 2, issues: 60, attachmentsMb: 0.2 };

/** Deterministic: each call yields 0–4 macrotasks, from a seeded sequence. */
function jitter(kv: MapKeyValue, seed: number): void {
  let state = seed;
  kv.jitter = async () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    for (let n = state % 5; n > 0; n--) await new Promise((resolve) => setImmediate(resolve));
  };
}

const FILES_LOCATION = { type: 'link' as const, linkFor: async (path: string) => ({ url: `https://objects.local/${path}` }) };

describe('concurrent starts of one plan', () => {
  it('of two starts racing (Promise.all), exactly one starts, whatever the interleaving', async () => {
    const h = await startHarness({ sim: { site: SITE } });
    try {
      for (let round = 0; round < 25; round++) {
        jitter(h.kv, round + 1);
        const plan = testPlan({ id: `plan-${round}`, name: `Plan ${round}` });
        const now = h.clock.now();
        const results = await Promise.all([
          startBackup(h.deps, { plan, trigger: 'manual', now }),
          startBackup(h.deps, { plan, trigger: 'manual', now: now + 1 }),
        ]);
        expect(results.filter((r) => r.started)).toHaveLength(1);
        const loser = results.find((r) => !r.started);
        expect(loser).toMatchObject({ started: false, reason: 'already-running' });
        const winner = results.find((r) => r.started)!;
        // The lock, the latest job and the running marks name the winner alone; the loser left no job behind.
        expect(await h.kv.get(backupKeys.lock(plan.id))).toMatchObject({ jobId: winner.started && winner.jobId });
        expect(await h.kv.get(backupKeys.latestJob(plan.id))).toBe(winner.started && winner.jobId);
        const jobs = [...h.kv.data.keys()].filter((k) => k.startsWith(backupKeys.job(`plan-${round}.`)));
        expect(jobs).toEqual([backupKeys.job(winner.started ? winner.jobId : '')]);
      }
      expect(h.queue.pending).toHaveLength(25);
    } finally {
      await h.stop();
    }
  });

  it('a lock left by a job that is no longer running is stale: the next start removes it and goes ahead', async () => {
    const h = await startHarness({ sim: { site: SITE } });
    try {
      await h.kv.set(backupKeys.lock('plan-1'), { jobId: 'plan-1.m1', since: 1 }); // its job record is gone
      const result = await startBackup(h.deps, { plan: testPlan(), trigger: 'manual', now: h.clock.now() });
      expect(result).toMatchObject({ started: true });
      expect(await h.kv.get(backupKeys.lock('plan-1'))).toMatchObject({ jobId: result.started && result.jobId });
    } finally {
      await h.stop();
    }
  });
});

describe('the same step delivered twice at once', () => {
  it('runs once: the other delivery stands back, and the job finishes with one chain', async () => {
    const h = await startHarness({ sim: { site: SITE }, limits: { issuesPerCheckpoint: 15, stepBudgetMs: 1 } });
    try {
      jitter(h.kv, 7);
      await startBackup(h.deps, { plan: testPlan(), trigger: 'manual', now: h.clock.now() });
      const ran = new Map<number, number>();
      let standBacks = 0;
      for (let n = 0; n < 2000 && h.queue.pending.length > 0; n++) {
        const { event } = h.queue.pending.shift()!;
        const step = event as BackupStepEvent;
        const results = await Promise.all([1, 2].map((i) => runStep(h.deps, step, { remainingMs: 900_000, invocationId: `inv-${n}-${i}` })));
        for (const result of results) {
          if (result.action === 'continued' || result.action === 'finished') ran.set(step.seq, (ran.get(step.seq) ?? 0) + 1);
          else standBacks++;
          if (result.action === 'retry-later') {
            h.clock.offset += result.afterSeconds * 1000;
            h.queue.pending.push({ event });
          }
        }
      }
      expect(h.queue.pending).toEqual([]);
      expect(standBacks).toBeGreaterThan(0);
      // One chain: every step ran exactly once, in order (each run sends the next step once).
      expect([...ran.values()].every((times) => times === 1)).toBe(true);
      expect([...ran.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: ran.size }, (_, i) => i + 1));
      expect((await getJobStatus(h.deps, 'plan-1'))?.state).toBe('complete');
      // No step lease is left behind.
      expect([...h.kv.data.keys()].filter((k) => k.startsWith('backup:lease:'))).toEqual([]);
      expect(await listSnapshotIds(h.store)).toHaveLength(1);
      const snapshot = await latestSnapshot(h.store);
      const entries = await readIndex(h.store, snapshot.manifest, 'all');
      expect(new Set(entries.map((e) => `${e.type}/${e.id}`)).size).toBe(entries.length);
      await expectSnapshotMatchesSite(snapshot, h.sim.site);
    } finally {
      await h.stop();
    }
  });

  it('a delivery whose lease expired (its invocation died) is taken over by the next one', async () => {
    const h = await startHarness({ sim: { site: SITE }, limits: { issuesPerCheckpoint: 15, stepBudgetMs: 1 } });
    try {
      await startBackup(h.deps, { plan: testPlan(), trigger: 'manual', now: h.clock.now() });
      const job = await h.kv.get<{ jobId: string }>(backupKeys.latestJob('plan-1'));
      await h.kv.set(backupKeys.lease(String(job), 1), { owner: 'dead', until: h.clock.now() + 60_000 });
      const { event } = h.queue.pending[0];
      expect(await runStep(h.deps, event as BackupStepEvent, { remainingMs: 900_000 })).toMatchObject({ action: 'retry-later' });
      h.clock.offset += 61_000;
      await drain(h);
      expect((await getJobStatus(h.deps, 'plan-1'))?.state).toBe('complete');
    } finally {
      await h.stop();
    }
  });
});

async function backUp(h: Harness, planId = 'plan-1'): Promise<void> {
  const result = await startBackup(h.deps, { plan: testPlan({ id: planId }), trigger: 'manual', now: h.clock.now(), full: true });
  expect(result.started).toBe(true);
  await drain(h);
  h.clock.offset += 60_000;
}

async function snapshotOf(h: Harness, planId: string): Promise<string> {
  return (await listSnapshotIds(h.store)).find((id) => id.endsWith(planId))!;
}

describe('maintenance (deleting snapshots) against backups', () => {
  it('no backup starts while the maintenance lock is held; it starts once the lock is released or expired', async () => {
    const h = await startHarness({ sim: { site: SITE } });
    try {
      expect(await takeMaintenanceLock(h.kv, 'sweep-1', h.clock.now(), 60_000)).toBe(true);
      expect(await takeMaintenanceLock(h.kv, 'sweep-2', h.clock.now(), 60_000)).toBe(false);
      const refused = await startBackup(h.deps, { plan: testPlan(), trigger: 'manual', now: h.clock.now() });
      expect(refused).toEqual({ started: false, reason: 'maintenance', message: MAINTENANCE_MESSAGE });
      expect(h.queue.pending).toEqual([]);
      expect(await h.kv.get(backupKeys.lock('plan-1'))).toBeUndefined();
      await releaseMaintenanceLock(h.kv, 'sweep-1');
      expect(await startBackup(h.deps, { plan: testPlan(), trigger: 'manual', now: h.clock.now() })).toMatchObject({ started: true });

      // A holder that died: its lock expires and no longer blocks.
      expect(await takeMaintenanceLock(h.kv, 'sweep-3', h.clock.now(), 60_000)).toBe(true);
      h.clock.offset += 61_000;
      expect(await startBackup(h.deps, { plan: testPlan({ id: 'plan-2' }), trigger: 'manual', now: h.clock.now() })).toMatchObject({ started: true });
    } finally {
      await h.stop();
    }
  });

  it('a scheduled start refused for maintenance fails its slot (the scheduler retries it), not skips it', async () => {
    const h = await startHarness({ sim: { site: SITE } });
    try {
      const hooks = backupSchedulerHooks(h.deps);
      const request = { trigger: 'schedule' as const, slotId: 'plan-1:2026-11-26T02:00', kind: 'basic' as const, slotAt: h.clock.now() };
      expect(await takeMaintenanceLock(h.kv, 'sweep', h.clock.now())).toBe(true);
      await expect(hooks.startBackup(testPlan(), request)).rejects.toThrow(MAINTENANCE_MESSAGE);
      await releaseMaintenanceLock(h.kv, 'sweep');
      await hooks.startBackup(testPlan(), request);
      expect(h.queue.pending).toHaveLength(1);
    } finally {
      await h.stop();
    }
  });

  it('a start that slips in while maintenance takes its lock rolls itself back', async () => {
    const h = await startHarness({ sim: { site: SITE } });
    try {
      await backUp(h);
      const latest = await h.kv.get<string>(backupKeys.latestJob('plan-1'));
      // The maintenance lock appears right after the start's first look at it (the start's first createIfAbsent).
      const create = h.kv.createIfAbsent.bind(h.kv);
      h.kv.createIfAbsent = async (key, value) => {
        h.kv.createIfAbsent = create;
        await takeMaintenanceLock(h.kv, 'sweep', h.clock.now());
        return create(key, value);
      };
      const result = await startBackup(h.deps, { plan: testPlan(), trigger: 'manual', now: h.clock.now() });
      expect(result).toMatchObject({ started: false, reason: 'maintenance' });
      expect(h.queue.pending).toEqual([]);
      expect(await h.kv.get(backupKeys.lock('plan-1'))).toBeUndefined();
      expect(await h.kv.get(backupKeys.latestJob('plan-1'))).toBe(latest);
      expect((await h.kv.list(backupKeys.runningPrefix)).entries).toEqual([]);
    } finally {
      await h.stop();
    }
  });

  it('an admin delete is refused while any backup runs or maintenance holds the lock, and holds the lock while deleting', async () => {
    const h = await startHarness({ sim: { site: SITE } });
    try {
      await backUp(h);
      await backUp(h, 'plan-2');
      const [first, second] = (await listSnapshotIds(h.store)).sort();
      const files = snapshotBackupFiles(h.store, FILES_LOCATION, h.kv, { kv: h.kv, clock: h.clock });

      // Another plan's backup is running: its objects may be shared with the snapshot to delete.
      const running = await startBackup(h.deps, { plan: testPlan({ id: 'plan-3' }), trigger: 'manual', now: h.clock.now() });
      expect(running.started).toBe(true);
      await expect(files.delete(first)).rejects.toMatchObject({ code: 'conflict', message: DELETE_WHILE_BACKING_UP });
      await drain(h);

      expect(await takeMaintenanceLock(h.kv, 'sweep', h.clock.now())).toBe(true);
      await expect(files.delete(first)).rejects.toMatchObject({ code: 'conflict', message: MAINTENANCE_MESSAGE });
      await releaseMaintenanceLock(h.kv, 'sweep');

      // While the delete removes objects, a backup is refused.
      const startsDuringDelete: unknown[] = [];
      const remove = h.store.delete.bind(h.store);
      h.store.delete = async (path) => {
        if (startsDuringDelete.length === 0) startsDuringDelete.push(await startBackup(h.deps, { plan: testPlan(), trigger: 'manual', now: h.clock.now() }));
        return remove(path);
      };
      await files.delete(first);
      h.store.delete = remove;
      expect(startsDuringDelete).toEqual([{ started: false, reason: 'maintenance', message: MAINTENANCE_MESSAGE }]);
      expect((await listSnapshotIds(h.store)).sort()).toEqual([second, await snapshotOf(h, 'plan-3')]);
      expect(await h.kv.get('maintenance:lock')).toBeUndefined();
      expect(await startBackup(h.deps, { plan: testPlan(), trigger: 'manual', now: h.clock.now() })).toMatchObject({ started: true });
    } finally {
      await h.stop();
    }
  });
});

describe("a manual run's kind follows the site's calendar", () => {
  const combined = testPlan({ content: 'combined', extendedWeekday: 'thu' });
  const lateWednesdayUtc = Date.parse('2026-11-25T23:30:00Z'); // Thursday 00:30 in Berlin

  it('uses the time zone given, else the deps\' site time zone, else UTC (also when the lookup fails)', async () => {
    const h = await startHarness({ sim: { site: SITE } });
    try {
      const given = await startBackup(h.deps, { plan: combined, trigger: 'manual', now: lateWednesdayUtc, timeZone: 'Europe/Berlin' });
      expect(given).toMatchObject({ started: true, kind: 'extended' });
      await cancel(h, combined.id);

      const fromDeps = await startBackup({ ...h.deps, siteTimeZone: async () => 'Europe/Berlin' }, { plan: combined, trigger: 'manual', now: lateWednesdayUtc + 1 });
      expect(fromDeps).toMatchObject({ started: true, kind: 'extended' });
      await cancel(h, combined.id);

      const failing = await startBackup({ ...h.deps, siteTimeZone: async () => { throw new Error('Jira down'); } }, { plan: combined, trigger: 'manual', now: lateWednesdayUtc + 2 });
      expect(failing).toMatchObject({ started: true, kind: 'basic' });
    } finally {
      await h.stop();
    }
  });
});

async function cancel(h: Harness, planId: string): Promise<void> {
  const { cancelBackup } = await import('../../src/core/backup');
  expect(await cancelBackup(h.deps, planId)).toBe(true);
}
