/** /worklog/updated and /worklog/deleted for incremental backups: oldest first, last minute excluded, real tombstones. */
import { startJiraSimulator, type JiraSimulator } from '../../local/jira-sim';
import { get, post, send } from './http';

let sim: JiraSimulator;
let clock = Date.UTC(2026, 1, 1, 12, 0, 0);

beforeAll(async () => {
  sim = await startJiraSimulator({ site: { seed: 12, issues: 80, attachmentsMb: 0 }, now: () => clock });
});
afterAll(() => sim.stop());

const adf = { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'w' }] }] };

test('a new worklog shows up in /worklog/updated once it is a minute old; a deleted one in /worklog/deleted', async () => {
  const since = clock - 1;
  const created = await post(sim.baseUrl, '/rest/api/3/issue/10005/worklog', { timeSpentSeconds: 600, comment: adf, started: '2026-02-01T10:00:00.000+0000' });
  expect(created.status).toBe(201);
  const id = Number(created.json.id);

  const tooSoon = await get(sim.baseUrl, `/rest/api/3/worklog/updated?since=${since}`);
  expect(tooSoon.json.values).toEqual([]);
  clock += 61_000;
  const updated = await get(sim.baseUrl, `/rest/api/3/worklog/updated?since=${since}`);
  expect(updated.json.values).toEqual([{ worklogId: id, updatedTime: clock - 61_000, properties: [] }]);
  expect(updated.json.lastPage).toBe(true);

  const bodies = await post(sim.baseUrl, '/rest/api/3/worklog/list', { ids: [id] });
  expect(bodies.json.map((w: { id: string }) => w.id)).toEqual([String(id)]);

  const deletedAt = clock;
  expect((await send(sim.baseUrl, { method: 'DELETE', path: `/rest/api/3/issue/10005/worklog/${id}` })).status).toBe(204);
  clock += 61_000;
  const deleted = await get(sim.baseUrl, `/rest/api/3/worklog/deleted?since=${since}`);
  expect(deleted.json.values).toEqual([{ worklogId: id, updatedTime: deletedAt, properties: [] }]);
});

test('deleting an issue tombstones its worklogs', async () => {
  const issue = [...sim.site.issues.values()].find((i) => i.worklogs.length > 0)!;
  const ids = issue.worklogs.map((w) => w.id);
  const since = clock - 1;
  expect((await send(sim.baseUrl, { method: 'DELETE', path: `/rest/api/3/issue/${issue.id}?deleteSubtasks=true` })).status).toBe(204);
  clock += 61_000;
  const deleted = await get(sim.baseUrl, `/rest/api/3/worklog/deleted?since=${since}`);
  expect(deleted.json.values.map((v: { worklogId: number }) => v.worklogId).sort()).toEqual([...ids].sort());
});

test('pages of 1000, oldest first, continued from `until`', async () => {
  const all: number[] = [];
  let since = 0;
  for (let pages = 0; pages < 20; pages++) {
    const page = await get(sim.baseUrl, `/rest/api/3/worklog/updated?since=${since}`);
    all.push(...page.json.values.map((v: { updatedTime: number }) => v.updatedTime));
    expect(page.json.values.length).toBeLessThanOrEqual(1000);
    if (page.json.lastPage) break;
    since = page.json.until;
  }
  expect(all).toEqual([...all].sort((a, b) => a - b));
  const expected = [...sim.site.issues.values()].reduce((n, i) => n + i.worklogs.length, 0);
  expect(all.length).toBe(expected);
});
