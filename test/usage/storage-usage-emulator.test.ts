import { join } from 'node:path';
import { ForgePlatform } from '../../local/forge';
import { startJiraSimulator, type JiraSimulator } from '../../local/jira-sim';
import { defaultPlan } from '../../src/core/plans';
import type { ControlPanelView } from '../../src/core/admin';
import { USAGE_KEY, type UsageRecord } from '../../src/core/usage';
import { decodeRelayRequest, RELAY_REQUEST_HEADER } from '../../relay/protocol';

/**
 * The storage-use figure as deployed: the manifest's trigger, consumer and admin page with their default Forge wiring,
 * managed storage on the emulator's Object Store and KVS. The truth each figure is held to is what the Object Store
 * really holds under the app's namespace. The app reads the wall clock, so the test moves it with the platform's.
 */
describe('storage use through the Forge emulator (managed storage)', () => {
  const PAGE = 'backup-center-admin-page';
  const start = Date.UTC(2026, 10, 26, 1, 50);
  let sim: JiraSimulator;
  let platform: ForgePlatform;
  let admin: string;

  beforeAll(async () => {
    jest.useFakeTimers({ now: start, doNotFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'clearImmediate', 'nextTick', 'queueMicrotask', 'hrtime', 'performance'] });
    sim = await startJiraSimulator({ port: 0, site: { seed: 9, projects: 2, issues: 15, attachmentsMb: 0 } });
    platform = await ForgePlatform.start({ appDir: join(__dirname, '..', '..'), dataDir: 'memory', jira: { baseUrl: sim.baseUrl }, clock: { startAt: start } });
    admin = sim.accounts.admin;
  });
  afterAll(async () => {
    await platform?.stop();
    await sim?.stop();
    jest.useRealTimers();
  });

  async function advanceMinutes(minutes: number): Promise<void> {
    for (let i = 0; i < minutes; i++) {
      jest.setSystemTime(platform.clock.now() + 60_000);
      await platform.clock.advance(60_000);
    }
  }

  /** The bytes and objects the Object Store holds for managed storage (namespace `backups`). */
  function objectStoreHolds(): { usedBytes: number; objectCount: number } {
    const objects = platform.objectStore.list().filter((o) => o.key.startsWith('backups/'));
    return { usedBytes: objects.reduce((sum, o) => sum + o.size, 0), objectCount: objects.length };
  }

  function cached(): UsageRecord | undefined {
    return platform.kvs.dump()[USAGE_KEY] as UsageRecord | undefined;
  }

  /**
   * One panel load, with every request the app's @forge packages sent to the platform meanwhile (the SDK's own
   * transport, observed on its way to the emulator, not replaced).
   */
  async function panelWithRequests(): Promise<{ view: ControlPanelView; requests: { type: string; path: string; body: string }[] }> {
    const slots = globalThis as { __forge_fetch__?: (target: { type: string }, path: string, init?: RequestInit) => Promise<Response> };
    const route = slots.__forge_fetch__!;
    const requests: { type: string; path: string; body: string }[] = [];
    slots.__forge_fetch__ = (target, path, init) => {
      // Relay requests carry their operation in a header (relay/protocol.ts); the others in the body.
      const relayHeader = (init?.headers as Record<string, string> | undefined)?.[RELAY_REQUEST_HEADER];
      const body = relayHeader ? JSON.stringify(decodeRelayRequest(relayHeader)) : typeof init?.body === 'string' ? init.body : '';
      requests.push({ type: target.type, path, body });
      return route(target, path, init);
    };
    try {
      const answer = await platform.invoke<{ ok: true; data: ControlPanelView }>(PAGE, 'getControlPanel', {}, { accountId: admin });
      return { view: answer.data, requests };
    } finally {
      slots.__forge_fetch__ = route;
    }
  }

  it('after the scheduled backup the worker counts the store: the panel shows that figure "as of", and reads no catalog to show it', async () => {
    const { id: _id, ...plan } = { ...defaultPlan('', 'Nightly'), schedule: { days: 'daily' as const, time: '02:00' }, retention: { mode: 'count' as const, keep: 1 } };
    expect((await platform.invoke<{ ok: boolean }>(PAGE, 'savePlan', { plan }, { accountId: admin })).ok).toBe(true);
    await advanceMinutes(15); // 02:05: the 02:00 backup starts; the worker runs it, then the count it queues
    await platform.runUntilIdle();

    const truth = objectStoreHolds();
    expect(truth.objectCount).toBeGreaterThan(5);
    expect(cached()).toMatchObject({ target: 'Managed storage', ...truth });

    const { view, requests } = await panelWithRequests();
    expect(view.storage).toMatchObject({ description: 'Managed storage', usedBytes: truth.usedBytes, objectCount: truth.objectCount, quotaText: '20.0 GB' });
    expect(view.storage.asOfText).toMatch(/^Storage use as of 2026-11-26 \d{2}:\d{2}$/);
    // The figure came from its two KVS keys. The file table looks only at the catalog's snapshots/ part and reads the
    // new snapshot's manifest once; a count would page through the whole catalog (prefix `backup-store:backups:o:`).
    expect(requests.filter((r) => r.type === 'os' && !(r.path === 'api/v1/download-url' && r.body.includes('"backups/snapshots/')))).toEqual([]);
    expect(requests.filter((r) => r.body.includes('backup-store:backups:o:') && !r.body.includes('backup-store:backups:o:snapshots#'))).toEqual([]);
    expect(requests.filter((r) => r.body.includes('backup-store:backups:usage'))).toEqual([]);
    expect(requests.filter((r) => r.body.includes(USAGE_KEY))).not.toEqual([]);
  });

  it('the next day\'s rotation (keep 1) takes what it deleted off the figure: it still equals what the Object Store holds', async () => {
    const nextDay = Date.UTC(2026, 10, 27, 2, 5);
    jest.setSystemTime(nextDay);
    await platform.clock.set(nextDay);
    // The 02:00 backup, the count the worker queues after it, and on a later tick the sweep that removes yesterday's
    // snapshot. Nothing counts the store after the sweep (the figure is fresh and unmarked), so the figure matches the
    // Object Store only if the sweep itself took off what it deleted.
    await platform.runUntilIdle();
    await advanceMinutes(5);
    await platform.runUntilIdle();

    const panel = (await panelWithRequests()).view;
    expect(panel.files.map((f) => f.createdText)).toEqual(['2026-11-27 02:00']);
    const audit = await platform.invoke<{ ok: true; data: { entries: { actor: string; action: string }[] } }>(PAGE, 'getAuditLog', {}, { accountId: admin });
    expect(audit.data.entries.filter((e) => e.action === 'backup.deleted')).toEqual([expect.objectContaining({ actor: 'retention' })]);
    const truth = objectStoreHolds();
    expect(cached()).toMatchObject(truth);
    expect(panel.storage.usedBytes).toBe(truth.usedBytes);
  });

  it('deleting the backup on the panel takes it off the figure at once', async () => {
    const panel = (await panelWithRequests()).view;
    expect((await platform.invoke<{ ok: boolean }>(PAGE, 'deleteBackup', { fileId: panel.files[0].id, confirmed: true }, { accountId: admin })).ok).toBe(true);
    const truth = objectStoreHolds();
    expect(cached()).toMatchObject(truth);
    expect((await panelWithRequests()).view.storage.usedBytes).toBe(truth.usedBytes);
  });

  it('switching to an FTP server makes the managed figure not apply: "being measured", without calling the relay', async () => {
    const ftp = { kind: 'remote', protocol: 'ftp', host: 'ftp.example.com', user: 'backup', auth: 'password', password: 'pw', folder: '/backups', relayUrl: 'https://relay.example.com' };
    const saved = await platform.invoke<{ ok: boolean }>(PAGE, 'saveStorage', { storage: ftp }, { accountId: admin });
    expect(saved.ok).toBe(true);
    const { view, requests } = await panelWithRequests();
    expect(view.storage).toMatchObject({ description: 'FTP ftp.example.com:21:/backups', measuring: true });
    expect(view.storage.usedBytes).toBeUndefined();
    expect(view.storage.quotaText).toBeUndefined();
    // The relay is asked only for the file table's snapshot list (it is unreachable here, so that part shows an
    // error); nothing counts the server.
    const relay = requests.filter((r) => r.type === 'frc');
    expect(relay.length).toBeGreaterThan(0);
    expect(relay.filter((r) => !(r.path === '/v1/list' && JSON.parse(r.body).prefix === 'snapshots/'))).toEqual([]);
  });
});
