/** The identity contract with the Forge emulator: x-emulator-account-id selects the user; no header = the app. */
import { startJiraSimulator, type JiraSimulator } from '../../local/jira-sim';
import { get } from './http';

let sim: JiraSimulator;
beforeAll(async () => {
  sim = await startJiraSimulator({ site: { seed: 2, issues: 10, attachmentsMb: 0 }, timeZone: 'Asia/Kolkata' });
});
afterAll(() => sim.stop());

const as = (accountId?: string) => (accountId ? { 'x-emulator-account-id': accountId } : undefined);

test.each([
  ['the app (no header)', undefined, true],
  ['the admin', 'admin', true],
  ['the non-admin', 'nonAdmin', false],
] as const)('mypermissions ADMINISTER for %s', async (_, who, expected) => {
  const accountId = who ? sim.accounts[who] : undefined;
  const r = await get(sim.baseUrl, '/rest/api/3/mypermissions?permissions=ADMINISTER', as(accountId));
  expect(r.status).toBe(200);
  expect(r.json.permissions.ADMINISTER.havePermission).toBe(expected);
});

test('myself returns the caller with a time zone; the app user has the configured one', async () => {
  const app = await get(sim.baseUrl, '/rest/api/3/myself');
  expect(app.json).toMatchObject({ accountId: sim.accounts.app, accountType: 'app', timeZone: 'Asia/Kolkata' });
  const user = await get(sim.baseUrl, '/rest/api/3/myself', as(sim.accounts.nonAdmin));
  expect(user.json).toMatchObject({ accountId: sim.accounts.nonAdmin, timeZone: 'America/Los_Angeles' });
  sim.configure({ timeZone: 'UTC' });
  expect((await get(sim.baseUrl, '/rest/api/3/myself')).json.timeZone).toBe('UTC');
});

test('basic auth is accepted (as the app); an unknown account id is refused with 401', async () => {
  const basic = await get(sim.baseUrl, '/rest/api/3/myself', { authorization: `Basic ${Buffer.from('me@example.com:token').toString('base64')}` });
  expect(basic.json.accountId).toBe(sim.accounts.app);
  const unknown = await get(sim.baseUrl, '/rest/api/3/myself', as('no-such-account'));
  expect(unknown.status).toBe(401);
  expect(unknown.json.errorMessages[0]).toContain('no-such-account');
});

test('admin-only configuration reads answer 403 to a non-admin', async () => {
  for (const path of ['/rest/api/3/workflows/search', '/rest/api/3/workflowscheme']) {
    expect((await get(sim.baseUrl, path, as(sim.accounts.nonAdmin))).status).toBe(403);
    expect((await get(sim.baseUrl, path, as(sim.accounts.admin))).status).toBe(200);
  }
});

test('the request log records who called', async () => {
  sim.requestLog.clear();
  await get(sim.baseUrl, '/rest/api/3/serverInfo', as(sim.accounts.admin));
  await get(sim.baseUrl, '/rest/api/3/serverInfo');
  expect(sim.requestLog.entries.map((e) => e.accountId)).toEqual([sim.accounts.admin, sim.accounts.app]);
});
