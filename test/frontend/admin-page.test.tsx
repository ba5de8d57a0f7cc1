import './install-bridge';
import React from 'react';
import { App } from '../../src/frontend/App';
import { createAdminResolver } from '../../src/entry/resolvers/create-resolver';
import { fakeAdminWorld, validPlanInput } from '../admin/fakes';
import { invokeAs } from '../resolvers/invoke';
import { ForgeUiHost } from './forge-ui-host';

/** The page, rendered by @forge/react's reconciler, talking to the real resolver over the (test) bridge. */
async function openPage(accountId = 'admin-1', setup?: (w: ReturnType<typeof fakeAdminWorld>) => Promise<void>) {
  const world = fakeAdminWorld({ timeZone: 'Europe/Berlin' });
  if (setup) await setup(world);
  const resolver = createAdminResolver(({ accountId: caller }) => world.app(caller));
  const host = new ForgeUiHost((key, payload) => invokeAs(resolver, accountId, key, payload), { accountId });
  await host.render(<App pollIntervalMs={0} />);
  return { host, world };
}

async function openTab(host: ForgeUiHost, testId: string) {
  const tabs = host.ofType('Tab');
  const index = tabs.findIndex((t) => t.props.testId === testId);
  await host.byTestId('backup-center')!.children[0].props.onChange(index);
  await host.settle();
}

