import { join } from 'node:path';
import { ForgePlatform } from '../../local/forge';
import { startJiraSimulator, type JiraSimulator } from '../../local/jira-sim';
import { forgeKeyValue } from '../../src/adapters/forge';
import { ManagedStore } from '../../src/adapters/storage/managed-store';
import type { BackupJob } from '../../src/core/backup';
import { readIndex, readRecords, readSnapshot } from '../../src/core/format';
import { defaultPlan } from '../../src/core/plans';
import { adminPageCaller } from '../resolvers/invoke';

/**
 * The full re-read as deployed: the manifest's five-minute trigger starts a nightly plan on nine days in a row, the
 * manifest's consumer runs each backup on the real @forge/kvs and managed storage, and "Back up now" goes through the
 * page's resolver. A watcher added on day 3 does not change the issue's `updated`, so the incremental runs of days 3–7
 * miss it; the full re-read of day 8 has it. The app reads the wall clock, so Date.now follows the platform's clock.
 */
describe('full re-read every 7 days through the Forge emulator', () => {
  const day = (d: number, hour = 2, minute = 5) => Date.UTC(2026, 10, 25 + d, hour, minute); // day 1 = 26 November
  let sim: JiraSimulator;
  let platform: ForgePlatform;
  let store: ManagedStore;

  beforeAll(async () => {
    sim = await startJiraSimulator({ port: 0, site: { seed: 9, projects: 2, issues: 12, attachmentsMb: 0 } });
    platform = await ForgePlatform.start({ appDir: join(__dirname, '..', '..'), dataDir: 'memory', jira: { baseUrl: sim.baseUrl }, clock: { startAt: day(1, 1, 50) } });
    jest.spyOn(Date, 'now').mockImplementation(() => platform.clock.now());
    store = new ManagedStore({ keyValue: forgeKeyValue(), clock: { now: () => Date.now() } });
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await platform?.stop();
    await sim?.stop();
  });

  const call = adminPageCaller(() => platform, () => sim.accounts.admin);

  /** Every backup job the app started, oldest first, as it keeps them in KVS. */
  function jobs(): BackupJob[] {
    return Object.entries(platform.kvs.dump())
      .filter(([key]) => key.startsWith('backup:job:'))
      .map(([, value]) => value as BackupJob)
      .sort((a, b) => a.startedAt - b.startedAt);
  }

  async function watchersIn(snapshotId: string, issueId: number): Promise<string[]> {
    const manifest = await readSnapshot(store, snapshotId);
    for await (const { record } of readRecords(store, await readIndex(store, manifest, 'all'))) {
      if (record.type === 'issue' && record.id === String(issueId)) return (record.data as { watchers: string[] }).watchers;
    }
    throw new Error(`issue ${issueId} is not in ${snapshotId}`);
  }

  it('runs day 1 full, days 2–7 incremental, day 8 full with the watcher the incrementals missed; "Back up now" follows the same rule', async () => {
    const { id: _assigned, ...plan } = { ...defaultPlan('', 'Nightly'), fullEveryDays: 7 };
    await call('savePlan', { plan });

    const issue = [...sim.site.issues.values()][2];
    const watcher = sim.site.users.find((u) => u.active && u.accountType === 'atlassian' && !issue.watcherIds.includes(u.accountId))!.accountId;
    for (let d = 1; d <= 8; d++) {
      if (d === 3) {
        const updated = issue.updated;
        const response = await fetch(`${sim.baseUrl}/rest/api/3/issue/${issue.id}/watchers`, {
          method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(watcher),
        });
        expect(response.status).toBe(204);
        expect(issue.updated).toBe(updated); // Jira does not mark the issue updated
      }
      await platform.clock.set(day(d)); // the 02:00 slot fell due: the trigger starts it, the consumer runs it
      await platform.runUntilIdle();
      await platform.clock.advance(5 * 60_000);
      await platform.runUntilIdle();
    }

    const scheduled = jobs();
    expect(scheduled.map((j) => [j.trigger, j.state, j.mode])).toEqual([
      ['schedule', 'complete', 'full'],
      ...Array.from({ length: 6 }, () => ['schedule', 'complete', 'incremental']),
      ['schedule', 'complete', 'full'],
    ]);
    expect(scheduled.map((j) => j.modeReason)).toEqual([
      'full: no complete earlier snapshot of this plan to build on',
      ...[1, 2, 3, 4, 5, 6].map((n) => `incremental: last full re-read ${n === 1 ? '1 day' : `${n} days`} ago (every 7 days)`),
      'full: last full re-read 7 days ago (every 7 days)',
    ]);
    for (const job of scheduled.slice(2, 7)) expect(await watchersIn(job.snapshotId, issue.id)).not.toContain(watcher);
    expect(await watchersIn(scheduled[7].snapshotId, issue.id)).toContain(watcher);
    // The manifest says the same, for anyone reading the backup without the app.
    const day8 = await readSnapshot(store, scheduled[7].snapshotId);
    expect(day8).toMatchObject({ modeReason: 'full: last full re-read 7 days ago (every 7 days)' });
    expect(day8.incrementalFrom).toBeUndefined();

    // Day 9, mid-morning: "Back up now" is incremental, counted from day 8's full re-read.
    await platform.clock.set(day(9, 10, 0));
    const plans = await call<{ plans: { id: string }[] }>('getConfiguration');
    await call('backupNow', { planId: plans.plans[0].id });
    await platform.runUntilIdle();
    const manual = jobs().at(-1)!;
    expect(manual).toMatchObject({ trigger: 'manual', state: 'complete', mode: 'incremental', modeReason: 'incremental: last full re-read 1 day ago (every 7 days)' });
  });
});
