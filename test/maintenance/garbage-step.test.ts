import { MemoryStore } from '../../src/adapters/storage/memory-store';
import { MAINTENANCE_LOCK_KEY } from '../../src/core/backup';
import { listSnapshotIds, referencedObjects, snapshotManifestPath, verifySnapshot, writeRecords } from '../../src/core/format';
import {
  GARBAGE_DUE_KEY, GARBAGE_LAST_KEY, GARBAGE_RUN_KEY, GARBAGE_YIELD_KEY, garbageCollectionTick, isGarbageStepEvent, runGarbageStep,
  type GarbageLimits, type GarbageRun, type GarbageStepEvent, type GarbageStepOutcome,
} from '../../src/core/retention';
import type { JobEvent } from '../../src/ports';
import { FakeKeyValue } from '../schedule/fake-key-value';
import { DAY, T0, snapshot } from '../retention/snapshot-fixture';

/**
 * Like managed storage (and the engine's existence checks): an object already there is not written again, so a backup
 * that needs it REUSES it and its modification time stays old. This is what makes collecting garbage dangerous.
 */
class ReusingStore extends MemoryStore {
  /** Runs once, the next time someone lists `prefix` (a backup that runs while garbage collection reads). */
  private hook?: { prefix: string; run: () => Promise<void> };

  override async put(path: string, data: Uint8Array, sha256: string): Promise<void> {
    if (await this.stat(path)) return;
    return super.put(path, data, sha256);
  }

  override async list(prefix: string) {
    const hook = this.hook;
    if (hook && hook.prefix === prefix) {
      this.hook = undefined;
      await hook.run();
    }
    return super.list(prefix);
  }

  onNextList(prefix: string, run: () => Promise<void>): void {
    this.hook = { prefix, run };
  }
}

const HOUR = 3_600_000;

async function world() {
  const clock = { at: T0, now() { return this.at; } };
  const store = new ReusingStore({ clock });
  const kv = new FakeKeyValue();
  const queue = { events: [] as { event: JobEvent; delaySeconds?: number }[], async push(events: JobEvent[], options?: { delaySeconds?: number }) {
    for (const event of events) this.events.push({ event, delaySeconds: options?.delaySeconds });
  } };
  let running = false;
  const deps = { store, kv, clock, queue, backupRunning: async () => running };

  // Day 0: snapshot A, whose deletion was interrupted right after its manifest went (its objects stay, unreferenced).
  const a = await snapshot(store, 'a', 0);
  const onlyA = await referencedObjects(store, [a]);
  await store.delete(snapshotManifestPath(a));
  // Day 1: snapshot C, kept. Then what a crashed run wrote, also on day 1.
  const c = await snapshot(store, 'c', 1);
  clock.at = T0 + DAY;
  const crashed = (await writeRecords(store, [{ type: 'issue', id: '900', key: 'ENG-900', project: 'ENG', data: { fields: { summary: 'never committed' } } }])).entries[0].pack;
  const cNeeds = await referencedObjects(store, [c]);
  for (const path of cNeeds) onlyA.delete(path);
  clock.at = T0 + 3 * DAY;
  return {
    store, kv, clock, queue, deps, a, c, onlyA: [...onlyA], crashed, cNeeds,
    setRunning: (value: boolean) => { running = value; },
    /** Takes the next queued garbage step off the queue. */
    nextEvent(): GarbageStepEvent | undefined {
      const index = queue.events.findIndex((e) => isGarbageStepEvent(e.event));
      return index < 0 ? undefined : (queue.events.splice(index, 1)[0].event as GarbageStepEvent);
    },
  };
}

type World = Awaited<ReturnType<typeof world>>;

/** Delivers queued steps until the queue holds none; returns every outcome. */
async function drain(w: World, limits?: Partial<GarbageLimits>): Promise<GarbageStepOutcome[]> {
  const outcomes: GarbageStepOutcome[] = [];
  for (let event = w.nextEvent(); event; event = w.nextEvent()) outcomes.push(await runGarbageStep(w.deps, event, { remainingMs: 900_000, limits }));
  return outcomes;
}

async function verifies(store: MemoryStore, id: string): Promise<boolean> {
  const report = await verifySnapshot(store, id);
  return report.ok && report.done;
}

async function present(store: MemoryStore, paths: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const path of paths) if (await store.stat(path)) found.push(path);
  return found;
}

