import '../frontend/install-bridge';
import React from 'react';
import { App } from '../../src/frontend/App';
import { ADMIN_RESOLVER_KEYS, readSiteProjects, type ControlPanelView } from '../../src/core/admin';
import { provideAdminPorts, resolver } from '../../src/entry/resolver';
import { engineBackupJobs } from '../../src/entry/resolvers/engine-backup-jobs';
import { snapshotBackupFiles } from '../../src/entry/resolvers/snapshot-files';
import { storeGauge } from '../../src/entry/resolvers/store-gauge';
import { siteTimeZoneFrom } from '../../src/entry/resolvers/site-time-zone';
import { handleUsageRecount } from '../../src/entry/usage-recount';
import { createHttpJiraClient } from '../../src/adapters/jira/http-jira-client';
import { MemoryStore } from '../../src/adapters/storage/memory-store';
import { drain, startHarness, type Harness } from '../backup/harness';
import { FakeTester, MemorySecrets } from '../admin/fakes';
import { ForgeUiHost } from '../frontend/forge-ui-host';
import { asSimulatorUser, invokeAs } from './invoke';

/**
 * The whole path with real parts: the UI Kit page (through @forge/react's reconciler) → the app's exported resolver
 * → the admin services → the real backup engine → the Jira simulator over HTTP, the admin check included
 * (mypermissions asked AS the calling user). Only the queue is drained by the test (the engine's own harness).
 */
