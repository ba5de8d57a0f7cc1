import './install-bridge';
import React from 'react';
import { App } from '../../src/frontend/App';
import { createAdminResolver } from '../../src/entry/resolvers/create-resolver';
import { provideRestoreDeps } from '../../src/entry/resolvers/restore-resolvers';
import { ORIGIN_PROPERTY_KEY } from '../../src/core/restore';
import { fakeAdminWorld } from '../admin/fakes';
import { invokeAs } from '../resolvers/invoke';
import { drain, restoreDeps, seedSite, snapshotOf } from '../restore/support/scenario';
import { ForgeUiHost } from './forge-ui-host';

/**
 * The Restore tab rendered by @forge/react's reconciler, talking to the real resolvers (administrator check, envelope)
 * and the real restore engine, over an in-memory Jira (test/restore/support) — fast enough to walk every state.
 */
async function openRestoreTab(options: { deleteIssues?: string[]; files?: boolean; pollIntervalMs?: number; beforeInvoke?: BeforeInvoke } = {}) {
  const world = fakeAdminWorld({ timeZone: 'UTC' });
  if (options.files !== false) {
    world.files.files = [
      { id: 'snap-1', planName: 'Nightly', createdAt: Date.UTC(2026, 10, 20, 2, 30), kind: 'extended', sizeBytes: 2048, state: 'complete' },
      { id: 'snap-0', planName: 'Nightly', createdAt: Date.UTC(2026, 10, 19, 2, 30), kind: 'basic', sizeBytes: 1024, state: 'failed' },
    ];
  }
  const jira = seedSite();
  const snapshot = snapshotOf(jira);
  for (const id of options.deleteIssues ?? []) jira.issues.delete(id);
  const deps = restoreDeps(jira, snapshot);
  provideRestoreDeps(() => deps);
  const resolver = createAdminResolver(({ accountId }) => world.app(accountId), { logError: () => {} });
  const host = new ForgeUiHost(async (key, payload) => (await options.beforeInvoke?.(key)) ?? invokeAs(resolver, 'admin-1', key, payload), { accountId: 'admin-1' });
  await host.render(<App pollIntervalMs={options.pollIntervalMs ?? 0} />);
  const tabs = host.ofType('Tab');
  expect(tabs.map((t) => host.text(t))).toEqual(['Control panel', 'Plans', 'Storage', 'Audit log', 'Restore']);
  await host.byTestId('backup-center')!.children[0].props.onChange(4);
  await host.settle();
  return { host, world, jira, deps, resolver };
}

/** Runs before each resolver call: may hold it (await a gate) or answer it instead (return an envelope). */
type BeforeInvoke = (key: string) => Promise<unknown>;

afterEach(() => provideRestoreDeps(undefined));

