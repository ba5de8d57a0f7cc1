import { startBackup } from '../../src/core/backup';
import { MemoryStore } from '../../src/adapters/storage/memory-store';
import { verifySnapshot } from '../../src/core/format';
import { drain, latestSnapshot, startHarness, testPlan, type Harness } from './harness';
import { expectSnapshotMatchesSite } from './expect-ground-truth';

describe('a full Extended snapshot of a seeded simulator site', () => {
  let h: Harness;
  beforeAll(async () => {
    // Small objects (256 KiB) so that attachments are downloaded in several Range chunks.
    h = await startHarness({
      sim: { site: { seed: 11, projects: 3, issues: 150, attachmentsMb: 2 } },
      store: new MemoryStore({ maxObjectBytes: 256 * 1024 }),
      limits: { issuesPerCheckpoint: 40 },
    });
    const started = await startBackup(h.deps, { plan: testPlan({ content: 'extended' }), trigger: 'manual', now: h.clock.now() });
    expect(started.started).toBe(true);
    await drain(h);
  });
  afterAll(() => h.stop());

  it('equals the ground truth for every entity type, attachment bytes included', async () => {
    const snapshot = await latestSnapshot(h.store);
    expect(snapshot.manifest.state).toBe('complete');
    expect(snapshot.manifest.kind).toBe('extended');
    await expectSnapshotMatchesSite(snapshot, h.sim.site, { store: h.store, extended: true });
  });

  it('verifies end to end with the format layer', async () => {
    const snapshot = await latestSnapshot(h.store);
    const report = await verifySnapshot(h.store, snapshot.manifest.id);
    expect(report.problems).toEqual([]);
  });

  it('paged what search truncates: issues with >50 comments and >20 worklogs are complete', async () => {
    const snapshot = await latestSnapshot(h.store);
    const heavy = [...h.sim.site.issues.values()].filter((i) => i.comments.length > 50 || i.worklogs.length > 20);
    // The seeded site has such issues (otherwise this test would prove nothing).
    expect(heavy.length).toBeGreaterThan(0);
    for (const issue of heavy) {
      const data = snapshot.records.get(`issue/${issue.id}`)!.data as { comments: unknown[]; worklogs: unknown[] };
      expect([data.comments.length, data.worklogs.length]).toEqual([issue.comments.length, issue.worklogs.length]);
    }
  });

  it('asks for watchers and votes only where the issue says there are some', () => {
    const watched = [...h.sim.site.issues.values()].filter((i) => i.watcherIds.length > 0).length;
    const voted = [...h.sim.site.issues.values()].filter((i) => i.voterIds.length > 0).length;
    const byRoute = h.sim.requestLog.byRoute();
    expect(byRoute['GET /rest/api/3/issue/{issueIdOrKey}/watchers']?.requests ?? 0).toBe(watched);
    expect(byRoute['GET /rest/api/3/issue/{issueIdOrKey}/votes']?.requests ?? 0).toBe(voted);
  });
});
