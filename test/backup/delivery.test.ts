import { getJobStatus, isBackupStepEvent, resumeStalledJobs, runStep, startBackup, type BackupStepEvent } from '../../src/core/backup';
import { readIndex, listSnapshotIds } from '../../src/core/format';
import { drain, latestSnapshot, startHarness, testPlan, type Harness } from './harness';
import { expectSnapshotMatchesSite } from './expect-ground-truth';

const SITE = { seed: 8, projects: 2, issues: 60, attachmentsMb: 0.2 };

async function expectOneCleanSnapshot(h: Harness): Promise<void> {
  expect(await listSnapshotIds(h.store)).toHaveLength(1);
  const snapshot = await latestSnapshot(h.store);
  const entries = await readIndex(h.store, snapshot.manifest, 'all');
  // No record twice in the index, however often steps ran.
  expect(new Set(entries.map((e) => `${e.type}/${e.id}`)).size).toBe(entries.length);
  await expectSnapshotMatchesSite(snapshot, h.sim.site);
}

describe('at-least-once delivery, duplicate triggers, long chains', () => {
  it('every event delivered twice, at the same time, produces one snapshot without duplicates', async () => {
    const h = await startHarness({ sim: { site: SITE }, limits: { issuesPerCheckpoint: 15, stepBudgetMs: 1 } });
    try {
      await startBackup(h.deps, { plan: testPlan(), trigger: 'manual', now: h.clock.now() });
      const outcomes: string[] = [];
      for (let n = 0; n < 2000 && h.queue.pending.length > 0; n++) {
        const { event } = h.queue.pending.shift()!;
        // Two deliveries of the same event race (Forge may deliver an event more than once).
        const results = await Promise.all([1, 2].map((i) => runStep(h.deps, event as BackupStepEvent, { remainingMs: 900_000, invocationId: `inv-${n}-${i}` })));
        for (const result of results) {
          outcomes.push(result.action);
          if (result.action === 'retry-later') {
            h.clock.offset += result.afterSeconds * 1000;
            h.queue.pending.push({ event });
          }
        }
      }
      expect(h.queue.pending).toEqual([]);
      expect(outcomes.filter((o) => o === 'ignored' || o === 'retry-later').length).toBeGreaterThan(0);
      expect((await getJobStatus(h.deps, 'plan-1'))?.state).toBe('complete');
      await expectOneCleanSnapshot(h);
    } finally {
      await h.stop();
    }
  });

  it('a duplicate scheduled trigger starts nothing new; a second start while running is refused', async () => {
    const h = await startHarness({ sim: { site: SITE } });
    try {
      const slot = h.clock.now();
      const first = await startBackup(h.deps, { plan: testPlan(), trigger: 'schedule', now: slot });
      const duplicate = await startBackup(h.deps, { plan: testPlan(), trigger: 'schedule', now: slot + 20_000 });
      const manual = await startBackup(h.deps, { plan: testPlan(), trigger: 'manual', now: slot + 30_000 });
      expect(first.started).toBe(true);
      expect(duplicate).toMatchObject({ started: false, reason: 'already-running' });
      expect(manual).toMatchObject({ started: false, reason: 'already-running', message: expect.stringContaining('already backing up') });
      expect(h.queue.pending).toHaveLength(1);
      await drain(h);
      await expectOneCleanSnapshot(h);
      // Finished: the lock is released and the plan can run again.
      expect(await startBackup(h.deps, { plan: testPlan(), trigger: 'manual', now: h.clock.now() })).toMatchObject({ started: true, mode: 'incremental' });
    } finally {
      await h.stop();
    }
  });

  it('a job longer than one chain allows is carried on by the scheduler, and a lost event is re-seeded', async () => {
    const h = await startHarness({ sim: { site: SITE }, limits: { issuesPerCheckpoint: 15, stepBudgetMs: 1, chainPushLimit: 3 } });
    try {
      await startBackup(h.deps, { plan: testPlan(), trigger: 'manual', now: h.clock.now() });
      let reseeds = 0;
      let lost = false;
      for (let round = 0; round < 100; round++) {
        const outcomes = await drain(h);
        if (outcomes.some((o) => o.action === 'finished')) break;
        if (!lost) {
          // Lose the next event on its way (crash between checkpoint and push): only the stall check finds the job.
          lost = true;
          await resumeStalledJobs(h.deps);
          const event = h.queue.pending.shift();
          expect(event && isBackupStepEvent(event.event)).toBe(true);
          expect((await resumeStalledJobs(h.deps)).resumed).toEqual([]); // not stalled yet: nothing to do
          h.clock.offset += 21 * 60_000;
        }
        reseeds += (await resumeStalledJobs(h.deps)).resumed.length;
      }
      expect(reseeds).toBeGreaterThan(2);
      expect(h.queue.pushes).toBeGreaterThan(3);
      expect((await getJobStatus(h.deps, 'plan-1'))?.state).toBe('complete');
      await expectOneCleanSnapshot(h);
    } finally {
      await h.stop();
    }
  });
});

describe('cancel', () => {
  it('a cancelled job stops at its next checkpoint, commits nothing and frees the plan', async () => {
    const { cancelBackup } = await import('../../src/core/backup');
    const h = await startHarness({ sim: { site: SITE }, limits: { issuesPerCheckpoint: 15, stepBudgetMs: 1 } });
    try {
      await startBackup(h.deps, { plan: testPlan(), trigger: 'manual', now: h.clock.now() });
      await drain(h, { maxDeliveries: 3 }).catch(() => undefined); // a few steps, then the admin cancels
      expect(await cancelBackup(h.deps, 'plan-1')).toBe(true);
      const outcomes = await drain(h);
      expect(outcomes.every((o) => o.action === 'ignored' || (o.action === 'finished' && o.state === 'cancelled'))).toBe(true);
      expect((await getJobStatus(h.deps, 'plan-1'))?.state).toBe('cancelled');
      expect(await listSnapshotIds(h.store)).toEqual([]);
      expect(await startBackup(h.deps, { plan: testPlan(), trigger: 'manual', now: h.clock.now() })).toMatchObject({ started: true });
    } finally {
      await h.stop();
    }
  });
});
