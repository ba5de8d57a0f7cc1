/** /search/jql paging through generated sites: each issue exactly once, page sizes, tokens, JQL errors, time zones. */
import { startJiraSimulator, type JiraSimulator } from '../../local/jira-sim';
import { get, post } from './http';

const enc = encodeURIComponent;

async function pageAll(sim: JiraSimulator, jql: string, extra = '', headers?: Record<string, string>) {
  const ids: string[] = [];
  const pageSizes: number[] = [];
  let token: string | undefined;
  do {
    const r = await get(sim.baseUrl, `/rest/api/3/search/jql?jql=${enc(jql)}${extra}${token ? `&nextPageToken=${enc(token)}` : ''}`, headers);
    expect(r.status).toBe(200);
    ids.push(...r.json.issues.map((i: { id: string }) => i.id));
    pageSizes.push(r.json.issues.length);
    expect(r.json.isLast).toBe(r.json.nextPageToken === undefined);
    token = r.json.nextPageToken;
  } while (token);
  return { ids, pageSizes };
}

describe('paging a 12,000-issue site', () => {
  let sim: JiraSimulator;
  beforeAll(async () => {
    sim = await startJiraSimulator({ site: { seed: 11, issues: 12_000, projects: 4, attachmentsMb: 0 } });
  });
  afterAll(() => sim.stop());

  test('ids only, 5,000 per page, ORDER BY id: every issue exactly once', async () => {
    const keys = sim.site.projects.map((p) => p.key).join(', ');
    const { ids, pageSizes } = await pageAll(sim, `project in (${keys}) ORDER BY id ASC`, '&maxResults=5000&fields=id');
    expect(pageSizes).toEqual([5000, 5000, 2000]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.map(Number)).toEqual([...sim.site.issues.keys()]);
  });

  test('ORDER BY key DESC and updated ASC also return each issue once', async () => {
    const project = sim.site.projects[1];
    const expected = [...sim.site.issues.values()].filter((i) => i.projectId === project.id).map((i) => String(i.id)).sort();
    for (const order of ['key DESC', 'updated ASC', 'created DESC, key ASC']) {
      const { ids } = await pageAll(sim, `project = ${project.key} ORDER BY ${order}`, '&maxResults=700');
      expect(new Set(ids).size).toBe(ids.length);
      expect([...ids].sort()).toEqual(expected);
    }
  });

  test('pages shrink to 100 when fields are requested', async () => {
    const r = await get(sim.baseUrl, `/rest/api/3/search/jql?jql=${enc(`project = ${sim.site.projects[0].key}`)}&maxResults=5000&fields=summary,updated`);
    expect(r.json.issues).toHaveLength(100);
    expect(r.json.issues[0].fields.summary).toEqual(expect.any(String));
  });

  test('id ranges', async () => {
    const { ids } = await pageAll(sim, 'id >= 10100 AND id < 10150 ORDER BY id ASC', '&maxResults=20');
    expect(ids.map(Number)).toEqual(Array.from({ length: 50 }, (_, i) => 10100 + i));
    const { ids: after } = await pageAll(sim, `project = ${sim.site.projects[0].key} AND id > 21990 ORDER BY id ASC`);
    expect(after.every((id) => Number(id) > 21990)).toBe(true);
  });

  test('the request log counts one point per request plus one per issue', async () => {
    sim.requestLog.clear();
    await pageAll(sim, 'id >= 10000 AND id < 10250 ORDER BY id ASC', '&maxResults=100');
    expect(sim.requestLog.count()).toBe(3);
    expect(sim.requestLog.totalPoints()).toBe(3 + 250);
  });
});

