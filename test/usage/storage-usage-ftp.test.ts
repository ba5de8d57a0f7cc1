/**
 * Storage use on an FTP server, the case the cache exists for: a real vsftpd behind the real relay process. The relay
 * requests the app sends are logged (observed on their way, not replaced): the panel's answer must not list the
 * repository, and the cached figure must equal what the server's folder really holds after a backup and a delete.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { readSiteProjects, type ControlPanelView } from '../../src/core/admin';
import { startBackup } from '../../src/core/backup';
import { readCachedUsage } from '../../src/core/usage';
import { provideAdminPorts, resolver } from '../../src/entry/resolver';
import { engineBackupJobs } from '../../src/entry/resolvers/engine-backup-jobs';
import { snapshotBackupFiles } from '../../src/entry/resolvers/snapshot-files';
import { storeGauge } from '../../src/entry/resolvers/store-gauge';
import { handleUsageRecount } from '../../src/entry/usage-recount';
import { createHttpJiraClient } from '../../src/adapters/jira/http-jira-client';
import { RelayStore } from '../../src/adapters/storage/relay-store';
import { decodeRelayRequest, RELAY_REQUEST_HEADER } from '../../relay/protocol';
import { drain, startHarness, testPlan, type Harness } from '../backup/harness';
import { FakeTester, MemorySecrets } from '../admin/fakes';
import { asSimulatorUser, invokeAs } from '../resolvers/invoke';
import { startRelayHarness, type RelayHarness } from '../relay/relay-harness';
import { httpsInvoker, recursiveNames, userFolder } from '../relay/relay-store-factory';

let relay: RelayHarness;
let h: Harness;
let folder: string;
let store: RelayStore;
/** Every relay request the app sent: operation and the path or prefix it named. */
const sent: { operation: string; target: string }[] = [];

beforeAll(async () => {
  relay = await startRelayHarness();
  folder = userFolder(relay, 'usage-ftp');
  const https = httpsInvoker(relay);
  store = new RelayStore({
    connection: relay.connection('ftp', folder),
    invoke: async (path, init) => {
      const request = decodeRelayRequest(init.headers[RELAY_REQUEST_HEADER]) as { path?: string; prefix?: string };
      sent.push({ operation: path.replace('/v1/', ''), target: request.prefix ?? request.path ?? '' });
      return https(path, init);
    },
    maxObjectBytes: 256 * 1024,
    retry: { attempts: 4, delayMs: () => 100 },
  });
  h = await startHarness({ sim: { site: { seed: 3, projects: 2, issues: 12, attachmentsMb: 0 } } });
  h.deps.store = store;
  const asApp = createHttpJiraClient({ baseUrl: h.sim.baseUrl });
  provideAdminPorts(() => ({
    kv: h.kv,
    secrets: new MemorySecrets(),
    clock: h.clock,
    jiraAsUser: (accountId) => asSimulatorUser(h.sim.baseUrl, accountId),
    siteTimeZone: async () => 'UTC',
    siteProjects: () => readSiteProjects(asApp),
    jobs: engineBackupJobs(h.kv, () => h.deps),
    files: snapshotBackupFiles(store, { type: 'server', server: 'ftp://localhost', folder }, h.kv, { kv: h.kv, clock: h.clock }),
    gauge: storeGauge(store, h.kv),
    tester: new FakeTester(),
  }));
}, 60_000);
afterAll(async () => {
  provideAdminPorts(undefined);
  await h?.stop();
  await relay?.stop();
});

/** What the server's folder holds, read from the disk (temporaries would be dot-files; there must be none). */
function onDisk(): { usedBytes: number; objectCount: number } {
  const names = recursiveNames(folder);
  expect(names.filter((name) => /(^|\/)\./.test(name))).toEqual([]);
  return { usedBytes: names.reduce((sum, name) => sum + statSync(join(folder, name)).size, 0), objectCount: names.length };
}

async function cached(): Promise<{ usedBytes: number; objectCount: number }> {
  const figure = await readCachedUsage(h.kv, store.properties.description);
  if (figure.state !== 'measured') throw new Error('not measured');
  return { usedBytes: figure.usedBytes, objectCount: figure.objectCount };
}

test('after a backup the worker\'s count equals the server\'s folder; the panel then shows it with no listing of the repository', async () => {
  expect((await startBackup(h.deps, { plan: testPlan(), trigger: 'manual', now: h.clock.now() })).started).toBe(true);
  await drain(h);
  sent.length = 0;
  await handleUsageRecount(h.deps);
  // The count is the one expensive request: a listing of everything, in the worker.
  expect(sent).toEqual([{ operation: 'list', target: '' }]);
  expect(await cached()).toEqual(onDisk());

  sent.length = 0;
  const answer = await invokeAs<ControlPanelView>(resolver, h.sim.accounts.admin, 'getControlPanel');
  if (!answer.ok) throw new Error(JSON.stringify(answer));
  expect(answer.data.storage).toMatchObject({ description: store.properties.description, ...onDisk() });
  expect(answer.data.storage.asOfText).toMatch(/^Storage use as of \d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
  // Only the file table's requests: the snapshot list and the new manifest, read once.
  expect(sent.filter((r) => !(r.operation === 'list' && r.target === 'snapshots/') && !(r.operation === 'get' && r.target.startsWith('snapshots/')))).toEqual([]);
}, 300_000);

test('deleting the backup on the panel takes exactly what left the server off the figure, with no listing of the repository', async () => {
  const answer = await invokeAs<ControlPanelView>(resolver, h.sim.accounts.admin, 'getControlPanel');
  if (!answer.ok) throw new Error(JSON.stringify(answer));
  const before = onDisk();
  sent.length = 0;
  const deleted = await invokeAs(resolver, h.sim.accounts.admin, 'deleteBackup', { fileId: answer.data.files[0].id, confirmed: true });
  expect(deleted).toEqual({ ok: true, data: { deleted: true } });
  expect(sent.filter((r) => r.operation === 'list' && r.target === '')).toEqual([]);
  const truth = onDisk();
  expect(truth.objectCount).toBeLessThan(before.objectCount); // the snapshot's manifest, packs, indexes and lists are gone
  expect(await cached()).toEqual(truth);
}, 300_000);
