/**
 * The issue's end-to-end promise: a full Extended backup of a simulator site lands on each real server
 * through the relay, reads back identical to the site, and checks out with plain `sha256sum -c` run
 * in the server's folder (the format's checksum lists), with no temporary left behind.
 */
import { execFileSync } from 'node:child_process';
import { startBackup } from '../../src/core/backup';
import { verifySnapshot } from '../../src/core/format';
import { RelayStore } from '../../src/adapters/storage/relay-store';
import { drain, latestSnapshot, startHarness } from '../backup/harness';
import { testPlan } from '../backup/harness';
import { expectSnapshotMatchesSite } from '../backup/expect-ground-truth';
import { startRelayHarness, type BackendKind, type RelayHarness } from './relay-harness';
import { httpsInvoker, recursiveNames, userFolder } from './relay-store-factory';

let relay: RelayHarness;
beforeAll(async () => {
  relay = await startRelayHarness();
}, 60_000);
afterAll(async () => relay?.stop());

// FTPS runs the same code paths as FTP plus TLS, which the conformance suite covers; one run per server program.
test.each(['ftp', 'sftp-key'] as BackendKind[])(
  'a full Extended backup lands on %s through the relay and verifies with sha256sum',
  async (kind) => {
    const folder = userFolder(relay, `backup-${kind}`);
    const store = new RelayStore({
      connection: relay.connection(kind, folder),
      invoke: httpsInvoker(relay),
      maxObjectBytes: 256 * 1024, // small objects: attachments split into several chunks
      retry: { attempts: 4, delayMs: () => 100 },
    });
    const h = await startHarness({ sim: { site: { seed: 5, projects: 2, issues: 25, attachmentsMb: 1 } } });
    try {
      h.deps.store = store;
      const started = await startBackup(h.deps, { plan: testPlan({ content: 'extended' }), trigger: 'manual', now: h.clock.now() });
      expect(started.started).toBe(true);
      await drain(h);

      const snapshot = await latestSnapshot(store);
      expect(snapshot.manifest.state).toBe('complete');
      await expectSnapshotMatchesSite(snapshot, h.sim.site, { store, extended: true });
      expect((await verifySnapshot(store, snapshot.manifest.id)).problems).toEqual([]);

      // Without the app: the server's folder checks out with the standard tool.
      const files = recursiveNames(folder);
      const lists = files.filter((name) => name.startsWith('checksums/') && name.endsWith('.sha256'));
      expect(lists.length).toBeGreaterThan(0);
      for (const list of lists) execFileSync('sha256sum', ['--quiet', '--strict', '-c', list], { cwd: folder, stdio: 'pipe' });
      expect(files.filter((name) => /(^|\/)\./.test(name))).toEqual([]);
    } finally {
      await h.stop();
    }
  },
  300_000,
);
