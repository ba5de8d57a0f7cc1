/** Jira's three rate limits with an injected clock: hourly points, per-endpoint burst, per-issue writes. */
import { startJiraSimulator, type JiraSimulator } from '../../local/jira-sim';
import { get, post, send } from './http';

let sim: JiraSimulator;
let clock = Date.UTC(2026, 0, 15, 10, 59, 0);

beforeAll(async () => {
  sim = await startJiraSimulator({ site: { seed: 4, issues: 60, attachmentsMb: 0, users: 10 }, now: () => clock, rateLimits: { hourlyPoints: 100 } });
});
afterAll(() => sim.stop());
beforeEach(() => {
  clock += 3_600_000; // a fresh quota hour per test
  sim.requestLog.clear();
});

test('points: 1 per request + 1 per object, 2 per user, writes 1; headers count down', async () => {
  sim.configure({ rateLimits: { hourlyPoints: 1000, now: () => clock } });
  const search = await post(sim.baseUrl, '/rest/api/3/search/jql', { jql: 'id >= 10000 AND id < 10010 ORDER BY id ASC' });
  expect(search.json.issues).toHaveLength(10);
  expect(search.headers.get('x-ratelimit-remaining')).toBe(String(1000 - 11));
  const users = await get(sim.baseUrl, '/rest/api/3/users/search?maxResults=5');
  expect(users.json).toHaveLength(5);
  const write = await post(sim.baseUrl, '/rest/api/3/issue/10001/comment', { body: { type: 'doc', version: 1, content: [] } });
  expect(write.status).toBe(201);
  expect(sim.requestLog.entries.map((e) => e.points)).toEqual([11, 11, 1]);
  expect(write.headers.get('x-ratelimit-remaining')).toBe(String(1000 - 23));
  expect(write.headers.get('x-ratelimit-limit')).toBe('1000');
  expect(write.headers.get('x-ratelimit-nearlimit')).toBe('false');
  expect(Date.parse(write.headers.get('x-ratelimit-reset')!)).toBe(Math.floor(clock / 3_600_000) * 3_600_000 + 3_600_000);
});

test('the hourly quota runs out: 429 with Retry-After until the next hour, then it refills', async () => {
  sim.configure({ rateLimits: { hourlyPoints: 30, now: () => clock, quotaReason: 'jira-quota-tenant-based' } });
  clock = Math.floor(clock / 3_600_000) * 3_600_000 + 3_590_000; // 10 s before the hour ends
  const path = '/rest/api/3/search/jql?jql=id%20%3E%3D%2010000%20ORDER%20BY%20id%20ASC&maxResults=20';
  expect((await get(sim.baseUrl, path)).status).toBe(200); // 21 points
  const near = await get(sim.baseUrl, path); // 42 ≥ 30: allowed (quota was not yet used up), now exhausted
  expect(near.headers.get('x-ratelimit-nearlimit')).toBe('true');
  const refused = await get(sim.baseUrl, path);
  expect(refused.status).toBe(429);
  expect(refused.headers.get('retry-after')).toBe('10');
  expect(refused.headers.get('ratelimit-reason')).toBe('jira-quota-tenant-based');
  expect(refused.headers.get('x-ratelimit-remaining')).toBe('0');
  expect(sim.requestLog.entries[2]).toMatchObject({ status: 429, points: 0, rateLimitReason: 'jira-quota-tenant-based' });
  clock += 10_000;
  expect((await get(sim.baseUrl, path)).status).toBe(200);
});

test('burst: requests per second per endpoint', async () => {
  sim.configure({ rateLimits: { hourlyPoints: 100_000, burstPerSecond: 3, now: () => clock } });
  const statuses: number[] = [];
  for (let n = 0; n < 4; n++) statuses.push((await get(sim.baseUrl, '/rest/api/3/myself')).status);
  expect(statuses).toEqual([200, 200, 200, 429]);
  expect(sim.requestLog.entries[3].rateLimitReason).toBe('jira-burst-based');
  expect((await get(sim.baseUrl, '/rest/api/3/serverInfo')).status).toBe(200); // another endpoint has its own budget
  clock += 1000;
  expect((await get(sim.baseUrl, '/rest/api/3/myself')).status).toBe(200);
});

test('per-issue writes: 20 per 2 s and 100 per 30 s on one issue', async () => {
  sim.configure({ rateLimits: { hourlyPoints: 100_000, burstPerSecond: 1000, now: () => clock } });
  const put = (issue: string) => send(sim.baseUrl, { method: 'PUT', path: `/rest/api/3/issue/${issue}/properties/p`, body: { n: 1 } });
  for (let n = 0; n < 20; n++) expect((await put('10002')).status).toBeLessThan(300);
  const refused = await put('10002');
  expect(refused.status).toBe(429);
  expect(refused.headers.get('ratelimit-reason')).toBe('jira-per-issue-on-write');
  expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  expect((await put('10003')).status).toBeLessThan(300); // other issues are not affected
  // Keep under 20 per 2 s but exceed 100 per 30 s.
  let refusedAt = -1;
  for (let n = 0; n < 120 && refusedAt < 0; n++) {
    if (n % 10 === 0) clock += 2001;
    const r = await put('10004');
    if (r.status === 429) refusedAt = n;
  }
  expect(refusedAt).toBe(100);
});

test('rate limits off: no quota headers and no refusals', async () => {
  sim.configure({ rateLimits: 'off' });
  for (let n = 0; n < 5; n++) {
    const r = await get(sim.baseUrl, '/rest/api/3/myself');
    expect(r.status).toBe(200);
    expect(r.headers.get('x-ratelimit-limit')).toBeNull();
  }
  expect(sim.requestLog.totalPoints()).toBe(5);
});

test('search tokens expire after 7 days', async () => {
  sim.configure({ rateLimits: 'off' });
  const first = await post(sim.baseUrl, '/rest/api/3/search/jql', { jql: 'id >= 10000 ORDER BY id ASC', maxResults: 5 });
  clock += 6 * 86_400_000;
  const stillValid = await post(sim.baseUrl, '/rest/api/3/search/jql', { jql: 'id >= 10000 ORDER BY id ASC', maxResults: 5, nextPageToken: first.json.nextPageToken });
  expect(stillValid.status).toBe(200);
  clock += 2 * 86_400_000;
  const expired = await post(sim.baseUrl, '/rest/api/3/search/jql', { jql: 'id >= 10000 ORDER BY id ASC', maxResults: 5, nextPageToken: first.json.nextPageToken });
  expect(expired.status).toBe(400);
  expect(expired.json.errorMessages[0]).toContain('tokens last 7 days');
});
