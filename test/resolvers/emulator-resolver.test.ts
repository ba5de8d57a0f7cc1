import { join } from 'node:path';
import { ForgePlatform } from '../../local/forge';
import { startJiraSimulator, type JiraSimulator } from '../../local/jira-sim/server';
import { ADMIN_RESOLVER_KEYS, type ResolverResult } from '../../src/core/admin';
import type { ConfigurationView } from '../../src/core/admin';
import { provideAdminPorts } from '../../src/entry/resolver';
import { siteTimeZoneFrom } from '../../src/entry/resolvers/site-time-zone';
import { forgeJiraClient } from '../../src/adapters/forge';
import { FakeFiles, FakeGauge, FakeJobs, FakeTester, ManualClock, MemoryKeyValue, MemorySecrets } from '../admin/fakes';

/**
 * The app's own manifest and handlers on the local Forge platform: the page's `invoke` lands in the exported
 * resolver through the real @forge/resolver, and the administrator check goes out through the real @forge/api
 * `asUser().requestJira` to the Jira simulator, which answers mypermissions for the calling account.
 */
describe('admin resolvers on the Forge emulator', () => {
  let sim: JiraSimulator;
  let platform: ForgePlatform;
  let kv: MemoryKeyValue;

  beforeAll(async () => {
    sim = await startJiraSimulator({ port: 0, site: { seed: 5, projects: 1, issues: 3, attachmentsMb: 0 } });
    platform = await ForgePlatform.start({ appDir: join(__dirname, '..', '..'), dataDir: 'memory', jira: { baseUrl: sim.baseUrl } });
    kv = new MemoryKeyValue();
    const clock = new ManualClock(Date.UTC(2026, 10, 26, 10, 0));
    provideAdminPorts(() => ({
      kv,
      secrets: new MemorySecrets(),
      clock,
      jiraAsUser: () => forgeJiraClient({ as: 'user' }),
      siteTimeZone: siteTimeZoneFrom(forgeJiraClient({ as: 'app' })),
      siteProjects: async () => [],
      jobs: new FakeJobs(clock),
      files: new FakeFiles(),
      gauge: new FakeGauge(),
      tester: new FakeTester(),
    }));
  });
  afterAll(async () => {
    provideAdminPorts(undefined);
    await platform.stop();
    await sim.stop();
  });

  const call = <T>(key: string, accountId?: string, payload: Record<string, unknown> = {}) =>
    platform.invoke<ResolverResult<T>>('backup-center-admin-page', key, payload, accountId ? { accountId } : {});

  it.each(ADMIN_RESOLVER_KEYS)('%s refuses a signed-in non-administrator and an anonymous call', async (key) => {
    expect(await call(key, sim.accounts.nonAdmin)).toEqual({ ok: false, error: expect.objectContaining({ code: 'forbidden', status: 403 }) });
    expect(await call(key)).toEqual({ ok: false, error: expect.objectContaining({ code: 'forbidden', status: 403 }) });
    expect(kv.data.size).toBe(0);
  });

  it('serves a Jira administrator, with the site time zone read as the app', async () => {
    const result = await call<ConfigurationView>('getConfiguration', sim.accounts.admin);
    const serverInfo = (await (await fetch(`${sim.baseUrl}/rest/api/3/serverInfo`)).json()) as { serverTimeZone: string };
    expect(result).toEqual({ ok: true, data: expect.objectContaining({ plans: [], timeZone: serverInfo.serverTimeZone }) });
    const saved = await call('savePlan', sim.accounts.admin, {
      plan: { name: 'Nightly', projects: { mode: 'all' }, content: 'basic', schedule: { days: 'daily', time: '02:00' }, retention: { mode: 'forever' } },
    });
    expect(saved).toMatchObject({ ok: true, data: { name: 'Nightly' } });
  });
});
