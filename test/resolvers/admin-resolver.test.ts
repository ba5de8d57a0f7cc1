import { ADMIN_RESOLVER_KEYS, type ControlPanelView } from '../../src/core/admin';
import { createAdminResolver } from '../../src/entry/resolvers/create-resolver';
import { fakeAdminWorld, validPlanInput } from '../admin/fakes';
import { invokeAs } from './invoke';

/** A plausible payload for every key, so a refusal cannot be blamed on a bad payload. */
const PAYLOADS: Record<string, Record<string, unknown>> = {
  savePlan: { plan: validPlanInput() },
  deletePlan: { planId: 'plan-1' },
  saveStorage: { storage: { kind: 'managed', quotaGb: 10 } },
  testConnection: { storage: { kind: 'managed', quotaGb: 10 } },
  backupNow: { planId: 'plan-1' },
  deleteBackup: { fileId: 's1', confirmed: true },
  getDownload: { fileId: 's1' },
};

describe('admin resolvers', () => {
  it.each(ADMIN_RESOLVER_KEYS)('%s refuses a user who is not a Jira administrator, and changes nothing', async (key) => {
    const w = fakeAdminWorld();
    await w.config.savePlan(validPlanInput(), 'admin-1');
    w.files.files = [{ id: 's1', createdAt: 0, kind: 'basic', sizeBytes: 1, state: 'complete' }];
    const before = new Map(w.kv.data);
    const resolver = createAdminResolver(({ accountId }) => w.app(accountId));
    for (const accountId of ['user-1', undefined]) {
      const result = await invokeAs(resolver, accountId, key, PAYLOADS[key]);
      expect(result).toEqual({ ok: false, error: expect.objectContaining({ code: 'forbidden', status: 403, fields: [] }) });
    }
    expect(w.kv.data).toEqual(before);
    expect(w.jobs.started).toEqual([]);
    expect(w.files.files).toHaveLength(1);
  });

  it('serves an administrator: save a plan, see it on the panel, back it up now', async () => {
    const w = fakeAdminWorld();
    const resolver = createAdminResolver(({ accountId }) => w.app(accountId));
    const saved = await invokeAs<{ id: string }>(resolver, 'admin-1', 'savePlan', { plan: validPlanInput() });
    expect(saved).toMatchObject({ ok: true, data: { id: 'plan-1', name: 'Nightly' } });
    expect(await invokeAs(resolver, 'admin-1', 'backupNow', { planId: 'plan-1' })).toEqual({ ok: true, data: { jobId: 'job-1' } });
    const panel = await invokeAs<ControlPanelView>(resolver, 'admin-1', 'getControlPanel');
    expect(panel.ok && panel.data.plans[0]).toMatchObject({ planName: 'Nightly', canBackUpNow: false, latest: { state: 'queued' } });
    const log = await invokeAs<{ entries: { action: string; actor: string }[] }>(resolver, 'admin-1', 'getAuditLog', { limit: 10 });
    expect(log.ok && log.data.entries.map((e) => `${e.action} by ${e.actor}`)).toEqual(['backup.started by admin-1', 'plan.created by admin-1']);
  });

  it('returns field errors in the envelope so the page can show them next to the fields', async () => {
    const w = fakeAdminWorld();
    const resolver = createAdminResolver(({ accountId }) => w.app(accountId));
    const result = await invokeAs(resolver, 'admin-1', 'saveStorage', { storage: { kind: 'remote', protocol: 'ftp', host: '', folder: 'x' } });
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'invalid', status: 400, message: 'Some fields need attention: see the messages next to them.',
        fields: expect.arrayContaining([
          { field: 'host', message: expect.stringMatching(/host name/) },
          { field: 'user', message: expect.stringMatching(/user name/) },
          { field: 'folder', message: expect.stringMatching(/starting with "\/"/) },
          { field: 'relayUrl', message: expect.stringMatching(/relay/) },
        ]),
      },
    });
  });

  it('answers before Forge\'s 25-second limit even when a collaborator hangs', async () => {
    const w = fakeAdminWorld();
    await w.config.savePlan(validPlanInput(), 'admin-1');
    w.jobs.latest = () => new Promise(() => {});
    const resolver = createAdminResolver(({ accountId }) => w.app(accountId), { deadlineMs: 50 });
    const result = await invokeAs(resolver, 'admin-1', 'getControlPanel');
    expect(result).toMatchObject({ ok: false, error: { code: 'unavailable', status: 503 } });
  });

  it('turns an unexpected failure into a clear message and logs it', async () => {
    const w = fakeAdminWorld();
    w.files.download = async () => { throw new Error('object store said 500'); };
    w.files.files = [{ id: 's1', createdAt: 0, kind: 'basic', sizeBytes: 1, state: 'complete' }];
    const logged: string[] = [];
    const resolver = createAdminResolver(({ accountId }) => w.app(accountId), { logError: (m) => logged.push(m) });
    const result = await invokeAs(resolver, 'admin-1', 'getDownload', { fileId: 's1' });
    expect(result).toEqual({ ok: false, error: { code: 'internal', status: 500, fields: [],
      message: "Something went wrong (object store said 500). Try again; if it keeps failing, check the app's logs." } });
    expect(logged).toEqual(['Resolver getDownload failed']);
  });
});

describe('the place for restore resolvers', () => {
  it('gives a key added there the same administrator check and envelope', async () => {
    const { restoreHandlers } = await import('../../src/entry/resolvers/restore-resolvers');
    restoreHandlers.previewRestoreForTest = async (_app, payload, actor) => ({ previewed: payload.snapshotId, by: actor });
    try {
      const w = fakeAdminWorld();
      const resolver = createAdminResolver(({ accountId }) => w.app(accountId));
      expect(await invokeAs(resolver, 'user-1', 'previewRestoreForTest', { snapshotId: 's1' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(await invokeAs(resolver, 'admin-1', 'previewRestoreForTest', { snapshotId: 's1' })).toEqual({ ok: true, data: { previewed: 's1', by: 'admin-1' } });
    } finally {
      delete restoreHandlers.previewRestoreForTest;
    }
  });
});
