import { MemoryStore } from '../../src/adapters/storage/memory-store';
import { MAINTENANCE_LOCK_KEY } from '../../src/core/backup';
import {
  HOUSEKEEPING_LAST_KEY, HOUSEKEEPING_RUN_KEY, housekeepingTick, isHousekeepingStepEvent, runHousekeepingStep,
  type HousekeepingLimits, type HousekeepingRun, type HousekeepingStepEvent, type HousekeepingStepOutcome,
} from '../../src/core/housekeeping';
import { firstSeenKey } from '../../src/core/retention';
import type { JobEvent } from '../../src/ports';
import { FakeKeyValue } from '../schedule/fake-key-value';

/**
 * The rules of what housekeeping keeps, case by case, on the KeyValue port (a Map-backed fake whose queries page by
 * key like KVS). The end-to-end run through the Forge emulator is housekeeping-emulator.test.ts.
 */
const DAY = 24 * 3_600_000;
const T0 = Date.UTC(2026, 0, 1);

function world() {
  const clock = { at: T0, now() { return this.at; } };
  const kv = new FakeKeyValue();
  const queue = { events: [] as { event: JobEvent; delaySeconds?: number }[], async push(events: JobEvent[], options?: { delaySeconds?: number }) {
    for (const event of events) this.events.push({ event, delaySeconds: options?.delaySeconds });
  } };
  const store = new MemoryStore({ clock });
  const deps = { kv, clock, queue, store: async () => store, restoreAuditedMarker: (id: string) => `restore-audited:${id}` };
  /** Runs the run to its end, step after step, as the worker would; answers each step's outcome. */
  async function runAll(limits: Partial<HousekeepingLimits> = {}): Promise<HousekeepingStepOutcome[]> {
    expect(await housekeepingTick({ kv, clock, queue })).toMatchObject({ action: 'started' });
    const outcomes: HousekeepingStepOutcome[] = [];
    for (let i = 0; i < 100; i++) {
      const next = queue.events.shift();
      if (!next) break;
      expect(isHousekeepingStepEvent(next.event)).toBe(true);
      outcomes.push(await runHousekeepingStep(deps, next.event as HousekeepingStepEvent, { remainingMs: 900_000, limits }));
    }
    return outcomes;
  }
  return { clock, kv, queue, store, deps, runAll };
}

/** A backup job's keys as the engine leaves them. */
function backupJob(kv: FakeKeyValue, jobId: string, planId: string, job: Record<string, unknown>) {
  kv.data.set(`backup:job:${jobId}`, { jobId, planId, startedAt: T0, updatedAt: T0, ...job });
  kv.data.set(`backup:task:${jobId}:site`, { done: [] });
  kv.data.set(`backup:task:${jobId}:p10000`, { stage: 'done' });
  kv.data.set(`backup:projects:${jobId}:000000`, [{ id: '10000', key: 'ENG' }]);
  kv.data.set(`backup:selection:${jobId}`, { mode: 'all' });
  kv.data.set(`backup:lease:${jobId}:7`, { owner: 'crashed', until: T0 });
}

const keysOf = (kv: FakeKeyValue, part: string) => [...kv.data.keys()].filter((k) => k.includes(part)).sort();

