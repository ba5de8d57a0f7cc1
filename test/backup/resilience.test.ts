import { getJobStatus, startBackup } from '../../src/core/backup';
import { StoreError } from '../../src/ports';
import { MemoryStore } from '../../src/adapters/storage/memory-store';
import { Rng } from '../../local/jira-sim/random';
import { canonicalJson } from '../../src/core/format';
import { drain, latestSnapshot, startHarness, testPlan } from './harness';
import { expectSnapshotMatchesSite } from './expect-ground-truth';

const SITE = { seed: 5, projects: 3, issues: 120, attachmentsMb: 0.5 };

/**
 * type/id → canonical JSON of every record of the newest snapshot, with the simulator's base URL (its port differs
 * between the two simulators) replaced: two snapshots with equal maps hold the same data.
 */
async function recordTexts(h: { store: MemoryStore; sim: { baseUrl: string } }): Promise<Map<string, string>> {
  const { records } = await latestSnapshot(h.store);
  return new Map([...records].map(([key, record]) => [key, canonicalJson(record).split(h.sim.baseUrl).join('<site>')]));
}

describe('resilience', () => {
  it('a job killed at random points and resumed produces the same snapshot as an undisturbed one', async () => {
    const clean = await startHarness({ sim: { site: SITE }, limits: { issuesPerCheckpoint: 20 } });
    // A tiny step budget: every step does one unit of work, so the job runs in many steps (and many chains of events).
    // maxStepAttempts is raised because kills here may hit one step many times in a row (giving up is tested below).
    const killed = await startHarness({ sim: { site: SITE }, limits: { issuesPerCheckpoint: 20, stepBudgetMs: 1, maxStepAttempts: 30 } });
    try {
      await startBackup(clean.deps, { plan: testPlan(), trigger: 'manual', now: clean.clock.now() });
      await drain(clean);

      // Kill the other run again and again: a KVS write or a store put throws somewhere inside a step (the
      // invocation dies there), sometimes twice in a row so that even the error bookkeeping is lost.
      const rng = Rng.for(99, 1, 1);
      let kills = 0;
      const arm = () => {
        if (rng.chance(0.5)) killed.kv.failOnWrite = { countdown: rng.int(1, 12), error: new Error('invocation killed (KVS write)') };
        else killed.store.failNext('put', new StoreError('transient', 'invocation killed (store put)'), rng.chance(0.3) ? 2 : 1);
      };
      await startBackup(killed.deps, { plan: testPlan(), trigger: 'manual', now: killed.clock.now() });
      arm();
      await drain(killed, {
        onThrow: () => {
          kills++;
          if (kills < 25) arm();
        },
      });
      expect(kills).toBeGreaterThanOrEqual(10);
      const status = await getJobStatus(killed.deps, 'plan-1');
      expect({ state: status?.state, errors: status?.projectErrors, site: status?.siteErrors }).toEqual({ state: 'complete', errors: [], site: {} });
      const expected = await recordTexts(clean);
      const actual = await recordTexts(killed);
      expect(actual.size).toBe(expected.size);
      expect([...actual.keys()].filter((key) => expected.get(key) !== actual.get(key))).toEqual([]);
      await expectSnapshotMatchesSite(await latestSnapshot(killed.store), killed.sim.site);
    } finally {
      await clean.stop();
      await killed.stop();
    }
  });

  it('a project Jira keeps failing ends with its error while the other projects complete', async () => {
    const h = await startHarness({ sim: { site: SITE }, limits: { issuesPerCheckpoint: 20 } });
    try {
      const broken = h.sim.site.projects[1];
      // Every call about this project's components fails: permanently (403) for one run, transiently (500) for another.
      h.sim.configure({ faults: { pathPattern: `/project/${broken.key}/component`, serverErrorRate: 1 } });
      await startBackup(h.deps, { plan: testPlan(), trigger: 'manual', now: h.clock.now() });
      await drain(h);
      const status = await getJobStatus(h.deps, 'plan-1');
      expect(status?.state).toBe('partial');
      expect(status?.projectErrors.map((e) => e.key)).toEqual([broken.key]);
      expect(status?.projectErrors[0].error).toMatch(/gave up after 5 failed attempts: .*component.*HTTP 500/);
      const { manifest } = await latestSnapshot(h.store);
      expect(manifest.state).toBe('partial');
      expect(manifest.projects.map((p) => [p.key, p.state]).sort()).toEqual(
        h.sim.site.projects.map((p) => [p.key, p.key === broken.key ? 'failed' : 'complete']).sort(),
      );
      expect(manifest.projects.find((p) => p.key === broken.key)?.error).toMatch(/HTTP 500/);
    } finally {
      await h.stop();
    }
  });

  it('a 429 / 5xx / connection-reset storm slows a job but loses nothing', async () => {
    const h = await startHarness({
      sim: {
        site: SITE,
        faults: { seed: 3, serverErrorRate: 0.08, serviceUnavailableRate: 0.05, connectionResetRate: 0.03, truncatedBodyRate: 0.02, retryAfterSeconds: 1 },
        rateLimits: { burstPerSecond: 3 },
      },
      maxRetries: 6,
      limits: { issuesPerCheckpoint: 40 },
    });
    try {
      await startBackup(h.deps, { plan: testPlan({ content: 'extended' }), trigger: 'manual', now: h.clock.now() });
      await drain(h);
      const log = h.sim.requestLog.entries;
      expect(log.filter((e) => e.fault !== undefined).length).toBeGreaterThan(20);
      expect(log.filter((e) => e.status === 429).length).toBeGreaterThan(0);
      const status = await getJobStatus(h.deps, 'plan-1');
      expect({ state: status?.state, errors: status?.projectErrors, site: status?.siteErrors }).toEqual({ state: 'complete', errors: [], site: {} });
      await expectSnapshotMatchesSite(await latestSnapshot(h.store), h.sim.site, { store: h.store, extended: true });
    } finally {
      await h.stop();
    }
  });

  it('an exhausted hourly quota pauses the whole job until the reset, then it completes', async () => {
    const h = await startHarness({
      sim: { site: SITE, rateLimits: { hourlyPoints: 1500, quotaReason: 'jira-quota-tenant-based' } },
      limits: { issuesPerCheckpoint: 20 },
    });
    try {
      await startBackup(h.deps, { plan: testPlan(), trigger: 'manual', now: h.clock.now() });
      const outcomes = await drain(h);
      const delays = outcomes.flatMap((o) => (o.action === 'continued' && o.delaySeconds ? [o.delaySeconds] : []));
      expect(delays.length).toBeGreaterThan(0);
      const quota429 = h.sim.requestLog.entries.filter((e) => e.rateLimitReason === 'jira-quota-tenant-based');
      // After each quota refusal the job waited for the next hour instead of hammering Jira.
      expect(quota429.length).toBeLessThanOrEqual(delays.length * 8 + 8);
      expect((await getJobStatus(h.deps, 'plan-1'))?.state).toBe('complete');
      await expectSnapshotMatchesSite(await latestSnapshot(h.store), h.sim.site);
    } finally {
      await h.stop();
    }
  });
});
