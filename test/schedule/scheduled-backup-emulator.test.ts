import { join } from 'node:path';
import { ForgePlatform } from '../../local/forge';
import { startJiraSimulator, type JiraSimulator } from '../../local/jira-sim';
import { defaultPlan } from '../../src/core/plans';

/**
 * The app as deployed: the manifest's five-minute trigger (src/entry/scheduler.ts with its default Forge wiring)
 * starts a plan at its time of day, the manifest's consumer runs the backup, and the audit log names the scheduler.
 * The app reads the wall clock (Date.now), so the test moves it in step with the platform's clock.
 */
describe('scheduled backup through the Forge emulator', () => {
  const start = Date.UTC(2026, 10, 26, 1, 50);
  let sim: JiraSimulator;
  let platform: ForgePlatform;

  beforeAll(async () => {
    jest.useFakeTimers({ now: start, doNotFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'clearImmediate', 'nextTick', 'queueMicrotask', 'hrtime', 'performance'] });
    sim = await startJiraSimulator({ port: 0, site: { seed: 7, projects: 2, issues: 12, attachmentsMb: 0 } });
    platform = await ForgePlatform.start({ appDir: join(__dirname, '..', '..'), dataDir: 'memory', jira: { baseUrl: sim.baseUrl }, clock: { startAt: start } });
  });
  afterAll(async () => {
    await platform?.stop();
    await sim?.stop();
    jest.useRealTimers();
  });

  async function advanceMinutes(minutes: number): Promise<void> {
    for (let i = 0; i < minutes; i++) {
      jest.setSystemTime(platform.clock.now() + 60_000);
      await platform.clock.advance(60_000);
    }
  }

  it('starts a daily plan once at 02:00 in the site time zone and runs it to a complete backup', async () => {
    const admin = sim.accounts.admin;
    const { id: _assignedByTheService, ...plan } = { ...defaultPlan('', 'Nightly'), schedule: { days: 'daily' as const, time: '02:00' } };
    const saved = await platform.invoke<{ ok: boolean }>('backup-center-admin-page', 'savePlan', { plan }, { accountId: admin });
    expect(saved.ok).toBe(true);

    await advanceMinutes(9); // 01:59: the trigger has fired, nothing is due yet
    expect(platform.events.pending()).toHaveLength(0);

    await advanceMinutes(6); // 02:05: the 02:00 slot is due, and the next tick must not start it again
    await platform.runUntilIdle();
    await advanceMinutes(10);
    await platform.runUntilIdle();

    const panel = await platform.invoke<{ ok: true; data: { files: { state: string }[] } }>('backup-center-admin-page', 'getControlPanel', {}, { accountId: admin });
    expect(panel.data.files.map((f) => f.state)).toEqual(['complete']);
    const audit = await platform.invoke<{ ok: true; data: { entries: { actor: string; action: string }[] } }>('backup-center-admin-page', 'getAuditLog', {}, { accountId: admin });
    expect(audit.data.entries.filter((e) => e.action === 'backup.started')).toEqual([expect.objectContaining({ actor: 'scheduler' })]);
  });

  it('rotates by the plan policy on a later tick: keep 1 leaves only the newest backup, and the deletion is audited', async () => {
    const admin = sim.accounts.admin;
    const config = await platform.invoke<{ ok: true; data: { plans: Record<string, unknown>[] } }>('backup-center-admin-page', 'getConfiguration', {}, { accountId: admin });
    const nightly = config.data.plans.find((p) => p.name === 'Nightly')!;
    const saved = await platform.invoke<{ ok: boolean }>('backup-center-admin-page', 'savePlan', { plan: { ...nightly, retention: { mode: 'count', keep: 1 } } }, { accountId: admin });
    expect(saved.ok).toBe(true);

    // Next day, 02:05: the tick starts the 02:00 backup; the tick after it finished applies retention.
    const nextDay = Date.UTC(2026, 10, 27, 2, 5);
    jest.setSystemTime(nextDay);
    await platform.clock.set(nextDay);
    await platform.runUntilIdle();
    await advanceMinutes(5);
    await platform.runUntilIdle();

    const panel = await platform.invoke<{ ok: true; data: { files: { name: string; state: string }[] } }>('backup-center-admin-page', 'getControlPanel', {}, { accountId: admin });
    expect(panel.data.files).toEqual([expect.objectContaining({ state: 'complete', name: expect.stringContaining('2026-11-27 02:00') })]);
    const audit = await platform.invoke<{ ok: true; data: { entries: { actor: string; action: string }[] } }>('backup-center-admin-page', 'getAuditLog', {}, { accountId: admin });
    expect(audit.data.entries.filter((e) => e.action === 'backup.deleted')).toEqual([expect.objectContaining({ actor: 'retention' })]);
  });
});
