/** Per-issue reads: truncated embedded lists and the paging that completes them, bulk fetches, attachment bytes. */
import { startJiraSimulator, type JiraSimulator } from '../../local/jira-sim';
import { attachmentBytes } from '../../local/jira-sim/generate/attachment-bytes';
import { get, post } from './http';

let sim: JiraSimulator;
beforeAll(async () => {
  sim = await startJiraSimulator({ site: { seed: 6, issues: 300, attachmentsMb: 3 } });
});
afterAll(() => sim.stop());

test('embedded comment and worklog lists are truncated with a total; paging the issue endpoints gets them all', async () => {
  const heavy = [...sim.site.issues.values()].find((i) => i.comments.length > 100)!;
  const bean = await get(sim.baseUrl, `/rest/api/3/issue/${heavy.id}?fields=comment,worklog&expand=changelog`);
  expect(bean.json.fields.comment.total).toBe(heavy.comments.length);
  expect(bean.json.fields.comment.comments.length).toBeLessThan(heavy.comments.length);
  expect(bean.json.changelog.total).toBe(heavy.changelog.length);
  const ids: string[] = [];
  for (let startAt = 0; ; ) {
    const page = await get(sim.baseUrl, `/rest/api/3/issue/${heavy.id}/comment?startAt=${startAt}&maxResults=1000`);
    expect(page.json.maxResults).toBe(100);
    ids.push(...page.json.comments.map((c: { id: string }) => c.id));
    startAt += page.json.comments.length;
    if (startAt >= page.json.total) break;
  }
  expect(ids).toEqual(heavy.comments.map((c) => String(c.id)));

  const worklogHeavy = [...sim.site.issues.values()].find((i) => i.worklogs.length > 20)!;
  const w = await get(sim.baseUrl, `/rest/api/3/issue/${worklogHeavy.id}?fields=worklog`);
  expect(w.json.fields.worklog.worklogs).toHaveLength(20);
  expect(w.json.fields.worklog.total).toBe(worklogHeavy.worklogs.length);
  const all = await get(sim.baseUrl, `/rest/api/3/issue/${worklogHeavy.id}/worklog`);
  expect(all.json.worklogs).toHaveLength(worklogHeavy.worklogs.length);
});

test('changelog: per issue (PageBean, 100 max) and bulk (nextPageToken) both return every history once, oldest first', async () => {
  const heavy = [...sim.site.issues.values()].find((i) => i.changelog.length > 100)!;
  const first = await get(sim.baseUrl, `/rest/api/3/issue/${heavy.id}/changelog?maxResults=500`);
  expect(first.json.values).toHaveLength(100);
  expect(first.json.isLast).toBe(false);
  expect(first.json.nextPage).toContain('startAt=100');

  const issueIds = [...sim.site.issues.keys()].slice(0, 200).map(String);
  const expected = issueIds.reduce((n, id) => n + sim.site.issues.get(Number(id))!.changelog.length, 0);
  const seen: string[] = [];
  let token: string | undefined;
  do {
    const page = await post(sim.baseUrl, '/rest/api/3/changelog/bulkfetch', { issueIdsOrKeys: issueIds, maxResults: 37, nextPageToken: token });
    for (const log of page.json.issueChangeLogs) seen.push(...log.changeHistories.map((h: { id: string }) => `${log.issueId}/${h.id}`));
    token = page.json.nextPageToken;
  } while (token);
  expect(seen).toHaveLength(expected);
  expect(new Set(seen).size).toBe(expected);

  const filtered = await post(sim.baseUrl, '/rest/api/3/changelog/bulkfetch', { issueIdsOrKeys: [String(heavy.id)], fieldIds: ['status'], maxResults: 10000 });
  const items = filtered.json.issueChangeLogs[0].changeHistories.flatMap((h: { items: Array<{ fieldId: string }> }) => h.items);
  expect(items.length).toBeGreaterThan(0);
  expect(items.every((i: { fieldId: string }) => i.fieldId === 'status')).toBe(true);
});

test('bulkfetch: ascending id order, errors for missing issues, at most 100', async () => {
  const r = await post(sim.baseUrl, '/rest/api/3/issue/bulkfetch', { issueIdsOrKeys: ['10009', sim.site.issues.get(10003)!.key, 'GONE-1'], fields: ['summary'] });
  expect(r.json.issues.map((i: { id: string }) => i.id)).toEqual(['10003', '10009']);
  expect(r.json.issueErrors).toEqual([{ id: 'GONE-1', errorMessage: 'Issue does not exist or you do not have permission to see it.' }]);
  const tooMany = await post(sim.baseUrl, '/rest/api/3/issue/bulkfetch', { issueIdsOrKeys: Array.from({ length: 101 }, (_, n) => String(10000 + n)) });
  expect(tooMany.status).toBe(400);
});

test('attachment content: 303 by default, 200 with redirect=false, 206 ranges, 416 outside', async () => {
  const a = [...sim.site.attachments.values()].find((x) => x.size > 10_000)!;
  const expected = Buffer.from(attachmentBytes(a));
  const redirect = await get(sim.baseUrl, `/rest/api/3/attachment/content/${a.id}`);
  expect(redirect.status).toBe(303);
  expect(redirect.headers.get('location')).toBe(`${sim.baseUrl}/rest/api/3/attachment/content/${a.id}?redirect=false`);
  const whole = await get(sim.baseUrl, `/rest/api/3/attachment/content/${a.id}?redirect=false`);
  expect(whole.status).toBe(200);
  expect(Buffer.from(whole.bytes!).equals(expected)).toBe(true);
  const chunks: Buffer[] = [];
  const chunk = Math.ceil(a.size / 7); // uneven on purpose: the last chunk is short
  for (let start = 0; start < a.size; start += chunk) {
    const part = await get(sim.baseUrl, `/rest/api/3/attachment/content/${a.id}?redirect=false`, { range: `bytes=${start}-${start + chunk - 1}` });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes ${start}-${Math.min(start + chunk - 1, a.size - 1)}/${a.size}`);
    chunks.push(Buffer.from(part.bytes!));
  }
  expect(Buffer.concat(chunks).equals(expected)).toBe(true);
  const suffix = await get(sim.baseUrl, `/rest/api/3/attachment/content/${a.id}?redirect=false`, { range: 'bytes=-10' });
  expect(Buffer.from(suffix.bytes!).equals(expected.subarray(a.size - 10))).toBe(true);
  const outside = await get(sim.baseUrl, `/rest/api/3/attachment/content/${a.id}?redirect=false`, { range: `bytes=${a.size}-` });
  expect(outside.status).toBe(416);
  expect(outside.headers.get('content-range')).toBe(`bytes */${a.size}`);
});
