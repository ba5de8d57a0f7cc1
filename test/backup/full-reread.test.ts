import { getJobStatus, startBackup } from '../../src/core/backup';
import { backupKeys, type LastFullReread } from '../../src/core/backup/keys';
import { calendarDaysBetween } from '../../src/core/backup/run-mode';
import type { BackupPlan } from '../../src/core/plans/plan';
import { drain, latestSnapshot, startHarness, testPlan, type Harness } from './harness';

/**
 * The full re-read rule run by the real engine against the Jira simulator: a run is full when the plan's last complete
 * full run is N days old on the site's calendar, else incremental. A watcher added through Jira's REST API does not
 * change the issue's `updated`, so incrementals miss it and only the full re-read brings it into the backup.
 */
describe('full re-read every N days (engine against the Jira simulator)', () => {
  let h: Harness;
  /** 02:00 UTC on day `d` (day 1 = 27 November 2026); the harness's site zone is UTC (no siteTimeZone given). */
  const dayAt = (d: number, hour = 2) => Date.UTC(2026, 10, 26 + d, hour, 0);

  beforeEach(async () => {
    h = await startHarness({ sim: { site: { seed: 5, projects: 2, issues: 16, attachmentsMb: 0 } } });
  });
  afterEach(() => h.stop());

  async function backUpNowAt(at: number, plan: BackupPlan, options: { full?: boolean } = {}) {
    // The clock runs on from `at`; the run starts exactly at `at` (reading the clock again could be a millisecond later).
    h.clock.offset = at - Date.now();
    const started = await startBackup(h.deps, { plan, trigger: 'manual', now: at, ...options });
    if (!started.started) throw new Error(`not started: ${started.message}`);
    await drain(h);
    const snapshot = await latestSnapshot(h.store);
    expect(snapshot.manifest.id).toBe(started.snapshotId);
    expect(snapshot.manifest.state).toBe('complete');
    return { started, snapshot };
  }

  /** Adds a watcher the way an admin would, through Jira's REST API (which leaves `updated` alone). */
  async function addWatcher(issueId: number, accountId: string): Promise<void> {
    const before = h.sim.site.issues.get(issueId)!.updated;
    const response = await fetch(`${h.sim.baseUrl}/rest/api/3/issue/${issueId}/watchers`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(accountId),
    });
    expect(response.status).toBe(204);
    expect(h.sim.site.issues.get(issueId)!.updated).toBe(before);
  }

  it('a plan stored without the setting re-reads every 7 days: day 1 full, days 2–7 incremental, day 8 full with the watcher the incrementals missed', async () => {
    const { fullEveryDays: _absent, ...stored } = testPlan();
    const plan = stored as BackupPlan; // as saved before the setting existed

    const issue = [...h.sim.site.issues.values()][3];
    const watcher = h.sim.site.users.find((u) => u.active && u.accountType === 'atlassian' && !issue.watcherIds.includes(u.accountId))!.accountId;
    const watchersIn = (snapshot: Awaited<ReturnType<typeof latestSnapshot>>) =>
      (snapshot.records.get(`issue/${issue.id}`)!.data as { watchers: string[] }).watchers;

    const modes: string[] = [];
    for (let day = 1; day <= 8; day++) {
      if (day === 3) await addWatcher(issue.id, watcher);
      const { started, snapshot } = await backUpNowAt(dayAt(day), plan);
      modes.push(`${day} ${started.mode}`);
      expect(snapshot.manifest.modeReason).toBe(started.modeReason);
      if (day >= 3 && day <= 7) expect(watchersIn(snapshot)).not.toContain(watcher);
      if (day === 8) {
        expect(snapshot.manifest.incrementalFrom).toBeUndefined();
        expect(watchersIn(snapshot)).toContain(watcher);
      }
      const reasons: Record<number, string> = {
        1: 'full: no complete earlier snapshot of this plan to build on',
        2: 'incremental: last full re-read 1 day ago (every 7 days)',
        7: 'incremental: last full re-read 6 days ago (every 7 days)',
        8: 'full: last full re-read 7 days ago (every 7 days)',
      };
      if (reasons[day]) expect(started.modeReason).toBe(reasons[day]);
    }
    expect(modes).toEqual(['1 full', '2 incremental', '3 incremental', '4 incremental', '5 incremental', '6 incremental', '7 incremental', '8 full']);
    // The control panel's status carries the reason; the note a start reads instead of manifests points at day 8.
    expect(await getJobStatus(h.deps, plan.id)).toMatchObject({ mode: 'full', modeReason: 'full: last full re-read 7 days ago (every 7 days)' });
    expect(await h.kv.get<LastFullReread>(backupKeys.lastFull(plan.id))).toEqual({ snapshotId: expect.stringContaining('20261204T020000Z'), startedAt: dayAt(8) });

    // Day 9: incremental again, counted from day 8.
    const { started } = await backUpNowAt(dayAt(9), plan);
    expect(started).toMatchObject({ mode: 'incremental', modeReason: 'incremental: last full re-read 1 day ago (every 7 days)' });
  });

  it('uses the plan\'s own interval, and a forced full run counts as the re-read', async () => {
    const plan = testPlan({ fullEveryDays: 2 });
    expect((await backUpNowAt(dayAt(1), plan)).started.mode).toBe('full');
    expect((await backUpNowAt(dayAt(1, 20), plan)).started).toMatchObject({ mode: 'incremental', modeReason: 'incremental: last full re-read today (every 2 days)' });
    expect((await backUpNowAt(dayAt(2), plan)).started.mode).toBe('incremental');
    expect((await backUpNowAt(dayAt(2, 3), plan, { full: true })).started).toMatchObject({ mode: 'full', modeReason: 'full: requested' });
    expect((await backUpNowAt(dayAt(3), plan)).started).toMatchObject({ mode: 'incremental', modeReason: 'incremental: last full re-read 1 day ago (every 2 days)' });
    expect((await backUpNowAt(dayAt(4), plan)).started).toMatchObject({ mode: 'full', modeReason: 'full: last full re-read 2 days ago (every 2 days)' });
  });

  it('snapshots from before the note: a full base still counts; an incremental one makes the next run full', async () => {
    const plan = testPlan();
    await backUpNowAt(dayAt(1), plan);
    await h.kv.delete(backupKeys.lastFull(plan.id)); // as an older app version left it
    expect((await backUpNowAt(dayAt(2), plan)).started).toMatchObject({ mode: 'incremental', modeReason: 'incremental: last full re-read 1 day ago (every 7 days)' });
    await h.kv.delete(backupKeys.lastFull(plan.id)); // never written by an incremental run; gone as above
    expect((await backUpNowAt(dayAt(3), plan)).started).toMatchObject({ mode: 'full', modeReason: 'full: no full re-read recorded for this plan yet' });
    expect(await h.kv.get<LastFullReread>(backupKeys.lastFull(plan.id))).toMatchObject({ startedAt: dayAt(3) });
  });
});

describe('days since the last full re-read are dates on the site calendar', () => {
  const at = (iso: string) => Date.parse(iso);
  it.each([
    ['same evening', '2026-11-26T01:00:00Z', '2026-11-26T22:00:00Z', 'Europe/Berlin', 0],
    ['past local midnight, an hour later', '2026-11-26T22:30:00Z', '2026-11-26T23:30:00Z', 'Europe/Berlin', 1],
    ['same UTC hour a week later', '2026-11-26T02:00:00Z', '2026-12-03T01:00:00Z', 'UTC', 7],
    ['across the spring DST change (a 23-hour day)', '2026-03-28T01:00:00Z', '2026-04-04T00:30:00Z', 'Europe/Berlin', 7],
    ['west of UTC: still the previous local day', '2026-11-26T02:00:00Z', '2026-11-27T02:00:00Z', 'America/Los_Angeles', 1],
    ['an unknown zone counts as UTC', '2026-11-26T23:00:00Z', '2026-11-27T01:00:00Z', 'Not/AZone', 1],
  ])('%s', (_label, from, to, zone, days) => {
    expect(calendarDaysBetween(at(from), at(to), zone)).toBe(days);
  });
});
