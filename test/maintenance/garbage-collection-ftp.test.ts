/**
 * Garbage collection on an FTP server, where the leftovers were found: a real vsftpd behind the real relay process.
 * vsftpd answers LIST, not MLSD, so the relay can tell no file's modification time: the margin is then counted from
 * when a run first found a file unreferenced (src/core/retention/garbage-age.ts). The truth each assertion is held to
 * is the server's folder on disk.
 */
import { join } from 'node:path';
import { statSync } from 'node:fs';
import { anyBackupRunning, startBackup } from '../../src/core/backup';
import { deleteSnapshot, listSnapshotIds, referencedObjects, snapshotManifestPath, verifySnapshot } from '../../src/core/format';
import { garbageCollectionTick, isGarbageStepEvent, type GarbageStepOutcome } from '../../src/core/retention';
import { readCachedUsage, trackDeletions } from '../../src/core/usage';
import { handleGarbageStep } from '../../src/entry/garbage-collection';
import { handleUsageRecount } from '../../src/entry/usage-recount';
import { RelayStore } from '../../src/adapters/storage/relay-store';
import { drain, startHarness, testPlan, type Harness } from '../backup/harness';
import { startRelayHarness, type RelayHarness } from '../relay/relay-harness';
import { httpsInvoker, recursiveNames, userFolder } from '../relay/relay-store-factory';

const HOUR = 3_600_000;
let relay: RelayHarness;
let h: Harness;
let folder: string;
let store: RelayStore;

beforeAll(async () => {
  relay = await startRelayHarness();
  folder = userFolder(relay, 'gc-ftp');
  store = new RelayStore({
    connection: relay.connection('ftp', folder),
    invoke: httpsInvoker(relay),
    maxObjectBytes: 256 * 1024,
    retry: { attempts: 4, delayMs: () => 100 },
  });
  h = await startHarness({ sim: { site: { seed: 5, projects: 2, issues: 30, attachmentsMb: 0.3 } } });
  h.deps.store = store;
}, 60_000);
afterAll(async () => {
  await h?.stop();
  await relay?.stop();
});

/** Files in the server's folder, by repository path. */
function onDisk(): Map<string, number> {
  return new Map(recursiveNames(folder).map((name) => [name, statSync(join(folder, name)).size]));
}

/** One garbage collection run as the trigger and the worker do it: started (or resumed) by the tick, steps until done. */
async function collect(): Promise<GarbageStepOutcome[]> {
  const deps = { store, kv: h.kv, clock: h.clock, queue: h.queue, backupRunning: () => anyBackupRunning(h.kv) };
  expect(await garbageCollectionTick(deps)).toMatchObject({ action: 'started' });
  const outcomes: GarbageStepOutcome[] = [];
  for (let next = h.queue.pending.shift(); next; next = h.queue.pending.shift()) {
    if (!isGarbageStepEvent(next.event)) throw new Error(`unexpected event ${JSON.stringify(next.event)}`);
    if (next.delaySeconds) h.clock.offset += next.delaySeconds * 1000;
    outcomes.push(await handleGarbageStep(h.deps, next.event, { remainingMs: 900_000, limits: { maxDeletesPerStep: 10 } }));
  }
  return outcomes;
}

test('after two backups and a deleted one, the leftovers on the server are removed a day after a run first saw them', async () => {
  for (let run = 0; run < 2; run++) {
    expect((await startBackup(h.deps, { plan: testPlan({ content: 'extended' }), trigger: 'manual', now: h.clock.now() })).started).toBe(true);
    await drain(h);
    h.clock.offset += 60 * 60_000;
  }
  const [first, second] = (await listSnapshotIds(store)).sort();
  await trackDeletions(h.deps, (counting) => deleteSnapshot(counting, first, [second]));
  await handleUsageRecount(h.deps);

  const needed = await referencedObjects(store, [second]);
  const isObject = (path: string) => /^(packs|blobs|indexes|checksums|projects)\//.test(path);
  const leftovers = [...onDisk().keys()].filter((path) => isObject(path) && !needed.has(path));
  expect(leftovers.length).toBeGreaterThan(5); // 36 here: mostly the step index parts (and their lists) merged into one
  // The server gives no modification times: nothing may be deleted on sight.
  expect((await store.list('indexes/')).filter((o) => o.modifiedAt !== undefined)).toEqual([]);

  // The first run notes them; a day later they are all still there.
  expect(await collect()).toEqual([expect.objectContaining({ action: 'finished', last: expect.objectContaining({ deletedObjects: 0 }) })]);
  expect(leftovers.filter((path) => !onDisk().has(path))).toEqual([]);
  h.clock.offset += 23 * HOUR;
  // (The next run is due a day after the last one started: that is a day after the leftovers were first seen.)
  expect(await garbageCollectionTick({ store, kv: h.kv, clock: h.clock, queue: h.queue, backupRunning: () => anyBackupRunning(h.kv) })).toBeUndefined();

  h.clock.offset += 2 * HOUR;
  const outcomes = await collect();
  expect(outcomes.length).toBeGreaterThan(1); // ten files per step here
  expect(outcomes.at(-1)).toMatchObject({ action: 'finished', last: { deletedObjects: leftovers.length } });
  const files = onDisk();
  expect(leftovers.filter((path) => files.has(path))).toEqual([]);
  expect([...files.keys()].filter((path) => isObject(path)).sort()).toEqual([...needed].sort());
  expect(files.has(snapshotManifestPath(second))).toBe(true);
  const report = await verifySnapshot(store, second);
  expect({ ok: report.ok, done: report.done, problems: report.problems }).toEqual({ ok: true, done: true, problems: [] });

  // The panel's figure took off exactly what left the server.
  const figure = await readCachedUsage(h.kv, store.properties.description);
  expect(figure).toMatchObject({ state: 'measured', objectCount: files.size, usedBytes: [...files.values()].reduce((a, b) => a + b, 0) });
}, 300_000);
