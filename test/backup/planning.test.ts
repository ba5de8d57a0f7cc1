import { jqlDateTime, projectJql } from '../../src/core/backup/jql';
import { globToRegExp, selectProjects } from '../../src/core/backup/select-projects';
import { jobIdFor, kindFor } from '../../src/core/backup/start';
import { snapshotState } from '../../src/core/backup/finalize';
import { defaultPlan } from '../../src/core/plans/defaults';
import type { JiraProject } from '../../src/core/backup/read-project';
import type { ProjectSelection } from '../../src/core/plans/plan';

describe('JQL date literals are written in the app user time zone (minute precision)', () => {
  it.each([
    ['2026-11-26T16:40:45Z', 'UTC', '2026/11/26 16:40'],
    ['2026-11-26T16:40:45Z', 'Europe/Berlin', '2026/11/26 17:40'],
    ['2026-07-01T00:10:00Z', 'Europe/Berlin', '2026/07/01 02:10'], // summer time: +2
    ['2026-01-01T03:30:00Z', 'America/New_York', '2025/12/31 22:30'], // the day before, in New York
    ['2026-03-08T07:30:00Z', 'America/New_York', '2026/03/08 03:30'], // just after the DST jump
    ['2026-06-15T12:00:00Z', 'Asia/Kolkata', '2026/06/15 17:30'], // half-hour offset
  ])('%s in %s is "%s"', (iso, zone, expected) => {
    expect(jqlDateTime(Date.parse(iso), zone)).toBe(expected);
  });

  it('refuses an unknown time zone with a message that says what to fix', () => {
    expect(() => jqlDateTime(0, 'Mars/Olympus')).toThrow(/time zone "Mars\/Olympus".*app user's profile/);
  });

  it('builds the incremental query on the project id, ordered by id', () => {
    expect(projectJql('10001', '2026/11/26 16:25')).toBe('project = 10001 AND updated >= "2026/11/26 16:25" ORDER BY id ASC');
    expect(projectJql('10001')).toBe('project = 10001 ORDER BY id ASC');
  });
});

describe('project selection', () => {
  const project = (key: string, categoryId?: string): JiraProject => ({ id: key, key, name: key, ...(categoryId ? { projectCategory: { id: categoryId } } : {}) });
  const all = [project('ENG', '1'), project('ENGOPS', '2'), project('HR', '1'), project('OPS')];

  const cases: [ProjectSelection, string[], string[]][] = [
    [{ mode: 'all' }, ['ENG', 'ENGOPS', 'HR', 'OPS'], []],
    [{ mode: 'selected', keys: ['hr', 'ENG', 'GONE'] }, ['ENG', 'HR'], ['GONE']],
    [{ mode: 'rule', keyPattern: 'ENG*' }, ['ENG', 'ENGOPS'], []],
    [{ mode: 'rule', categoryIds: ['1'] }, ['ENG', 'HR'], []],
    [{ mode: 'rule', keyPattern: '*OPS', categoryIds: ['2'] }, ['ENGOPS'], []],
  ];
  it.each(cases)('%j selects %j', (selection, keys, missing) => {
    const { chosen, missingKeys } = selectProjects(all, selection);
    expect(chosen.map((p) => p.key)).toEqual(keys);
    expect(missingKeys).toEqual(missing);
  });

  it('treats glob metacharacters literally except * and ?', () => {
    expect(globToRegExp('A.C').test('ABC')).toBe(false);
    expect(globToRegExp('A?C').test('ABC')).toBe(true);
  });
});

describe('job kind, id and outcome', () => {
  it('Combined plans are Extended on their weekday only', () => {
    const plan = { ...defaultPlan('p'), content: 'combined' as const, extendedWeekday: 'wed' as const };
    expect(kindFor(plan, Date.parse('2026-11-25T10:00:00Z'))).toBe('extended'); // a Wednesday
    expect(kindFor(plan, Date.parse('2026-11-26T10:00:00Z'))).toBe('basic');
  });

  it("decides the weekday on the site's calendar, as the scheduler does", () => {
    const plan = { ...defaultPlan('p'), content: 'combined' as const, extendedWeekday: 'thu' as const };
    const lateWednesdayUtc = Date.parse('2026-11-25T23:30:00Z'); // already Thursday 00:30 in Berlin
    expect(kindFor(plan, lateWednesdayUtc)).toBe('basic');
    expect(kindFor(plan, lateWednesdayUtc, 'Europe/Berlin')).toBe('extended');
    expect(kindFor(plan, Date.parse('2026-11-27T03:00:00Z'), 'America/Los_Angeles')).toBe('extended'); // Thursday 19:00 there
    expect(kindFor(plan, lateWednesdayUtc, 'Not/AZone')).toBe('basic'); // unknown zone: UTC
  });

  it('duplicate scheduled triggers within one slot minute map to one job id; manual runs do not', () => {
    const slot = Date.parse('2026-11-26T02:00:00Z');
    expect(jobIdFor('p', 'schedule', slot + 5_000)).toBe(jobIdFor('p', 'schedule', slot + 50_000));
    expect(jobIdFor('p', 'manual', slot + 5_000)).not.toBe(jobIdFor('p', 'manual', slot + 50_000));
  });

  it.each([
    [['complete', 'complete'], 0, 'complete'],
    [['complete', 'failed'], 0, 'partial'],
    [['complete'], 1, 'partial'],
    [['failed', 'failed'], 0, 'failed'],
    [[], 0, 'complete'],
  ])('projects %j with %d site errors → %s', (states, siteErrors, expected) => {
    expect(snapshotState(states, siteErrors)).toBe(expected);
  });
});

describe('issue batch size', () => {
  it('halves for every failed delivery of the step, never below one search page', async () => {
    const { batchSize } = await import('../../src/core/backup/project-task');
    expect([1, 2, 3, 4, 9].map((attempts) => batchSize(1000, attempts))).toEqual([1000, 500, 250, 125, 100]);
  });
});
