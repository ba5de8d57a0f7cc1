/** The JQL subset: parsing, evaluation, ordering, and Jira's error messages. Pure: no server. */
import { compileJql, compareSortKeys } from '../../local/jira-sim/jql/evaluate';
import { parseJql } from '../../local/jira-sim/jql/parser';
import { parseJqlDate } from '../../local/jira-sim/jql/dates';
import { generateSite } from '../../local/jira-sim/generate/site';

const site = generateSite({ seed: 9, issues: 200, projects: 3, attachmentsMb: 0 });
const now = Date.UTC(2026, 0, 15, 12, 0);
const run = (jql: string, timeZone = 'UTC') => {
  const q = compileJql(jql, { site, timeZone, now }, { requireBounded: true });
  return [...site.issues.values()].filter((i) => q.matches(i)).sort((a, b) => compareSortKeys(q.sortKey(a), q.sortKey(b), q.directions));
};

test.each([
  ['project = DEMO AND id >= 10010', { kind: 'and' }],
  ['project in (DEMO, "MOB") ORDER BY updated DESC, key', { kind: 'compare' }],
  ['(project = DEMO OR project = MOB) AND NOT id = 10000', { kind: 'and' }],
])('parses %s', (jql, shape) => {
  expect(parseJql(jql).where).toMatchObject(shape);
});

test('project, id ranges and ORDER BY', () => {
  const demo = site.projects[0];
  const result = run(`project = ${demo.key} AND id > 10010 AND id <= 10100 ORDER BY id DESC`);
  expect(result.length).toBeGreaterThan(0);
  expect(result.every((i) => i.projectId === demo.id && i.id > 10010 && i.id <= 10100)).toBe(true);
  expect(result.map((i) => i.id)).toEqual([...result.map((i) => i.id)].sort((a, b) => b - a));
  expect(run(`project in (${site.projects.map((p) => p.id).join(',')})`).length).toBe(site.issues.size);
  expect(run(`project != ${demo.key}`).some((i) => i.projectId === demo.id)).toBe(false);
});

test('ORDER BY key sorts by project key, then issue number (not as text)', () => {
  const keys = run(`project = ${site.projects[0].key} ORDER BY key ASC`).map((i) => Number(i.key.split('-')[1]));
  expect(keys).toEqual([...keys].sort((a, b) => a - b));
  expect(keys.length).toBeGreaterThan(10);
});

test('dates: formats, relative periods, caller time zone', () => {
  expect(parseJqlDate('2026/01/15 12:00', 'updated', 'UTC', now)).toBe(Date.UTC(2026, 0, 15, 12, 0));
  expect(parseJqlDate('2026-01-15 13:00', 'updated', 'Europe/Berlin', now)).toBe(Date.UTC(2026, 0, 15, 12, 0));
  expect(parseJqlDate('2026-07-15 14:00', 'updated', 'Europe/Berlin', now)).toBe(Date.UTC(2026, 6, 15, 12, 0)); // summer time
  expect(parseJqlDate('2026/01/15', 'updated', 'UTC', now)).toBe(Date.UTC(2026, 0, 15));
  expect(parseJqlDate('-95m', 'updated', 'UTC', now)).toBe(now - 95 * 60_000);
  expect(parseJqlDate('-1w 2d', 'updated', 'UTC', now)).toBe(now - 9 * 86_400_000);
  expect(() => parseJqlDate('2026/01/15 12:00:30', 'updated', 'UTC', now)).toThrow("Date value '2026/01/15 12:00:30' for field 'updated' is invalid");
});

test('updated >= compares at minute precision in the caller zone', () => {
  const issue = site.issues.get(10020)!;
  const saved = issue.updated;
  issue.updated = Date.UTC(2026, 0, 10, 8, 15, 59);
  try {
    expect(run('id = 10020 AND updated >= "2026/01/10 09:15"', 'Europe/Berlin')).toHaveLength(1);
    expect(run('id = 10020 AND updated >= "2026/01/10 09:16"', 'Europe/Berlin')).toHaveLength(0);
    expect(run('id = 10020 AND updated = "2026/01/10 08:15"', 'UTC')).toHaveLength(1);
  } finally {
    issue.updated = saved;
  }
});

test.each([
  ['', 'Unbounded JQL queries are not allowed here. Please add a search restriction to your query.'],
  ['order by key desc', 'Unbounded JQL queries are not allowed here. Please add a search restriction to your query.'],
  ['assignee = currentUser()', "The function 'currentUser' is not supported by the Jira simulator."],
  ['project = DEMO ORDER BY a, b, c, d, e, f, g, h', 'The ORDER BY clause can contain at most 7 fields.'],
  ['project = ', 'Expecting a value before the end of the query.'],
  ['key = NOPE-1', "An issue with key 'NOPE-1' does not exist for field 'key'."],
  ['project > DEMO', "The operator '>' is not supported by the 'project' field."],
])('refuses %j', (jql, message) => {
  expect(() => compileJql(jql, { site, timeZone: 'UTC', now }, { requireBounded: true })).toThrow(message);
});