describe('housekeeping rules', () => {
  it('never touches a running or paused backup job, however old; keeps the latest job record and list', async () => {
    const { kv, clock, runAll } = world();
    backupJob(kv, 'p.m1', 'p', { state: 'complete', finishedAt: T0 });
    backupJob(kv, 'p.m2', 'p', { state: 'failed', finishedAt: T0 });
    backupJob(kv, 'q.m1', 'q', { state: 'running' });
    backupJob(kv, 'r.m1', 'r', { state: 'running', pausedUntil: T0 + 40 * DAY });
    kv.data.set('backup:latest:p', 'p.m2');
    kv.data.set('backup:latest:q', 'q.m1');
    kv.data.set('backup:last:p', { snapshotId: 's1', startedAt: T0, kind: 'basic' });
    const running = [...keysOf(kv, 'q.m1'), ...keysOf(kv, 'r.m1')];
    clock.at = T0 + 30 * DAY;
    await runAll();
    expect(keysOf(kv, 'p.m1')).toEqual([]);
    expect(keysOf(kv, 'p.m2')).toEqual(['backup:job:p.m2', 'backup:projects:p.m2:000000']);
    expect([...keysOf(kv, 'q.m1'), ...keysOf(kv, 'r.m1')]).toEqual(running);
    expect(kv.data.get('backup:last:p')).toBeDefined();
  });

  it('keeps a finished job younger than a week, and while its plan is locked by a start or maintenance is held keeps its record', async () => {
    const { kv, clock, runAll } = world();
    backupJob(kv, 'p.m1', 'p', { state: 'complete', finishedAt: T0 });
    backupJob(kv, 'p.m2', 'p', { state: 'complete', finishedAt: T0 + 6 * DAY });
    kv.data.set('backup:lock:p', { jobId: 'p.m3', since: T0 + 8 * DAY });
    clock.at = T0 + 8 * DAY;
    const young = keysOf(kv, 'p.m2');
    await runAll();
    expect(keysOf(kv, 'p.m2')).toEqual(young);
    expect(keysOf(kv, 'p.m1')).toEqual(['backup:job:p.m1', 'backup:projects:p.m1:000000']);

    kv.data.delete('backup:lock:p');
    kv.data.set(MAINTENANCE_LOCK_KEY, { owner: 'rotation', until: T0 + 10 * DAY });
    clock.at = T0 + 9 * DAY;
    await runAll();
    expect(keysOf(kv, 'p.m1')).toEqual(['backup:job:p.m1', 'backup:projects:p.m1:000000']);
    clock.at = T0 + 11 * DAY;
    await runAll();
    expect(keysOf(kv, 'p.m1')).toEqual([]);
  });

  it('keeps what a running or waiting restore uses, a finished restore for 30 days and until its end is audited; never the id map', async () => {
    const { kv, clock, runAll } = world();
    const planning = (id: string, at: number) => {
      kv.data.set(`restore-planning:${id}`, { id, task: { kind: 'preview' }, state: 'done', createdAt: at, updatedAt: at });
      kv.data.set(`restore-planning:${id}:queued`, true);
      kv.data.set(`restore-plan:${id}`, { id, issueChunks: 1 });
      kv.data.set(`restore-plan:${id}:issues:0`, [{ sourceId: '1' }]);
    };
    const job = (id: string, status: string, finishedAt?: number) => {
      kv.data.set(`restore-job:${id}`, { id, planId: id, status, startedAt: T0, updatedAt: finishedAt ?? T0, ...(finishedAt ? { finishedAt } : {}) });
      kv.data.set(`restore-job:${id}:issue:1`, { sourceId: '1' });
    };
    for (const id of ['running-1', 'waiting-1', 'unaudited', 'audited-1', 'fresh-dry', 'old-dry-1']) planning(id, T0);
    job('running-1', 'running');
    job('waiting-1', 'waiting');
    job('unaudited', 'done', T0 + DAY);
    job('audited-1', 'failed', T0 + DAY);
    kv.data.set('restore-audited:audited-1', true);
    kv.data.set('restore-planning:fresh-dry', { id: 'fresh-dry', task: { kind: 'preview' }, state: 'done', createdAt: T0 + 30 * DAY, updatedAt: T0 + 30 * DAY });
    kv.data.set('restore-map:ENG:issue:1', { targetId: '20001', jobId: 'audited-1' });
    kv.data.set('restore-map-any:issue:1', { targetId: '20001', jobId: 'audited-1', projectKey: 'ENG' });
    const kept = ['running-1', 'waiting-1', 'unaudited', 'fresh-dry'].flatMap((id) => keysOf(kv, id));
    clock.at = T0 + 32 * DAY;
    await runAll();
    expect(['running-1', 'waiting-1', 'unaudited', 'fresh-dry'].flatMap((id) => keysOf(kv, id))).toEqual(kept);
    expect(keysOf(kv, 'audited-1')).toEqual([]);
    expect(keysOf(kv, 'old-dry-1')).toEqual([]);
    expect(keysOf(kv, 'restore-map')).toEqual(['restore-map-any:issue:1', 'restore-map:ENG:issue:1']);
  });

  it('audits the end of a finished restore nobody looked at before removing it, and keeps it when that fails', async () => {
    const { kv, clock, deps } = world();
    for (const id of ['unseen-one', 'unseen-two']) {
      kv.data.set(`restore-planning:${id}`, { id, task: { kind: 'preview' }, state: 'done', createdAt: T0, updatedAt: T0 });
      kv.data.set(`restore-plan:${id}`, { id, issueChunks: 0 });
      kv.data.set(`restore-job:${id}`, { id, planId: id, status: 'done', startedAt: T0, updatedAt: T0, finishedAt: T0 });
    }
    const audited: string[] = [];
    const auditRestoreEnd = async (id: string) => {
      if (id === 'unseen-two') return; // the audit log could not be written: nothing is lost, the restore stays
      audited.push(id);
      await kv.set(`restore-audited:${id}`, true);
    };
    clock.at = T0 + 31 * DAY;
    await housekeepingTick({ kv, clock, queue: deps.queue });
    while (deps.queue.events.length > 0) {
      await runHousekeepingStep({ ...deps, auditRestoreEnd }, deps.queue.events.shift()!.event as HousekeepingStepEvent, { remainingMs: 900_000 });
    }
    expect(audited).toEqual(['unseen-one']);
    expect(keysOf(kv, 'unseen-one')).toEqual([]);
    expect(keysOf(kv, 'unseen-two')).toEqual(['restore-job:unseen-two', 'restore-plan:unseen-two', 'restore-planning:unseen-two']);
  });

  it('drops age notes of objects that are gone, keeps those of objects still stored', async () => {
    const { kv, store, runAll } = world();
    await store.put('packs/aa/aa11.jsonl.gz', new Uint8Array([1]), '4bf5122f344554c53bde2ebb8cd2b7e3d1600ad631c385a5d7cce23c7785459a');
    kv.data.set(firstSeenKey('packs/aa/aa11.jsonl.gz'), T0);
    kv.data.set(firstSeenKey('packs/bb/bb22.jsonl.gz'), T0);
    const outcomes = await runAll();
    expect(keysOf(kv, 'first-seen')).toEqual([firstSeenKey('packs/aa/aa11.jsonl.gz')]);
    expect(outcomes.at(-1)).toMatchObject({ action: 'finished', last: { removed: { 'gc-notes': 1, 'backup-jobs': 0, 'restore-plannings': 0 } } });
  });

  it('keeps to its budget per step, resumes from its cursor (also when KVS refuses the saved one), and ignores stale events', async () => {
    const { kv, clock, queue, deps, runAll } = world();
    for (let n = 10; n < 40; n++) backupJob(kv, `p.m${n}`, 'p', { state: 'complete', finishedAt: T0 });
    kv.data.set('backup:latest:p', 'p.m39');
    clock.at = T0 + 8 * DAY;
    // A KVS whose cursors expire between steps: every saved cursor is refused once.
    const list = kv.list.bind(kv);
    const refused = new Set<string>();
    kv.list = async (prefix, options = {}) => {
      if (options.cursor && !refused.has(options.cursor) && prefix === 'backup:job:') {
        refused.add(options.cursor);
        throw new Error('INVALID_CURSOR');
      }
      return list(prefix, options);
    };
    const outcomes = await runAll({ maxDeletesPerStep: 20, pageSize: 2 });
    const removed = outcomes.map((o) => (o.action === 'continued' ? o.removed : 0));
    expect(Math.max(...removed)).toBeLessThanOrEqual(20);
    expect(removed.filter((n) => n > 0).length).toBeGreaterThanOrEqual(8);
    expect(outcomes.at(-1)).toMatchObject({ action: 'finished', last: { removed: { 'backup-jobs': 29 * 6 + 4 } } });
    expect([...kv.data.keys()].filter((k) => k.startsWith('backup:')).sort()).toEqual(['backup:job:p.m39', 'backup:latest:p', 'backup:projects:p.m39:000000']);
    expect(refused.size).toBeGreaterThan(0);
    // A duplicate of an old step, delivered late, does nothing.
    expect(await runHousekeepingStep(deps, { kind: 'maintenance.housekeeping', runId: 'old', seq: 1 }, { remainingMs: 900_000 })).toMatchObject({ action: 'ignored' });
    expect(queue.events).toEqual([]);
  });

  it('two deliveries of one step at once: one runs it, the other stands back, and the count stays exact', async () => {
    const { kv, clock, queue, deps } = world();
    for (let n = 10; n < 14; n++) backupJob(kv, `p.m${n}`, 'p', { state: 'complete', finishedAt: T0 });
    clock.at = T0 + 8 * DAY;
    await housekeepingTick({ kv, clock, queue });
    const event = queue.events.shift()!.event as HousekeepingStepEvent;
    const both = await Promise.all([0, 1].map(() => runHousekeepingStep(deps, event, { remainingMs: 900_000 })));
    expect(both.map((o) => o.action).sort()).toEqual(['finished', 'ignored']);
    expect(both.find((o) => o.action === 'finished')).toMatchObject({ last: { removed: { 'backup-jobs': 4 * 6 } } });
    expect(keysOf(kv, 'backup:')).toEqual([]);
    expect(kv.data.has('maintenance:housekeeping:lease')).toBe(false);
  });

  it('runs once a day, and the scheduler sends again the step of a run whose event was lost', async () => {
    const { kv, clock, queue } = world();
    expect(await housekeepingTick({ kv, clock, queue })).toMatchObject({ action: 'started' });
    expect(await housekeepingTick({ kv, clock, queue })).toBeUndefined();
    const lost = queue.events.splice(0);
    expect(lost).toHaveLength(1);
    clock.at += 21 * 60_000;
    expect(await housekeepingTick({ kv, clock, queue })).toMatchObject({ action: 'resumed' });
    expect(queue.events.map((e) => e.event)).toEqual(lost.map((e) => e.event));
    kv.data.delete(HOUSEKEEPING_RUN_KEY);
    kv.data.set(HOUSEKEEPING_LAST_KEY, { runId: 'x', startedAt: clock.at, finishedAt: clock.at, removed: {} });
    clock.at += DAY - 60_000;
    expect(await housekeepingTick({ kv, clock, queue })).toBeUndefined();
    clock.at += 60_000;
    expect(await housekeepingTick({ kv, clock, queue })).toMatchObject({ action: 'started' });
    expect((kv.data.get(HOUSEKEEPING_RUN_KEY) as HousekeepingRun).seq).toBe(1);
  });
});
