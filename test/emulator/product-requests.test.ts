import api, { route } from '@forge/api';
import type { ForgePlatform } from '../../local/forge';
import { EMULATOR_ACCOUNT_HEADER } from '../../local/forge';
import { EchoServer, startEchoServer } from './echo-server';
import { startFixture } from './start-fixture';

/** requestJira asApp / asUser routed to the configured Jira, per the contract with the Jira simulator. */
describe('product requests (requestJira)', () => {
  let jira: EchoServer;
  let platform: ForgePlatform;
  afterEach(async () => {
    await platform.stop();
    await jira.close();
  });

  it('sends asUser requests with the page user in x-emulator-account-id, asApp requests without it', async () => {
    jira = await startEchoServer();
    platform = await startFixture({ jira: { baseUrl: jira.url } });
    const asUser = await platform.invoke<{ status: number; body: { url: string; headers: Record<string, string> } }>(
      'resolver', 'jiraAsUser', { expand: 'groups,applicationRoles' }, { accountId: 'user-admin' },
    );
    expect(asUser.status).toBe(200);
    expect(asUser.body.url).toBe('/rest/api/3/myself?expand=groups%2CapplicationRoles');
    expect(asUser.body.headers[EMULATOR_ACCOUNT_HEADER]).toBe('user-admin');
    expect(asUser.body.headers.authorization).toBeUndefined();

    const asApp = await platform.invoke<{ body: { url: string; headers: Record<string, string> } }>('resolver', 'jiraAsApp', {}, { accountId: 'user-admin' });
    expect(asApp.body.url).toBe('/rest/api/3/serverInfo');
    expect(asApp.body.headers[EMULATOR_ACCOUNT_HEADER]).toBeUndefined();
  });

  it('sends bodies and methods through, and uses Basic auth for a real site', async () => {
    jira = await startEchoServer();
    platform = await startFixture({ jira: { baseUrl: `${jira.url}/`, email: 'admin@example.com', apiToken: 'tok' } });
    const response = await api.asApp().requestJira(route`/rest/api/3/issue`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ fields: { summary: 'Restored' } }),
    });
    const seen = (await response.json()) as { method: string; body: string; headers: Record<string, string> };
    expect(seen.method).toBe('POST');
    expect(JSON.parse(seen.body)).toEqual({ fields: { summary: 'Restored' } });
    expect(seen.headers.authorization).toBe(`Basic ${Buffer.from('admin@example.com:tok').toString('base64')}`);
  });

  it('names the Jira base URL when nothing answers there', async () => {
    jira = await startEchoServer();
    platform = await startFixture({ jira: { baseUrl: 'http://127.0.0.1:1' } });
    await expect(api.asApp().requestJira(route`/rest/api/3/serverInfo`)).rejects.toThrow(/Jira at http:\/\/127\.0\.0\.1:1 did not answer GET \/rest\/api\/3\/serverInfo/);
  });

  it('refuses asUser without a user in context, as Forge does (NeedsAuthenticationError)', async () => {
    jira = await startEchoServer();
    platform = await startFixture({ jira: { baseUrl: jira.url } });
    await expect(api.asUser().requestJira(route`/rest/api/3/myself`)).rejects.toMatchObject({ name: 'NEEDS_AUTHENTICATION_ERR' });
    expect(jira.requests).toHaveLength(0);
  });
});