describe('Restore tab', () => {
  it('shows a spinner while the backups load', async () => {
    const world = fakeAdminWorld();
    provideRestoreDeps(() => restoreDeps(seedSite(), snapshotOf(seedSite())));
    const resolver = createAdminResolver(({ accountId }) => world.app(accountId));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const host = new ForgeUiHost(async (key, payload) => {
      if (key === 'restoreListSnapshots') await gate;
      return invokeAs(resolver, 'admin-1', key, payload);
    });
    await host.render(<App pollIntervalMs={0} />);
    void host.byTestId('backup-center')!.children[0].props.onChange(4);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(host.ofType('Spinner').map((s) => s.props.label)).toEqual(['Loading the backups']);
    release();
    await host.settle();
    expect(host.ofType('Spinner')).toEqual([]);
    expect(host.text()).toContain('No backups to restore from');
  });

  it('says there is nothing to restore from when no backup exists', async () => {
    const { host } = await openRestoreTab({ files: false });
    expect(host.text()).toContain('No backups to restore from');
    expect(host.ofType('Select')).toEqual([]);
  });

  it('re-creates deleted issues: find them through the diff, dry run, confirm, progress, report', async () => {
    const { host, world, jira, deps } = await openRestoreTab({ deleteIssues: ['10101', '10103'] });
    // Only backups that hold something restorable are offered.
    expect(host.field('fileId').props.options.map((o: { label: string }) => o.label)).toEqual(['Nightly 2026-11-20 02:30 · Extended']);
    await host.change('fileId', 'snap-1');
    expect(host.field('projectKey').props.options.map((o: { label: string }) => o.label)).toEqual(['Engineering (ENG) · 4 issues']);
    await host.change('projectKey', 'ENG');
    expect(host.button('Dry run').props.isDisabled).toBe(true);
    expect(host.text()).toContain('No issues chosen yet');

    // Search by summary text, look at the issue as it was.
    await host.change('searchText', 'refund');
    await host.click(host.button('Search'));
    const found = host.ofType('DynamicTable').find((t) => t.props.caption === 'Issues found in the backup')!;
    expect(host.ofType('Row', found).map((r) => host.text(r))).toEqual(['ENG-2 Refund API Task Done View Add', 'ENG-4 Refund webhook Sub-task In Progress View Add']);
    await host.click(host.button('View', host.ofType('Row', found)[0]));
    expect(host.text()).toContain('ENG-2 as it was in the backup');
    expect(host.text()).toContain('2 comments, 1 worklogs, 1 attachments');
    expect(host.text(host.ofType('DynamicTable').find((t) => t.props.caption === 'Fields of ENG-2'))).toContain('Description Refunds must be idempotent.');

    // The diff with the live site lists the deleted issues; add them all. The comparison is queued for the worker.
    await host.click(host.button('Show what changed since this backup'));
    expect(host.text()).toContain('Comparing the backup with the site… (0 issues read; waiting for the background worker)');
    expect(deps.queue.events.map((e) => e.event.kind)).toEqual(['restore.plan']);
    await drain(deps);
    await host.click(host.button('Refresh'));
    expect(host.text()).toContain('2 issues deleted from the site');
    await host.click(host.button('Add all deleted issues'));
    const chosen = host.ofType('DynamicTable').find((t) => t.props.caption === 'Issues to restore (2)')!;
    expect(host.text(chosen)).toContain('ENG-2 Refund API');

    // The dry run is queued too: the resolver answers before anything is read; the worker plans it.
    const requestsBefore = jira.log.length;
    await host.click(host.button('Dry run'));
    expect(jira.log.length).toBe(requestsBefore);
    expect(host.byTestId('restore-dry-run')).toBeUndefined();
    expect(host.text()).toContain('Preparing the dry run… (0 issues read; waiting for the background worker)');
    expect(host.button('Dry run').props.isDisabled).toBe(true);
    await drain(deps);
    expect(jira.log.length).toBeGreaterThan(requestsBefore);
    await host.click(host.button('Refresh'));
    const dryRun = host.byTestId('restore-dry-run')!;
    expect(host.text(dryRun)).toContain('Nothing has been written yet. Restoring into project ENG will write: 2 issues created, 3 comments, 1 worklog, 1 attachment, 1 link');
    const planTable = host.ofType('DynamicTable', dryRun).find((t) => t.props.caption === 'What the restore will do')!;
    expect(host.ofType('Row', planTable).map((r) => host.text(r))).toEqual([
      expect.stringMatching(/^ENG-2 Refund API Create \d+ set.*status → Done 2 comments, 1 worklogs, 1 attachments, 1 links$/),
      expect.stringMatching(/^ENG-4 Refund webhook Create \d+ set.* 1 comments, 0 worklogs, 0 attachments, 0 links$/),
    ]);
    expect(host.text(dryRun)).toContain('membership of closed sprint "Sprint 3": Jira adds issues only to open or active sprints');
    expect(host.text(dryRun)).toContain('What Jira does not let an app set');
    expect(jira.issues.size).toBe(2); // a dry run writes nothing

    // Confirm in the dialog; the resolver only queues the run.
    await host.click(host.button('Restore…'));
    const dialog = host.byTestId('confirm-restore-dialog')!;
    expect(host.text(dialog)).toContain('2 issues created, 0 issues completed, 0 issues reverted');
    await host.click(host.button('Cancel', dialog));
    expect(host.byTestId('confirm-restore-dialog')).toBeUndefined();
    await host.click(host.button('Restore…'));
    await host.click(host.button('Restore now', host.byTestId('confirm-restore-dialog')));
    expect(host.byTestId('confirm-restore-dialog')).toBeUndefined();
    expect(jira.issues.size).toBe(2);
    expect(deps.queue.events.map((e) => e.event.kind)).toEqual(['restore.step']);
    const bar = host.ofType('ProgressBar').find((b) => b.props.ariaLabel === 'Restore progress')!;
    expect(bar.props.value).toBe(0);
    expect(host.text(host.byTestId('restore-progress'))).toContain('Preparing the project (components, versions): 0 of');

    await drain(deps);
    await host.click(host.button('Refresh'));
    const progress = host.text(host.byTestId('restore-progress'));
    expect(host.ofType('ProgressBar')).toEqual([]);
    expect(progress).toContain('Done');
    expect(progress).toMatch(/ENG-2 is now ENG-\d+, ENG-4 is now ENG-\d+/);
    expect(progress).toMatch(/ENG-2 → ENG-\d+ \(create\): .*comments: 2 of 2 restored/);
    expect(progress).toContain('links: 1 of 1 restored');
    const restored = [...jira.issues.values()].find((i) => (i.properties.get(ORIGIN_PROPERTY_KEY) as { originalKey?: string } | undefined)?.originalKey === 'ENG-2')!;
    expect(restored.fields.summary).toBe('Refund API');
    expect(restored.comments).toHaveLength(2);

    const audit = (await world.audit.read()).entries;
    expect(audit.map((e) => `${e.action} by ${e.actor}: ${e.subject}`)).toEqual([
      'restore.finished by system: Issues ENG-2, ENG-4 into ENG from backup snap-1',
      'restore.started by admin-1: Issues ENG-2, ENG-4 into ENG from backup snap-1',
    ]);
    expect(audit[1].details).toMatchObject({ fileId: 'snap-1', kind: 'issues', targetProject: 'ENG', issuesToCreate: 2 });
  });

  it('restores a project into a new project only with a valid key, shown next to the field', async () => {
    const { host, deps } = await openRestoreTab();
    await host.change('fileId', 'snap-1');
    await host.change('projectKey', 'ENG');
    await host.change('mode', 'project');
    await host.change('target', 'new');
    await host.change('newProjectKey', 'x');
    await host.click(host.button('Dry run'));
    expect(host.fieldError('newProjectKey')).toMatch(/^Type a new project key: 2–10 capital letters/);
    expect(host.byTestId('restore-dry-run')).toBeUndefined();
    await host.change('newProjectKey', 'engr');
    await runDryRun(host, deps);
    expect(host.fieldError('newProjectKey')).toBeUndefined();
    expect(host.text(host.byTestId('restore-dry-run'))).toContain('into a new project ENGR ("Engineering (restored)"), created first');
    expect(host.text(host.byTestId('restore-dry-run'))).toContain('4 issues created');
    // Changing a choice drops the dry run: what is confirmed is always what was shown.
    await host.change('target', 'original');
    expect(host.byTestId('restore-dry-run')).toBeUndefined();
  });

  it('shows why a backup cannot be read, and "Try again" recovers once it can', async () => {
    const { host, deps } = await openRestoreTab();
    const open = deps.snapshots.open.bind(deps.snapshots);
    deps.snapshots.open = async () => {
      throw new Error('The relay could not reach sftp.example.com; check the Storage tab.');
    };
    await host.change('fileId', 'snap-1');
    expect(host.text()).toContain("This backup's projects could not be read The relay could not reach sftp.example.com; check the Storage tab.");
    expect(host.ofType('Select').map((s) => s.props.name)).toEqual(['fileId']);
    deps.snapshots.open = open;
    await host.click(host.button('Try again'));
    expect(host.field('projectKey').props.options).toHaveLength(1);
  });

  it('shows a search that finds nothing, and an issue that still exists as one to complete', async () => {
    const { host, deps } = await openRestoreTab();
    await host.change('fileId', 'snap-1');
    await host.change('projectKey', 'ENG');
    await host.change('searchText', 'no such words');
    await host.click(host.button('Search'));
    expect(host.text()).toContain('No matching issues in this backup');
    // Simple filters narrow the list: the two tasks, then only the one in progress (a sub-task).
    await host.change('searchText', '');
    await host.change('searchIssueType', 'task');
    await host.click(host.button('Search'));
    const keys = () => host.ofType('Row', host.ofType('DynamicTable').find((t) => t.props.caption === 'Issues found in the backup')).map((r) => host.text(r).split(' ')[0]);
    expect(keys()).toEqual(['ENG-2', 'ENG-3']);
    await host.change('searchIssueType', '');
    await host.change('searchStatus', 'In Progress');
    await host.click(host.button('Search'));
    expect(keys()).toEqual(['ENG-4']);
    await host.change('searchStatus', '');
    // Reverting needs live issues; restoring existing issues completes them instead: the dry run says so.
    await host.change('searchText', 'ENG-3');
    await host.click(host.button('Search'));
    await host.click(host.button('Add'));
    await runDryRun(host, deps);
    expect(host.text(host.byTestId('restore-dry-run'))).toMatch(/ENG-3 Ledger export Add missing content/);
  });

  it('reverts an issue\'s edited fields to the backup values, picked from the changed issues', async () => {
    const { host, jira, deps } = await openRestoreTab();
    jira.issues.get('10102')!.fields.summary = 'Ledger export (bulk edited)';
    await host.change('fileId', 'snap-1');
    await host.change('projectKey', 'ENG');
    await host.change('mode', 'revert');
    await showChanges(host, deps);
    const changed = host.ofType('DynamicTable').find((t) => t.props.caption === 'Changed issues')!;
    expect(host.ofType('Row', changed).map((r) => host.text(r))).toEqual(['ENG-3 Summary Add']);
    await host.click(host.button('Add', changed));
    expect(host.text(host.ofType('DynamicTable').find((t) => t.props.caption === 'Issues to revert (1)'))).toContain('ENG-3 Ledger export');
    await runDryRun(host, deps);
    const dryRun = host.byTestId('restore-dry-run')!;
    expect(host.text(dryRun)).toContain('will write: 1 issue reverted');
    expect(host.text(dryRun)).toMatch(/ENG-3 Ledger export Revert fields 1 set/);
    await host.click(host.button('Restore…'));
    await host.click(host.button('Restore now', host.byTestId('confirm-restore-dialog')));
    await drain(deps);
    await host.click(host.button('Refresh'));
    expect(host.text(host.byTestId('restore-progress'))).toMatch(/ENG-3 → ENG-3 \(revert\): fields: 1 set/);
    expect(jira.issues.get('10102')!.fields.summary).toBe('Ledger export');
  });

  it('follows a running restore by itself and stops asking once it has finished', async () => {
    const { host, deps } = await openRestoreTab({ deleteIssues: ['10102'], pollIntervalMs: 30 });
    await host.change('fileId', 'snap-1');
    await host.change('projectKey', 'ENG');
    await showChanges(host, deps);
    await host.click(host.button('Add all deleted issues'));
    await runDryRun(host, deps);
    await host.click(host.button('Restore…'));
    await host.click(host.button('Restore now', host.byTestId('confirm-restore-dialog')));
    expect(host.ofType('ProgressBar')).toHaveLength(1);
    expect(host.ofType('Button').map((b) => host.text(b))).not.toContain('Refresh');
    await drain(deps);
    await waitFor(() => host.text(host.byTestId('restore-progress')).includes('Report'));
    expect(host.text(host.byTestId('restore-progress'))).toMatch(/ENG-3 is now ENG-\d+/);
    const polls = host.invocations.filter((i) => i.functionKey === 'restoreStatus').length;
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(host.invocations.filter((i) => i.functionKey === 'restoreStatus').length).toBe(polls);
    await host.click(host.button('Start another restore'));
    expect(host.field('fileId')).toBeDefined();
    // The list of changes, still open, is compared afresh for the next restore (the site has changed) and followed
    // by itself until the worker has it.
    expect(deps.queue.events.map((e) => e.event.kind)).toEqual(['restore.plan']);
    await drain(deps);
    await waitFor(() => host.text().includes('Changes in ENG since this backup'));
  });
});

