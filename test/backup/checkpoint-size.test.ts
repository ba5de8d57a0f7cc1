import { drain, latestSnapshot, recordsOfType, startHarness, testPlan, type Harness } from './harness';
import { startBackup } from '../../src/core/backup';

/**
 * A project's checkpoint must stay small however many batches its issues take: KVS values are at most 240 KiB,
 * and one index-part ref per batch would outgrow that on projects of a few hundred thousand issues.
 */
describe('project checkpoint size', () => {
  let h: Harness;
  afterEach(async () => h?.stop());

  it('keeps a bounded list of index parts across many batches, and the snapshot still holds every issue', async () => {
    h = await startHarness({ sim: { site: { seed: 5, projects: 1, issues: 2_400, attachmentsMb: 0 } }, limits: { issuesPerCheckpoint: 100 } });
    let largestParts = 0;
    const write = h.kv.set.bind(h.kv);
    const transact = h.kv.transact.bind(h.kv);
    const watch = (key: string, value: unknown) => {
      if (key.startsWith('backup:task:')) largestParts = Math.max(largestParts, ((value as { parts?: unknown[] }).parts ?? []).length);
    };
    h.kv.set = async (key, value) => { watch(key, value); return write(key, value); };
    h.kv.transact = async (ops) => { for (const op of ops) if (op.op === 'set') watch(op.key, op.value); return transact(ops); };

    const started = await startBackup(h.deps, { plan: testPlan(), trigger: 'manual', now: h.clock.now() });
    expect(started.started).toBe(true);
    await drain(h);

    const contents = await latestSnapshot(h.store);
    expect(contents.manifest.state).toBe('complete');
    expect(recordsOfType(contents, 'issue')).toHaveLength(2_400);
    // 24 batches: one ref each would be 25 refs; merged layers stay at a handful.
    expect(largestParts).toBeGreaterThan(0);
    expect(largestParts).toBeLessThanOrEqual(12);
  });
});