describe('admin page (UI Kit, rendered through @forge/react)', () => {
  it('shows the empty state when there are no plans, and "Create a plan" opens the plan form', async () => {
    const { host } = await openPage();
    expect(host.text()).toContain('No backup plans yet');
    expect(host.text()).toContain('No backups yet');
    await host.click(host.button('Create a plan'));
    expect(host.byTestId('plan-form')).toBeDefined();
    expect(host.text()).toContain('Time of day (24-hour, Europe/Berlin)');
  });

  it('saves a plan from the form, showing the resolver\'s messages next to the fields first', async () => {
    const { host, world } = await openPage();
    await openTab(host, 'tab-plans');
    await host.click(host.button('Create a plan'));
    await host.change('name', '');
    await host.change('schedule.time', '7pm');
    await host.change('retention.mode', 'gfs');
    for (const key of ['last', 'daily', 'weekly', 'monthly', 'yearly']) await host.change(`retention.${key}`, '0');
    await host.click(host.button('Save plan'));
    // The messages are src/core/plans' validator's, passed through the resolver untouched.
    expect(host.fieldError('name')).toBe('Enter a name for the plan, e.g. "Nightly backup".');
    expect(host.fieldError('schedule.time')).toBe('Enter the time as HH:MM on a 24-hour clock, e.g. 02:30.');
    expect(host.fieldError('content')).toBeUndefined();
    expect(host.text()).toContain('Some fields need attention: see the messages next to them.');
    await host.change('name', 'Weekday ENG');
    await host.change('schedule.time', '22:15');
    await host.click(host.button('Save plan'));
    expect(host.fieldError('name')).toBeUndefined();
    expect(host.fieldError('retention.mode')).toMatch(/^This rotation would keep nothing/);
    expect(await world.store.plans()).toEqual([]);

    await host.change('projects.mode', 'selected');
    expect(host.field('projects.keys').props.options.map((o: { label: string }) => o.label)).toEqual(['Engineering (ENG)', 'Operations (OPS)', 'Support (SUP)']);
    await host.select('projects.keys', ['ENG', 'OPS']);
    await host.change('content', 'combined');
    await host.change('extendedWeekday', 'sat');
    await host.change('schedule.days', 'weekdays');
    await host.change('weekday.sat', true);
    await host.change('schedule.time', '22:15');
    await host.change('retention.mode', 'count');
    await host.change('retention.keep', '14');
    expect(host.text(host.byTestId('plan-form'))).toContain('Keeps the newest 14 complete backups.');
    await host.change('dataTypes.usersAndGroups', false);
    await host.click(host.button('Save plan'));
    expect(host.text()).toContain('Plan "Weekday ENG" saved.');
    expect(host.byTestId('plan-form')).toBeUndefined();
    const [plan] = await world.store.plans();
    expect(plan).toMatchObject({
      name: 'Weekday ENG', projects: { mode: 'selected', keys: ['ENG', 'OPS'] }, content: 'combined', extendedWeekday: 'sat',
      schedule: { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'], time: '22:15' }, retention: { mode: 'count', keep: 14 },
      dataTypes: expect.objectContaining({ usersAndGroups: false, issues: true }),
    });
    expect(host.text()).toContain('Mon, Tue, Wed, Thu, Fri, Sat at 22:15 (Europe/Berlin)');
  });

  it('edits a plan in place and deletes a plan after confirming', async () => {
    const { host, world } = await openPage('admin-1', async (w) => {
      await w.config.savePlan(validPlanInput(), 'admin-1');
    });
    await openTab(host, 'tab-plans');
    const table = host.ofType('DynamicTable').find((t) => t.props.caption === 'Backup plans')!;
    expect(host.text(table)).toContain('Nightly All projects Basic Every day at 02:30 (Europe/Berlin) Keep latest 7');
    await host.click(host.button('Edit', table));
    expect(host.field('name').props.value).toBe('Nightly');
    expect(host.field('retention.keep').props.value).toBe('7');
    await host.change('schedule.time', '04:45');
    await host.click(host.button('Save plan'));
    expect(await world.store.plans()).toEqual([expect.objectContaining({ id: 'plan-1', schedule: { days: 'daily', time: '04:45' } })]);

    await host.click(host.button('Delete', host.ofType('DynamicTable').find((t) => t.props.caption === 'Backup plans')));
    const dialog = host.byTestId('delete-plan-dialog')!;
    expect(host.text(dialog)).toContain('Backups it already made stay in storage');
    await host.click(host.button('Delete plan', dialog));
    expect(await world.store.plans()).toEqual([]);
    expect(host.text()).toContain('Plan "Nightly" deleted. Its backups stay in storage.');
  });

  it('shows a running backup\'s progress, errors per project, and disables "Back up now" while it runs', async () => {
    const { host, world } = await openPage('admin-1', async (w) => {
      const plan = await w.config.savePlan(validPlanInput(), 'admin-1');
      w.jobs.runs.set(plan.id, {
        jobId: 'j1', planId: plan.id, state: 'running', kind: 'basic', startedAt: Date.UTC(2026, 10, 26, 9, 0),
        progress: { projectsDone: 1, projectsTotal: 4, issuesDone: 250, issuesTotal: 1000 },
        projectErrors: [{ project: 'OPS', message: 'The app may not browse OPS.' }],
      });
    });
    const bar = host.ofType('ProgressBar').find((b) => b.props.ariaLabel === 'Backup progress of Nightly')!;
    expect(bar.props).toMatchObject({ value: 0.25, isIndeterminate: false });
    const planBox = host.byTestId(`plan-plan-1`)!;
    expect(host.text(planBox)).toContain('1 of 4 projects, 250 of 1000 issues done');
    expect(host.text(planBox)).toContain('Errors in 1 project OPS: The app may not browse OPS.');
    expect(host.button('Back up now', planBox).props.isDisabled).toBe(true);
    expect(host.text(planBox)).toContain('A backup of this plan is in progress.');
    world.jobs.runs.get('plan-1')!.state = 'complete';
    world.jobs.runs.get('plan-1')!.progress = { projectsDone: 4, projectsTotal: 4, issuesDone: 1000, issuesTotal: 1000 };
    await openTab(host, 'tab-plans');
    await openTab(host, 'tab-control-panel');
    expect(host.ofType('ProgressBar').some((b) => b.props.ariaLabel === 'Backup progress of Nightly')).toBe(false);
    expect(host.button('Back up now', host.byTestId('plan-plan-1')).props.isDisabled).toBe(false);
  });

  it('"Back up now" starts a run through the resolver and the panel then shows it queued', async () => {
    const { host, world } = await openPage('admin-1', async (w) => {
      await w.config.savePlan(validPlanInput(), 'admin-1');
    });
    await host.click(host.button('Back up now'));
    expect(world.jobs.started).toEqual([{ planId: 'plan-1', by: 'admin-1' }]);
    const planBox = host.byTestId('plan-plan-1')!;
    expect(host.text(planBox)).toContain('Queued');
    expect(host.button('Back up now', planBox).props.isDisabled).toBe(true);
  });

  it('asks for confirmation, saying deletion is final, before deleting a backup file', async () => {
    const { host, world } = await openPage('admin-1', async (w) => {
      await w.config.savePlan(validPlanInput(), 'admin-1');
      w.files.files = [
        { id: 's1', planId: 'plan-1', createdAt: Date.UTC(2026, 10, 25, 1, 30), kind: 'basic', sizeBytes: 2048, state: 'complete' },
        { id: 's2', planId: 'plan-1', createdAt: Date.UTC(2026, 10, 26, 1, 30), kind: 'extended', sizeBytes: 3 * 1024 ** 2, state: 'partial' },
      ];
    });
    const table = host.ofType('DynamicTable').find((t) => t.props.caption === 'Backup files')!;
    expect(host.text(table)).toContain('Nightly 2026-11-26 02:30 Extended 3.0 MB Partial');
    expect(host.byTestId('delete-backup-dialog')).toBeUndefined();
    const rows = host.ofType('Row', table);
    await host.click(host.button('Delete', rows[1]));
    const dialog = host.byTestId('delete-backup-dialog')!;
    expect(host.text(dialog)).toContain('Deleting "Nightly 2026-11-25 02:30" is final: it cannot be undone');
    await host.click(host.button('Cancel', dialog));
    expect(host.byTestId('delete-backup-dialog')).toBeUndefined();
    expect(world.files.files).toHaveLength(2);

    await host.click(host.button('Delete', host.ofType('Row', host.ofType('DynamicTable').find((t) => t.props.caption === 'Backup files'))[1]));
    await host.click(host.button('Delete for good', host.byTestId('delete-backup-dialog')));
    expect(world.files.files.map((f) => f.id)).toEqual(['s2']);
    expect(host.byTestId('delete-backup-dialog')).toBeUndefined();
    expect(host.text()).not.toContain('Nightly 2026-11-25 02:30');
    expect(host.invocations.filter((i) => i.functionKey === 'deleteBackup')).toEqual([{ functionKey: 'deleteBackup', payload: { fileId: 's1', confirmed: true } }]);
  });

  it('shows storage use against the quota and a download link', async () => {
    const { host } = await openPage('admin-1', async (w) => {
      w.gauge.usedBytes = 5 * 1024 ** 3;
      w.files.files = [{ id: 's1', createdAt: Date.UTC(2026, 10, 25, 1, 30), kind: 'basic', sizeBytes: 2048, state: 'complete' }];
    });
    const usage = host.byTestId('storage-usage')!;
    expect(host.ofType('ProgressBar', usage)[0].props.value).toBe(0.25);
    expect(host.text(usage)).toContain('5.0 GB of 20.0 GB used (25%)');
    await host.click(host.button('Download'));
    const link = host.ofType('Link')[0];
    expect(link.props.href).toBe('https://objects.example/s1?sig=1');
  });

  it('storage tab: port follows the protocol, secrets are write-only, test connection shows each step and the host key', async () => {
    const { host, world } = await openPage();
    await openTab(host, 'tab-storage');
    expect(host.text()).toContain('Currently: Managed storage (default; not saved yet)');
    await host.change('kind', 'remote');
    expect(host.field('port').props.value).toBe('22');
    await host.change('protocol', 'ftps-implicit');
    expect(host.field('port').props.value).toBe('990');
    await host.change('protocol', 'sftp');
    await host.change('host', 'sftp.example.com');
    await host.change('user', 'backup');
    await host.change('folder', 'backups');
    await host.change('relayUrl', 'https://relay.example.com');
    await host.click(host.button('Save storage'));
    expect(host.fieldError('folder')).toBe('The folder must be an absolute path starting with "/", e.g. /backups/jira.');
    expect(host.fieldError('password')).toBeUndefined();
    await host.change('folder', '/backups');
    await host.click(host.button('Save storage'));
    // SFTP is saved only with the server's host key pinned, which "Test connection" shows.
    expect(host.fieldError('hostKeyFingerprint')).toBe("Run Test connection and trust the server's host key before saving.");
    await host.change('password', 'hunter2');
    await host.click(host.button('Test connection'));
    const report = host.byTestId('connection-report')!;
    expect(host.text(report)).toContain('Connection works');
    expect(host.text(report)).toContain('Sign in OK Signed in as backup');
    await host.click(host.button('Trust this host key', report));
    expect(host.field('hostKeyFingerprint').props.value).toBe('SHA256:' + 'A'.repeat(43));
    await host.click(host.button('Save storage'));
    expect(host.text()).toContain('Backups now go to SFTP backup@sftp.example.com:22/backups.');
    // The relay remote now points at the admin's relay (approved once, not again for the same URL).
    expect(host.remotes).toEqual([{ key: 'delivery-relay', configured: { endpoint: 'https://relay.example.com' } }]);
    expect(host.remoteSets).toBe(1);
    expect(world.secrets.data.get('storage:password')).toBe('hunter2');
    expect(host.field('password').props.value).toBe('');
    expect(host.text(host.byTestId('field-password'))).toContain('Set');
    expect(JSON.stringify(host.invocations.filter((i) => i.functionKey === 'getConfiguration'))).not.toContain('hunter2');
    expect((await world.store.storage())).toMatchObject({ hostKeyFingerprint: 'SHA256:' + 'A'.repeat(43) });
  });

  it('does not test or save a remote server when the admin declines to approve the relay address', async () => {
    const { host, world } = await openPage();
    host.refuseRemotes = true;
    await openTab(host, 'tab-storage');
    await host.change('kind', 'remote');
    for (const [field, value] of [['host', 'sftp.example.com'], ['user', 'backup'], ['folder', '/backups'], ['relayUrl', 'https://relay.example.com'], ['password', 'pw']]) {
      await host.change(field, value);
    }
    await host.click(host.button('Test connection'));
    expect(host.text()).toContain('Relay not approved');
    expect(host.text()).toContain('The administrator declined the relay address');
    expect(world.tester.calls).toEqual([]);
    await host.click(host.button('Save storage'));
    expect(await world.store.storage()).toBeUndefined();
  });

  it('audit log tab lists changes newest first with who and what', async () => {
    const { host } = await openPage('admin-1', async (w) => {
      await w.config.savePlan(validPlanInput(), 'admin-1');
      await w.panel.backUpNow('plan-1', 'admin-1');
    });
    await openTab(host, 'tab-audit');
    const table = host.ofType('DynamicTable').find((t) => t.props.caption === 'Audit log')!;
    const rows = host.ofType('Row', table).map((r) => host.text(r));
    expect(rows).toEqual(['2026-11-26 11:00 Backup started Nightly', '2026-11-26 11:00 Plan created Nightly']);
    expect(host.ofType('User', table).map((u) => u.props.accountId)).toEqual(['admin-1', 'admin-1']);
  });

  it('a non-admin sees a clear refusal instead of the page', async () => {
    const { host, world } = await openPage('user-1');
    expect(host.text()).toContain('Backup Center is for Jira administrators');
    expect(host.text()).toContain('Only Jira administrators can use Backup Center.');
    expect(host.ofType('Tabs')).toEqual([]);
    expect(world.kv.data.size).toBe(0);
  });
});