describe('Restore tab, when answers come late or fail', () => {
  it('drops a dry run that answers after the choice changed, so the plan confirmed is the one on screen', async () => {
    let hold: Promise<void> | undefined;
    const { host, deps } = await openRestoreTab({ beforeInvoke: async (key) => (key === 'restorePreview' ? hold : undefined) });
    await host.change('fileId', 'snap-1');
    await host.change('projectKey', 'ENG');
    await host.change('searchText', 'ENG-3');
    await host.click(host.button('Search'));
    await host.click(host.button('Add'));
    let release!: () => void;
    hold = new Promise<void>((resolve) => (release = resolve));
    // Dry run for the chosen issue; while it is planned, the admin switches to the whole project.
    const dryRun = host.button('Dry run').props.onClick({ type: 'click', target: {} }) as Promise<void>;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(host.ofType('Spinner').map((s) => s.props.label)).toContain('Preparing the dry run (nothing is written)');
    // Not host.change: it waits for every call to answer, and this one is held until released.
    host.field('mode').props.onChange({ type: 'change', target: { name: 'mode', value: 'project' } });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(host.field('mode').props.value).toBe('project');
    release();
    await dryRun;
    await host.settle();
    await drain(deps);
    expect(host.byTestId('restore-dry-run')).toBeUndefined();
    expect(host.text()).not.toContain('Preparing the dry run…');
    expect(host.ofType('Button').map((b) => host.text(b))).not.toContain('Restore…');
    // A dry run of the choice on screen is shown.
    hold = undefined;
    await runDryRun(host, deps);
    const rows = host.ofType('Row', host.byTestId('restore-dry-run')).map((r) => host.text(r).split(' ')[0]);
    expect(rows).toEqual(['ENG-1', 'ENG-2', 'ENG-3', 'ENG-4']);
  });

  it('keeps showing the progress when one poll fails, says so, and keeps polling', async () => {
    let failStatus = false;
    const { host, deps } = await openRestoreTab({
      deleteIssues: ['10102'],
      pollIntervalMs: 30,
      beforeInvoke: async (key) =>
        key === 'restoreStatus' && failStatus ? { ok: false, error: { code: 'unavailable', status: 503, message: 'Forge storage is busy.', fields: [] } } : undefined,
    });
    await host.change('fileId', 'snap-1');
    await host.change('projectKey', 'ENG');
    await showChanges(host, deps);
    await host.click(host.button('Add all deleted issues'));
    await runDryRun(host, deps);
    await host.click(host.button('Restore…'));
    await host.click(host.button('Restore now', host.byTestId('confirm-restore-dialog')));
    expect(host.ofType('ProgressBar')).toHaveLength(1);
    failStatus = true;
    await waitFor(() => host.text().includes('Could not refresh: Forge storage is busy.'));
    expect(host.text(host.byTestId('restore-progress'))).toContain('Could not refresh: Forge storage is busy.');
    expect(host.ofType('ProgressBar')).toHaveLength(1);
    expect(host.text()).not.toContain("Could not read the restore's progress");
    const failedPolls = host.invocations.filter((i) => i.functionKey === 'restoreStatus').length;
    await waitFor(() => host.invocations.filter((i) => i.functionKey === 'restoreStatus').length > failedPolls);
    failStatus = false;
    await drain(deps);
    await waitFor(() => host.text(host.byTestId('restore-progress')).includes('Report'));
    expect(host.text()).not.toContain('Could not refresh');
  });
});

