import { join } from 'node:path';
import { ForgePlatform } from '../../local/forge';
import { startJiraSimulator, type JiraSimulator } from '../../local/jira-sim/server';
import { forgeJiraClient, forgeJobQueue, forgeKeyValue } from '../../src/adapters/forge';
import { createRateLimitGovernor } from '../../src/adapters/jira/rate-limit-governor';
import { ManagedStore } from '../../src/adapters/storage/managed-store';
import { getJobStatus, startBackup, type BackupDeps } from '../../src/core/backup';
import { testPlan, latestSnapshot } from './harness';
import { expectSnapshotMatchesSite } from './expect-ground-truth';

/**
 * The real app on the local Forge platform: the manifest's consumer (src/entry/worker.ts) runs every step with
 * the real @forge/kvs, @forge/events and @forge/object-store packages, requestJira goes to the Jira simulator.
 */
describe('a backup through the Forge emulator', () => {
  let sim: JiraSimulator;
  let platform: ForgePlatform;
  beforeAll(async () => {
    sim = await startJiraSimulator({ port: 0, site: { seed: 31, projects: 2, issues: 80, attachmentsMb: 0.5 } });
    platform = await ForgePlatform.start({ appDir: join(__dirname, '..', '..'), dataDir: 'memory', jira: { baseUrl: sim.baseUrl } });
  });
  afterAll(async () => {
    await platform?.stop();
    await sim?.stop();
  });

  it('runs the worker until the snapshot is committed in managed storage and equals the site', async () => {
    const clock = { now: () => Date.now() };
    const kv = forgeKeyValue();
    const store = new ManagedStore({ keyValue: kv, clock });
    const deps: BackupDeps = {
      jira: createRateLimitGovernor(forgeJiraClient({ as: 'app' }), { clock, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) }),
      store,
      kv,
      queue: forgeJobQueue(),
      clock,
    };
    const started = await startBackup(deps, { plan: testPlan({ content: 'extended' }), trigger: 'manual', now: clock.now() });
    expect(started.started).toBe(true);
    const report = await platform.runUntilIdle();
    expect(report.dropped).toBe(0);
    expect(platform.invocations.filter((i) => i.functionKey === 'worker').every((i) => i.outcome === 'ok')).toBe(true);
    expect((await getJobStatus(deps, 'plan-1'))?.state).toBe('complete');
    await expectSnapshotMatchesSite(await latestSnapshot(store), sim.site, { store, extended: true });
  });
});
