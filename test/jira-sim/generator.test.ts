/** The seeded site generator: deterministic, complete, hostile, and cheap until read. */
import { createHash } from 'node:crypto';
import { generateSite } from '../../local/jira-sim/generate/site';
import { attachmentBytes } from '../../local/jira-sim/generate/attachment-bytes';
import type { SiteData } from '../../local/jira-sim/model';

/** A digest of everything generated, including the lazily generated sub-collections. */
function digest(site: SiteData): string {
  const hash = createHash('sha256');
  for (const issue of site.issues.values()) {
    hash.update(JSON.stringify({ ...issue, comments: issue.comments, worklogs: issue.worklogs, changelog: issue.changelog, remoteLinks: issue.remoteLinks, watchers: issue.watcherIds, voters: issue.voterIds, properties: [...issue.properties] }));
  }
  hash.update(JSON.stringify([site.users, site.groups, site.projects.map((p) => ({ ...p, properties: [...p.properties] })), site.links, [...site.attachments.values()], site.sprints, site.filters]));
  return hash.digest('hex');
}

test('the same seed and options give the same site; another seed gives another', () => {
  const a = generateSite({ seed: 42, issues: 500, projects: 4, attachmentsMb: 2 });
  const b = generateSite({ seed: 42, issues: 500, projects: 4, attachmentsMb: 2 });
  const c = generateSite({ seed: 43, issues: 500, projects: 4, attachmentsMb: 2 });
  expect(digest(a)).toBe(digest(b));
  expect(digest(a)).not.toBe(digest(c));
});

test('lazy parts do not depend on the order in which issues are first read', () => {
  const a = generateSite({ seed: 7, issues: 50 });
  const b = generateSite({ seed: 7, issues: 50 });
  const idsA = [...a.issues.keys()];
  for (const id of [...idsA].reverse()) void b.issues.get(id)!.comments;
  expect(idsA.map((id) => JSON.stringify(a.issues.get(id)!.comments))).toEqual(idsA.map((id) => JSON.stringify(b.issues.get(id)!.comments)));
});

describe('a generated site has every kind of data the backup must carry', () => {
  const site = generateSite({ seed: 1, issues: 2000, projects: 4, attachmentsMb: 45 });
  const issues = [...site.issues.values()];

  test('company- and team-managed projects, sub-tasks, epics, custom field kinds', () => {
    expect(new Set(site.projects.map((p) => p.style))).toEqual(new Set(['classic', 'next-gen']));
    const types = new Map(site.issueTypes.map((t) => [t.id, t]));
    expect(issues.some((i) => types.get(i.issueTypeId)!.subtask && i.parentId !== null)).toBe(true);
    expect(issues.some((i) => types.get(i.issueTypeId)!.hierarchyLevel === 1)).toBe(true);
    expect(new Set(site.customFields.map((f) => f.kind))).toEqual(new Set(['text', 'textarea', 'number', 'select', 'multiselect', 'user', 'date', 'datetime', 'labels', 'sprint', 'rank']));
    for (const f of site.customFields) expect(issues.some((i) => i.custom[f.id] !== undefined)).toBe(true);
  });

  test('heavy issues: > 100 comments, > 20 worklogs, > 100 changelog entries', () => {
    expect(issues.some((i) => i.comments.length > 100)).toBe(true);
    expect(issues.some((i) => i.worklogs.length > 20)).toBe(true);
    expect(issues.some((i) => i.changelog.length > 100)).toBe(true);
  });

  test('links, remote links, watchers, votes, properties, boards, sprints, filters, dashboards, roles, groups', () => {
    expect(site.links.length).toBeGreaterThan(0);
    expect(issues.some((i) => i.remoteLinks.length > 0)).toBe(true);
    expect(issues.some((i) => i.watcherIds.length > 0)).toBe(true);
    expect(issues.some((i) => i.voterIds.length > 0)).toBe(true);
    expect(issues.some((i) => i.properties.size > 0)).toBe(true);
    expect(site.boards.length).toBe(4);
    expect(new Set(site.sprints.map((s) => s.state))).toEqual(new Set(['closed', 'active', 'future']));
    expect(site.filters.length).toBeGreaterThan(3);
    expect(site.dashboards.length).toBeGreaterThan(0);
    expect(site.projects.every((p) => p.roles.length > 0)).toBe(true);
    expect(site.groups.some((g) => g.memberIds.length === 0)).toBe(true);
  });

  test('hostile content: unicode, emoji, right-to-left, very long fields, dangerous file names', () => {
    const text = issues.map((i) => `${i.summary}\n${typeof i.description === 'string' ? i.description : ''}`).join('\n');
    expect(text).toMatch(/\p{Extended_Pictographic}/u);
    expect(text).toMatch(/[\u0590-\u05FF\u0600-\u06FF]/);
    expect(issues.some((i) => i.summary.length === 255)).toBe(true);
    expect(issues.some((i) => typeof i.description === 'string' && i.description.length > 30_000)).toBe(true);
    const names = [...site.attachments.values()].map((a) => a.filename);
    expect(names).toEqual(expect.arrayContaining(['../../etc/passwd', 'CON.txt']));
  });

  test('attachment bytes: the budget is spent, one file is tens of MB, bytes are stable and range-consistent', () => {
    const attachments = [...site.attachments.values()];
    const total = attachments.reduce((sum, a) => sum + a.size, 0);
    expect(total).toBeGreaterThan(44 * 1024 * 1024);
    expect(total).toBeLessThanOrEqual(45 * 1024 * 1024);
    const big = attachments.find((a) => a.size >= 10 * 1024 * 1024)!;
    expect(big).toBeDefined();
    const whole = attachmentBytes(big, 0, 4096);
    expect(Buffer.from(attachmentBytes(big, 1000, 3000)).equals(Buffer.from(whole.subarray(1000, 3000)))).toBe(true);
    expect(Buffer.from(attachmentBytes(big, 0, 4096)).equals(Buffer.from(whole))).toBe(true);
    expect(attachments.some((a) => a.size === 0)).toBe(true);
  });
});

test('bad generator options are refused with a clear message', () => {
  expect(() => generateSite({ projects: 0 })).toThrow('projects must be a whole number ≥ 1');
  expect(() => generateSite({ appTimeZone: 'Mars/Olympus' })).toThrow('is not an IANA time zone');
});