describe('"Back up now" end to end (page → resolver → engine → Jira simulator)', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({
      sim: { site: { seed: 11, projects: 2, issues: 12, attachmentsMb: 0 } },
      store: new MemoryStore({ maxObjectBytes: 1024 * 1024, quotaBytes: 50 * 1024 ** 2, description: 'Managed storage' }),
    });
    const asApp = createHttpJiraClient({ baseUrl: h.sim.baseUrl });
    const secrets = new MemorySecrets();
    provideAdminPorts(() => ({
      kv: h.kv,
      secrets,
      clock: h.clock,
      // What Forge's asUser() does against the simulator: the emulator adds this header with the caller's account.
      jiraAsUser: (accountId) => asSimulatorUser(h.sim.baseUrl, accountId),
      siteTimeZone: siteTimeZoneFrom(asApp),
      siteProjects: () => readSiteProjects(asApp),
      jobs: engineBackupJobs(h.kv, () => h.deps),
      files: snapshotBackupFiles(h.store, { type: 'link', linkFor: async (path) => ({ url: `https://objects.local/${path}` }) }, h.kv),
      gauge: storeGauge(h.store, h.kv, 50 * 1024 ** 2),
      tester: new FakeTester(),
    }));
  });
  afterAll(async () => {
    provideAdminPorts(undefined);
    await h.stop();
  });

  it('a non-admin of the simulated site is refused by every resolver', async () => {
    for (const key of ADMIN_RESOLVER_KEYS) {
      const result = await invokeAs(resolver, h.sim.accounts.nonAdmin, key, {});
      expect({ key, result }).toEqual({ key, result: { ok: false, error: expect.objectContaining({ code: 'forbidden', status: 403 }) } });
    }
    expect([...h.kv.data.keys()]).toEqual([]);
  });

  it('lists the site\'s projects for the plan form', async () => {
    const result = await invokeAs<{ key: string; name: string }[]>(resolver, h.sim.accounts.admin, 'listProjects');
    expect(result.ok && result.data).toEqual(h.sim.site.projects.map((p) => ({ key: p.key, name: p.name })).sort((a, b) => a.key.localeCompare(b.key)));
  });

  it('clicking "Back up now" runs a real backup that then appears in the file list', async () => {
    const admin = h.sim.accounts.admin;
    const saved = await invokeAs(resolver, admin, 'savePlan', {
      plan: { name: 'Nightly', projects: { mode: 'all' }, content: 'basic', schedule: { days: 'daily', time: '02:00' }, retention: { mode: 'count', keep: 5 } },
    });
    expect(saved.ok).toBe(true);

    const host = new ForgeUiHost((key, payload) => invokeAs(resolver, admin, key, payload), { accountId: admin });
    await host.render(<App pollIntervalMs={0} />);
    expect(host.text()).toContain('This plan has not run yet.');
    expect(host.text()).toContain('No backups yet');

    await host.click(host.button('Back up now'));
    const planBox = host.all((n) => typeof n.props.testId === 'string' && n.props.testId.startsWith('plan-'))[0];
    expect(host.text(planBox)).toContain('Running');
    expect(host.button('Back up now', planBox).props.isDisabled).toBe(true);
    expect(host.ofType('ProgressBar', planBox)).toHaveLength(1);

    await drain(h);
    // What the worker runs next: the finished backup queued a count of the store for the panel's storage use.
    await handleUsageRecount(h.deps);

    // The page refreshes when the tab is opened again (or every few seconds while a run is shown as running).
    const tabs = host.byTestId('backup-center')!.children[0];
    await tabs.props.onChange(3);
    await host.settle();
    await tabs.props.onChange(0);
    await host.settle();
    const refreshedPlan = host.all((n) => typeof n.props.testId === 'string' && n.props.testId.startsWith('plan-'))[0];
    expect(host.text(refreshedPlan)).toContain('Complete');
    expect(host.text(refreshedPlan)).toMatch(/2 of 2 projects, 12 of 12 issues/);
    // The first run has nothing to build on: the panel says it read everything, and why.
    expect(host.text(refreshedPlan)).toContain('Read everything (full): no complete earlier snapshot of this plan to build on');
    expect(host.button('Back up now', refreshedPlan).props.isDisabled).toBe(false);

    const table = host.ofType('DynamicTable').find((t) => t.props.caption === 'Backup files')!;
    const rows = host.ofType('Row', table).map((r) => host.text(r));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatch(/^Nightly \d{4}-\d{2}-\d{2} \d{2}:\d{2} Basic [\d.]+ (B|KB|MB) Complete Download Delete$/);
    expect(host.text(host.byTestId('storage-usage'))).toMatch(/of 50\.0 MB used/);
    expect(host.text(host.byTestId('storage-as-of'))).toMatch(/^Storage use as of \d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);

    // Each manifest is read once: its summary is kept in KVS, so later panel loads read no manifest at all.
    expect([...h.kv.data.keys()].filter((k) => k.startsWith('admin:file:'))).toHaveLength(1);
    const manifestReads = () => h.store.calls.filter((c) => c.operation === 'get' && c.path?.startsWith('snapshots/')).length;
    const readsBefore = manifestReads();
    const panel = await invokeAs<ControlPanelView>(resolver, admin, 'getControlPanel');
    expect(panel.ok && panel.data.files).toHaveLength(1);
    expect(manifestReads()).toBe(readsBefore);
    // Times are shown in the site's zone, as Jira's serverInfo reports it.
    const serverInfo = await (await fetch(`${h.sim.baseUrl}/rest/api/3/serverInfo`)).json();
    expect(panel.ok && panel.data.timeZone).toBe(serverInfo.serverTimeZone);
    const audit = await invokeAs<{ entries: { action: string; actor: string }[] }>(resolver, admin, 'getAuditLog');
    expect(audit.ok && audit.data.entries.map((e) => `${e.action} ${e.actor}`)).toEqual([`backup.started ${admin}`, `plan.created ${admin}`]);

    // Deleting the backup removes the snapshot from the store and its cached summary.
    const fileId = panel.ok ? panel.data.files[0].id : '';
    expect(await invokeAs(resolver, admin, 'deleteBackup', { fileId, confirmed: true })).toEqual({ ok: true, data: { deleted: true } });
    expect(await h.store.list('snapshots/')).toEqual([]);
    expect([...h.kv.data.keys()].filter((k) => k.startsWith('admin:file:'))).toEqual([]);
    const after = await invokeAs<ControlPanelView>(resolver, admin, 'getControlPanel');
    expect(after.ok && after.data.files).toEqual([]);
  });
});