describe('garbage collection steps', () => {
  it('removes unreferenced objects older than a day; keeps what snapshots reference and what is younger', async () => {
    const w = await world();
    // Written an hour ago by a run we cannot see: unreferenced, but too young to touch.
    w.clock.at = T0 + 3 * DAY - HOUR;
    const young = (await writeRecords(w.store, [{ type: 'issue', id: '901', key: 'ENG-901', project: 'ENG', data: { fields: { summary: 'in flight' } } }])).entries[0].pack;
    w.clock.at = T0 + 3 * DAY;
    const before = (await w.store.list('')).length;

    expect(await garbageCollectionTick(w.deps)).toEqual({ action: 'started', runId: expect.any(String), reason: 'never collected' });
    const outcomes = await drain(w);
    const removed = [...w.onlyA, w.crashed];
    expect(outcomes).toEqual([{ action: 'finished', last: expect.objectContaining({ deletedObjects: removed.length, reason: 'never collected' }) }]);
    expect(await present(w.store, removed)).toEqual([]);
    expect(await present(w.store, [young])).toEqual([young]);
    expect(await present(w.store, [...w.cNeeds])).toEqual([...w.cNeeds]);
    expect((await w.store.list('')).length).toBe(before - removed.length);
    expect(await verifies(w.store, w.c)).toBe(true);
    expect(await w.kv.get(GARBAGE_RUN_KEY)).toBeUndefined();
    expect(await w.kv.get(MAINTENANCE_LOCK_KEY)).toBeUndefined();
  });

  it('a snapshot committed while a step reads, or between steps, keeps the old unreferenced objects it reused', async () => {
    const w = await world();
    await garbageCollectionTick(w.deps);
    // A backup runs and commits B while the first step lists the repository (after it read what the snapshots
    // referenced, before it takes the lock). B has A's records: it writes nothing that is there already, so it now
    // references A's leftover pack, index part and checksum list, all old.
    let b = '';
    w.store.onNextList('packs/', async () => { b = await snapshot(w.store, 'b', 0); });
    const first = await runGarbageStep(w.deps, w.nextEvent()!, { remainingMs: 900_000, limits: { maxDeletesPerStep: 2 } });
    const bNeeds = await referencedObjects(w.store, [b]);
    expect(w.onlyA.filter((path) => bNeeds.has(path))).toEqual(w.onlyA);
    // Its candidates were A's pack and the crashed run's; under the lock, A's pack is B's now.
    expect(first).toEqual({ action: 'continued', deletedObjects: 1, freedBytes: expect.any(Number) });
    expect(w.queue.events.map((e) => e.delaySeconds)).toEqual([60]);

    // And between steps, a backup of C's records reuses C's objects (referenced, so never at risk) plus nothing else.
    const d = await snapshot(w.store, 'd', 1);
    const rest = await drain(w, { maxDeletesPerStep: 1 });
    expect(rest.at(-1)).toMatchObject({ action: 'finished' });
    for (const id of [b, w.c, d]) expect(await verifies(w.store, id)).toBe(true);
    expect(await present(w.store, [w.crashed])).toEqual([]);
    expect(await present(w.store, [...bNeeds])).toEqual([...bNeeds]);
  });

  it('stands back while a backup runs or is paused, also when it started just before the lock; the tick resumes it later', async () => {
    const w = await world();
    await garbageCollectionTick(w.deps);
    const event = w.nextEvent()!;
    w.setRunning(true);
    expect(await runGarbageStep(w.deps, event, { remainingMs: 900_000 })).toEqual({ action: 'waiting', reason: 'backup-running' });
    expect(await present(w.store, w.onlyA)).toEqual(w.onlyA);
    expect(await w.kv.get<GarbageRun>(GARBAGE_RUN_KEY)).toMatchObject({ waiting: 'backup-running', seq: 1 });
    // The backup still runs: the tick leaves the run waiting.
    w.clock.at += 5 * 60_000;
    expect(await garbageCollectionTick(w.deps)).toBeUndefined();
    expect(w.queue.events).toEqual([]);

    // Nothing runs at the first look; a backup starts before the lock is taken: the look after taking it sees it.
    w.setRunning(false);
    w.clock.at += 5 * 60_000;
    expect(await garbageCollectionTick(w.deps)).toMatchObject({ action: 'resumed', reason: 'backup-running' });
    const looks: boolean[] = [];
    const racing = { ...w.deps, backupRunning: async () => { looks.push(!!(await w.kv.get(MAINTENANCE_LOCK_KEY))); return looks.length > 1; } };
    expect(await runGarbageStep(racing, w.nextEvent()!, { remainingMs: 900_000 })).toEqual({ action: 'waiting', reason: 'backup-running' });
    expect(looks).toEqual([false, true]);
    expect(await present(w.store, w.onlyA)).toEqual(w.onlyA);
    expect(await w.kv.get(MAINTENANCE_LOCK_KEY)).toBeUndefined();

    w.clock.at += 5 * 60_000;
    expect(await garbageCollectionTick(w.deps)).toMatchObject({ action: 'resumed' });
    expect(await drain(w)).toEqual([expect.objectContaining({ action: 'finished' })]);
    expect(await present(w.store, w.onlyA)).toEqual([]);
  });

  it('a scheduled backup that found the store locked makes it stand back until the backup started', async () => {
    const w = await world();
    await garbageCollectionTick(w.deps);
    await w.kv.set(GARBAGE_YIELD_KEY, { until: w.clock.at + 15 * 60_000 });
    expect(await runGarbageStep(w.deps, w.nextEvent()!, { remainingMs: 900_000 })).toEqual({ action: 'waiting', reason: 'backup-wants-to-start' });
    expect(await garbageCollectionTick(w.deps)).toBeUndefined();
    await w.kv.delete(GARBAGE_YIELD_KEY);
    expect(await garbageCollectionTick(w.deps)).toMatchObject({ action: 'resumed', reason: 'backup-wants-to-start' });
  });

  it('is harmless when an event is delivered twice, one after the other or at once', async () => {
    const w = await world();
    await garbageCollectionTick(w.deps);
    const event = w.nextEvent()!;
    const limits = { maxDeletesPerStep: 1 };
    const once = await runGarbageStep(w.deps, event, { remainingMs: 900_000, limits });
    expect(once).toMatchObject({ action: 'continued', deletedObjects: 1 });
    expect(await runGarbageStep(w.deps, event, { remainingMs: 900_000, limits })).toEqual({ action: 'ignored', reason: 'step 1 is not the current step 2' });
    expect(w.queue.events).toHaveLength(1);

    const second = w.nextEvent()!;
    const both = await Promise.all([runGarbageStep(w.deps, second, { remainingMs: 900_000, limits }), runGarbageStep(w.deps, second, { remainingMs: 900_000, limits })]);
    // One holds the lock and deletes; the other finds it held (asks to be retried) or the step already done (ignored).
    expect(both.filter((o) => o.action === 'continued')).toHaveLength(1);
    expect(both.filter((o) => o.action === 'retry-later' || o.action === 'ignored')).toHaveLength(1);
    expect(w.queue.events).toHaveLength(1);
    expect(await w.kv.get<GarbageRun>(GARBAGE_RUN_KEY)).toMatchObject({ seq: 3, deletedObjects: 2 });
  });

  it('an interrupted run resumes: a step that failed is redone, a lock left by a crashed step is taken over once it expires', async () => {
    const w = await world();
    await garbageCollectionTick(w.deps);
    const event = w.nextEvent()!;
    // The store fails half-way (the step is retried by the platform): nothing is lost, the lock is released.
    w.store.failNext('delete', new Error('connection reset'));
    await expect(runGarbageStep(w.deps, event, { remainingMs: 900_000 })).rejects.toThrow('connection reset');
    expect(await w.kv.get(MAINTENANCE_LOCK_KEY)).toBeUndefined();

    // A step that died holding the lock (the invocation was killed): retried later, then taken over after its lease.
    await w.kv.set(MAINTENANCE_LOCK_KEY, { owner: 'gc-crashed', until: w.clock.at + 10 * 60_000 });
    expect(await runGarbageStep(w.deps, event, { remainingMs: 900_000 })).toEqual({ action: 'retry-later', afterSeconds: 60 });
    // Its event is lost for good: 20 minutes on, the tick sends the step again.
    w.clock.at += 21 * 60_000;
    expect(await garbageCollectionTick(w.deps)).toMatchObject({ action: 'resumed', reason: 'no step for 20 minutes' });
    expect(await drain(w)).toEqual([expect.objectContaining({ action: 'finished' })]);
    expect(await present(w.store, [...w.onlyA, w.crashed])).toEqual([]);
    expect(await verifies(w.store, w.c)).toBe(true);
  });

  it('on a store that gives no modification times (FTP without MLSD), deletes what a run noted unreferenced a day before', async () => {
    const clock = { at: T0, now() { return this.at; } };
    const store = new MemoryStore(); // no clock: objects carry no modifiedAt
    const kv = new FakeKeyValue();
    const queue = { events: [] as JobEvent[], async push(events: JobEvent[]) { this.events.push(...events); } };
    const deps = { store, kv, clock, queue, backupRunning: async () => false };
    const gone = await snapshot(store, 'a', 0);
    const kept = await snapshot(store, 'c', 1);
    const keptNeeds = await referencedObjects(store, [kept]);
    const orphans = [...(await referencedObjects(store, [gone]))].filter((path) => !keptNeeds.has(path)).sort();
    await store.delete(snapshotManifestPath(gone));
    expect(orphans.length).toBeGreaterThanOrEqual(3);
    /** A whole run, started at once (the test does not wait for the daily one). */
    const runAll = async () => {
      await kv.delete(GARBAGE_LAST_KEY);
      expect(await garbageCollectionTick(deps)).toMatchObject({ action: 'started' });
      for (let event = queue.events.shift(); event; event = queue.events.shift()) await runGarbageStep(deps, event as GarbageStepEvent, { remainingMs: 900_000 });
    };
    const notes = () => [...kv.data.keys()].filter((key) => key.startsWith('maintenance:gc:first-seen:')).sort();

    // However old they really are, their age is unknown: the first run only notes when it saw them unreferenced.
    await runAll();
    expect(await present(store, orphans)).toEqual(orphans);
    expect(notes()).toEqual(orphans.map((path) => `maintenance:gc:first-seen:${path.replace(/\//g, '#')}`).sort());
    // A run 23 hours later still keeps them; a day after the first one they go, and so do their notes.
    clock.at += 23 * HOUR;
    await runAll();
    expect(await present(store, orphans)).toEqual(orphans);
    clock.at += 2 * HOUR;
    await runAll();
    expect(await present(store, orphans)).toEqual([]);
    expect(notes()).toEqual([]);
    expect(await verifies(store, kept)).toBe(true);
  });

  it('deletes nothing when a kept snapshot cannot be read (what it needs is unknown)', async () => {
    const w = await world();
    const manifest = await w.store.get(snapshotManifestPath(w.c));
    // Damage one checksum list C needs: the run cannot tell what C uses.
    const list = [...w.cNeeds].find((path) => path.startsWith('checksums/'))!;
    await w.store.delete(list);
    await garbageCollectionTick(w.deps);
    const [outcome] = await drain(w);
    expect(outcome).toMatchObject({ action: 'finished', last: { deletedObjects: 0, refused: expect.stringContaining(list) } });
    expect(await present(w.store, w.onlyA)).toEqual(w.onlyA);
    expect(await w.store.get(snapshotManifestPath(w.c))).toEqual(manifest);
  });

  it('is due after snapshots were deleted, a day after the last run, and at a requested time; not while one runs', async () => {
    const w = await world();
    await garbageCollectionTick(w.deps);
    await drain(w);
    expect(await w.kv.get(GARBAGE_LAST_KEY)).toMatchObject({ startedAt: T0 + 3 * DAY });

    w.clock.at += HOUR;
    expect(await garbageCollectionTick(w.deps)).toBeUndefined();
    // An admin deletes C (the panel's Delete): the next tick notices and starts a run.
    await w.store.delete(snapshotManifestPath(w.c));
    expect(await garbageCollectionTick(w.deps)).toMatchObject({ action: 'started', reason: '1 snapshot deleted' });
    expect(await garbageCollectionTick(w.deps)).toBeUndefined(); // a second tick meanwhile starts nothing
    await drain(w);
    expect(await w.kv.get(GARBAGE_DUE_KEY)).toBeUndefined();

    w.clock.at += DAY - HOUR;
    expect(await garbageCollectionTick(w.deps)).toBeUndefined();
    w.clock.at += HOUR;
    w.setRunning(true);
    expect(await garbageCollectionTick(w.deps)).toBeUndefined();
    w.setRunning(false);
    expect(await garbageCollectionTick(w.deps)).toMatchObject({ action: 'started', reason: 'daily' });
    expect(await listSnapshotIds(w.store)).toEqual([]);
  });
});