describe('search semantics', () => {
  let sim: JiraSimulator;
  beforeAll(async () => {
    sim = await startJiraSimulator({ site: { seed: 5, issues: 300, attachmentsMb: 0 }, timeZone: 'Australia/Sydney' });
  });
  afterAll(() => sim.stop());

  test('unbounded or unknown JQL is refused with 400 and Jira\'s error shape', async () => {
    for (const [jql, message] of [
      ['ORDER BY key DESC', 'Unbounded JQL queries are not allowed here. Please add a search restriction to your query.'],
      ['', 'Unbounded JQL queries are not allowed here. Please add a search restriction to your query.'],
      ['foo = bar', "Field 'foo' does not exist or you do not have permission to view it."],
      ['project = NOPE', "The value 'NOPE' does not exist for the field 'project'."],
      ['updated >= "yesterday"', expect.stringContaining("Date value 'yesterday' for field 'updated' is invalid")],
      ['project = DEMO ORDER BY summary', "Not able to sort using field 'summary'."],
    ] as const) {
      const r = await get(sim.baseUrl, `/rest/api/3/search/jql?jql=${enc(jql)}`);
      expect(r.status).toBe(400);
      expect(r.json).toEqual({ errorMessages: [message], errors: {} });
    }
  });

  test('maxResults above 5,000 is refused', async () => {
    const r = await get(sim.baseUrl, `/rest/api/3/search/jql?jql=${enc('project = DEMO')}&maxResults=5001`);
    expect(r.status).toBe(400);
  });

  test('a token from another query is refused', async () => {
    const first = await get(sim.baseUrl, `/rest/api/3/search/jql?jql=${enc('project = DEMO ORDER BY id ASC')}&maxResults=5`);
    const r = await get(sim.baseUrl, `/rest/api/3/search/jql?jql=${enc('project = MOB ORDER BY id ASC')}&maxResults=5&nextPageToken=${enc(first.json.nextPageToken)}`);
    expect(r.status).toBe(400);
  });

  test('updated >= "yyyy/MM/dd HH:mm" is read in the caller\'s time zone, at minute precision', async () => {
    const issue = sim.site.issues.get(10050)!;
    // 2026-01-10 03:30:45 UTC = 14:30:45 in Sydney (UTC+11 in January) = 19:30:45 the day before in Los Angeles.
    issue.updated = Date.UTC(2026, 0, 10, 3, 30, 45);
    const appView = (await post(sim.baseUrl, '/rest/api/3/search/jql', { jql: 'updated >= "2026/01/10 14:30" AND id = 10050' })).json.issues;
    const appTooLate = (await post(sim.baseUrl, '/rest/api/3/search/jql', { jql: 'updated >= "2026/01/10 14:31" AND id = 10050' })).json.issues;
    expect(appView).toHaveLength(1);
    expect(appTooLate).toHaveLength(0);
    // The same literal means a different instant for a user in Los Angeles.
    const la = { 'x-emulator-account-id': sim.accounts.nonAdmin };
    const laView = (await post(sim.baseUrl, '/rest/api/3/search/jql', { jql: 'updated >= "2026-01-09 19:30" AND id = 10050' }, la)).json.issues;
    const laWrongZone = (await post(sim.baseUrl, '/rest/api/3/search/jql', { jql: 'updated >= "2026/01/10 14:30" AND id = 10050' }, la)).json.issues;
    expect(laView).toHaveLength(1);
    expect(laWrongZone).toHaveLength(0);
  });

  test('timestamps in responses carry the caller\'s offset', async () => {
    const r = await get(sim.baseUrl, '/rest/api/3/issue/10050?fields=updated');
    expect(r.json.fields.updated).toBe('2026-01-10T14:30:45.000+1100');
  });

  test('approximate-count counts matches', async () => {
    const demo = sim.site.projects[0];
    const expected = [...sim.site.issues.values()].filter((i) => i.projectId === demo.id).length;
    const r = await post(sim.baseUrl, '/rest/api/3/search/approximate-count', { jql: `project = ${demo.key}` });
    expect(r.json).toEqual({ count: expected });
  });

  test('issues created, updated and deleted while paging by updated: no gaps, updated ones come again at the end', async () => {
    sim.configure({ faults: { churn: { everyRequests: 1, create: 2, update: 1, delete: 1 } } });
    const before = new Set([...sim.site.issues.keys()].map(String));
    const seen: string[] = [];
    const deleted = new Set<string>();
    let token: string | undefined;
    do {
      const idsBefore = new Set([...sim.site.issues.keys()].map(String));
      const r = await post(sim.baseUrl, '/rest/api/3/search/jql', { jql: 'project in (DEMO, MOB, OMEGA) ORDER BY updated ASC', maxResults: 50, nextPageToken: token });
      for (const id of idsBefore) if (!sim.site.issues.has(Number(id))) deleted.add(id);
      seen.push(...r.json.issues.map((i: { id: string }) => i.id));
      token = r.json.nextPageToken;
    } while (token);
    sim.configure({ faults: {} });
    // Every issue that existed at the start and was never deleted was returned at least once.
    const missing = [...before].filter((id) => !deleted.has(id) && !seen.includes(id));
    expect(missing).toEqual([]);
    // Issues edited mid-run moved to the end and were returned again: duplicates, not gaps.
    expect(seen.length).toBeGreaterThan(new Set(seen).size);
  });
});
