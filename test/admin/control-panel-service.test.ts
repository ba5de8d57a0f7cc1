import { AdminError, formatControlPanelAnswer, formatControlPanelSummary } from '../../src/core/admin';
import { fakeAdminWorld, validPlanInput } from './fakes';

const GB = 1024 ** 3;

async function worldWithPlan() {
  const w = fakeAdminWorld({ now: Date.UTC(2026, 10, 26, 10, 0), timeZone: 'Europe/Berlin' });
  const plan = await w.config.savePlan(validPlanInput(), 'admin-1');
  return { ...w, plan };
}

describe('ControlPanelService', () => {
  it('shows a plan that never ran, with its schedule and next run in the site time zone', async () => {
    const w = await worldWithPlan();
    const view = await w.panel.view();
    expect(view.timeZone).toBe('Europe/Berlin');
    expect(view.plans).toEqual([{
      planId: w.plan.id, planName: 'Nightly', enabled: true, content: 'basic', scheduleText: 'Every day at 02:30',
      canBackUpNow: true, nextRunAt: Date.UTC(2026, 10, 27, 2, 0), nextRunText: '2026-11-27 03:00',
    }]);
    expect(view.files).toEqual([]);
  });

  it('starts a run through the engine, then refuses a second one while it is queued or running', async () => {
    const w = await worldWithPlan();
    expect(await w.panel.backUpNow(w.plan.id, 'admin-1')).toEqual({ jobId: 'job-1' });
    const view = await w.panel.view();
    expect(view.plans[0]).toMatchObject({ canBackUpNow: false, backUpNowBlockedReason: 'A backup of this plan is in progress.', latest: { state: 'queued' } });
    await expect(w.panel.backUpNow(w.plan.id, 'admin-1')).rejects.toMatchObject({ code: 'conflict' });
    expect(w.jobs.started).toHaveLength(1);
    expect((await w.audit.read()).entries[0]).toMatchObject({ action: 'backup.started', actor: 'admin-1', subject: 'Nightly', details: { jobId: 'job-1' } });
    w.jobs.runs.get(w.plan.id)!.state = 'complete';
    expect((await w.panel.view()).plans[0].canBackUpNow).toBe(true);
  });

  it('reports progress as projects and issues done of total, and errors per project', async () => {
    const w = await worldWithPlan();
    w.jobs.runs.set(w.plan.id, {
      jobId: 'j', planId: w.plan.id, state: 'running', kind: 'basic', startedAt: Date.UTC(2026, 10, 26, 9, 30),
      progress: { projectsDone: 2, projectsTotal: 5, issuesDone: 300, issuesTotal: 1200 },
      projectErrors: [{ project: 'OPS', message: 'Jira answered 403 for OPS: the app cannot browse this project.' }],
    });
    const latest = (await w.panel.view()).plans[0].latest!;
    expect(latest.progress).toEqual({ projectsDone: 2, projectsTotal: 5, issuesDone: 300, issuesTotal: 1200, fraction: 0.25, text: '2 of 5 projects, 300 of 1200 issues' });
    expect(latest.startedText).toBe('2026-11-26 10:30');
    expect(latest.projectErrors).toHaveLength(1);
    w.jobs.runs.get(w.plan.id)!.progress = { projectsDone: 0, issuesDone: 0 };
    const unknownTotals = (await w.panel.view()).plans[0].latest!.progress;
    expect(unknownTotals.fraction).toBeUndefined();
    expect(unknownTotals.text).toBe('0 projects, 0 issues');
  });

  it('shows storage use against the quota and warns when nearly full', async () => {
    const w = await worldWithPlan();
    w.gauge.usedBytes = 19 * GB;
    expect((await w.panel.view()).storage).toEqual({
      description: 'Managed storage', usedBytes: 19 * GB, quotaBytes: 20 * GB, usedText: '19.0 GB', quotaText: '20.0 GB', fractionUsed: 0.95, nearlyFull: true,
    });
  });

  it('lists files newest first with name, date and time, type, size and state; a listing failure keeps the rest', async () => {
    const w = await worldWithPlan();
    w.files.files = [
      { id: 's1', planId: w.plan.id, createdAt: Date.UTC(2026, 10, 24, 1, 30), kind: 'basic', sizeBytes: 1536, state: 'complete' },
      { id: 's2', planId: w.plan.id, createdAt: Date.UTC(2026, 10, 25, 1, 30), kind: 'extended', sizeBytes: 5 * 1024 ** 2, state: 'partial' },
    ];
    const view = await w.panel.view();
    expect(view.files.map((f) => [f.name, f.kind, f.sizeText, f.state])).toEqual([
      ['Nightly 2026-11-25 02:30', 'extended', '5.0 MB', 'partial'],
      ['Nightly 2026-11-24 02:30', 'basic', '1.5 KB', 'complete'],
    ]);
    w.files.failList = 'relay unreachable';
    const failed = await w.panel.view();
    expect(failed.filesError).toBe('Could not list the backup files: relay unreachable');
    expect(failed.plans).toHaveLength(1);
  });

  it('deletes a file only when the final-deletion dialog was confirmed, and logs it', async () => {
    const w = await worldWithPlan();
    w.files.files = [{ id: 's1', planId: w.plan.id, createdAt: Date.UTC(2026, 10, 24, 1, 30), kind: 'basic', sizeBytes: 10, state: 'complete' }];
    const unconfirmed = await w.panel.deleteBackup('s1', undefined, 'admin-1').catch((e: AdminError) => e);
    expect(unconfirmed).toMatchObject({ code: 'invalid', message: 'Deleting a backup is final and needs confirmation: confirm in the dialog to delete it.' });
    expect(w.files.files).toHaveLength(1);
    await w.panel.deleteBackup('s1', true, 'admin-1');
    expect(w.files.files).toHaveLength(0);
    expect((await w.audit.read()).entries[0]).toMatchObject({ action: 'backup.deleted', subject: 'Backup 2026-11-24 02:30' });
    await expect(w.panel.deleteBackup('s1', true, 'admin-1')).rejects.toMatchObject({ code: 'not-found' });
  });

  it('prints the same summary as plain text', async () => {
    const w = await worldWithPlan();
    w.jobs.runs.set(w.plan.id, {
      jobId: 'j', planId: w.plan.id, state: 'complete', kind: 'basic', startedAt: Date.UTC(2026, 10, 26, 1, 30), finishedAt: Date.UTC(2026, 10, 26, 1, 34),
      progress: { projectsDone: 3, projectsTotal: 3, issuesDone: 120, issuesTotal: 120 }, projectErrors: [],
      modeReason: 'incremental: last full re-read 2 days ago (every 7 days)',
    });
    w.files.files = [{ id: 's1', planId: w.plan.id, createdAt: Date.UTC(2026, 10, 26, 1, 30), kind: 'basic', sizeBytes: 2 * 1024 ** 2, state: 'complete' }];
    w.gauge.usedBytes = 2 * 1024 ** 2;
    expect(formatControlPanelSummary(await w.panel.view())).toBe([
      'Backup Center — times in Europe/Berlin',
      '',
      'Plan: Nightly (basic; Every day at 02:30)',
      '  Latest backup: complete (basic), started 2026-11-26 02:30, finished 2026-11-26 02:34',
      '  Progress: 3 of 3 projects, 120 of 120 issues (100%)',
      '  Read only what changed (incremental): last full re-read 2 days ago (every 7 days)',
      '  Next scheduled run: 2026-11-27 03:00',
      '',
      'Storage: Managed storage — 2.0 MB of 20.0 GB used (0%)',
      '',
      'Backup files (1):',
      '  Nightly 2026-11-26 02:30  basic        2.0 MB  complete',
      '',
    ].join('\n'));
    expect(formatControlPanelAnswer({ ok: true, data: await w.panel.view() })).toBe(formatControlPanelSummary(await w.panel.view()));
    expect(formatControlPanelAnswer({ ok: false, error: { code: 'forbidden', status: 403, message: 'Only Jira administrators can use Backup Center.', fields: [] } }))
      .toBe('Backup Center could not show the control panel (403): Only Jira administrators can use Backup Center.\n');
  });
});