describe('Restore tab, the end of a restore', () => {
  it('labels a restore that finished with items left out "Partly restored" (yellow), not a green "Done"', async () => {
    const { host, jira, deps } = await openRestoreTab({ deleteIssues: ['10101', '10103'] });
    await host.change('fileId', 'snap-1');
    await host.change('projectKey', 'ENG');
    await showChanges(host, deps);
    await host.click(host.button('Add all deleted issues'));
    await runDryRun(host, deps);
    await host.click(host.button('Restore…'));
    await host.click(host.button('Restore now', host.byTestId('confirm-restore-dialog')));
    // Jira refuses every comment, as it does on an issue whose comments are disabled.
    const send = jira.request.bind(jira);
    jira.request = async (request) => {
      if (request.method !== 'POST' || !request.path.endsWith('/comment')) return send(request);
      const text = JSON.stringify({ errorMessages: ['Comments are disabled on this issue.'], errors: {} });
      return { status: 400, headers: { 'content-type': 'application/json' }, json: async <T,>() => JSON.parse(text) as T, text: async () => text, bytes: async () => new TextEncoder().encode(text) };
    };
    await drain(deps);
    await host.click(host.button('Refresh'));
    const progress = host.byTestId('restore-progress')!;
    expect(host.text(progress)).toContain('Report');
    expect(host.ofType('Lozenge', progress).map((l) => [host.text(l), l.props.appearance])).toEqual([['Partly restored', 'moved']]);
    expect(host.text(progress)).toMatch(/comments: 0 of \d+ restored/);
  });
});

/**
 * The dry run as the page does it: the resolver queues it, the worker plans it (drain), the page shows it on its next
 * poll — or, without polling, when the admin presses "Refresh".
 */
async function runDryRun(host: ForgeUiHost, deps: Parameters<typeof drain>[0]): Promise<void> {
  await host.click(host.button('Dry run'));
  await drain(deps);
  await refreshUntil(host, () => !!host.byTestId('restore-dry-run') || host.text().includes('The dry run did not work'));
}

/** "Show what changed since this backup", compared by the worker. */
async function showChanges(host: ForgeUiHost, deps: Parameters<typeof drain>[0]): Promise<void> {
  await host.click(host.button('Show what changed since this backup'));
  await drain(deps);
  await refreshUntil(host, () => !host.text().includes('Comparing the backup with the site…'));
}

async function refreshUntil(host: ForgeUiHost, done: () => boolean): Promise<void> {
  const refresh = host.ofType('Button').find((b) => host.text(b) === 'Refresh');
  if (!done() && refresh) await host.click(refresh);
  await waitFor(done);
}

async function waitFor(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
