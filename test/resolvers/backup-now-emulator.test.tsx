import '../frontend/install-bridge';
import { join } from 'node:path';
import React from 'react';
import { ForgePlatform } from '../../local/forge';
import { startJiraSimulator, type JiraSimulator } from '../../local/jira-sim/server';
import { App } from '../../src/frontend/App';
import { ForgeUiHost } from '../frontend/forge-ui-host';

/**
 * The product as deployed, on the local Forge platform: the UI Kit page's invokes go to the app's own resolver
 * (manifest.yml, default Forge ports: @forge/kvs, secrets, @forge/events, @forge/object-store), "Back up now"
 * queues the engine, the manifest's consumer (src/entry/worker.ts) runs every step against the Jira simulator,
 * and the committed snapshot appears in the page's file list with a working download link.
 */
describe('"Back up now" through the Forge emulator', () => {
  let sim: JiraSimulator;
  let platform: ForgePlatform;
  beforeAll(async () => {
    sim = await startJiraSimulator({ port: 0, site: { seed: 21, projects: 2, issues: 15, attachmentsMb: 0 } });
    platform = await ForgePlatform.start({ appDir: join(__dirname, '..', '..'), dataDir: 'memory', jira: { baseUrl: sim.baseUrl } });
  });
  afterAll(async () => {
    await platform?.stop();
    await sim?.stop();
  });

  it('runs a real backup from the page and lists it', async () => {
    const admin = sim.accounts.admin;
    const host = new ForgeUiHost((key, payload) => platform.invoke('backup-center-admin-page', key, payload, { accountId: admin }), { accountId: admin });
    await host.render(<App pollIntervalMs={0} />);
    expect(host.text()).toContain('No backup plans yet');

    // Create the plan on the Plans tab, as an admin would.
    await host.click(host.button('Create a plan'));
    await host.change('name', 'Nightly');
    await host.click(host.button('Save plan'));
    expect(host.text()).toContain('Plan "Nightly" saved.');
    const tabs = () => host.byTestId('backup-center')!.children[0];
    await tabs().props.onChange(0);
    await host.settle();

    await host.click(host.button('Back up now'));
    expect(host.button('Back up now').props.isDisabled).toBe(true);
    const report = await platform.runUntilIdle();
    expect(report.dropped).toBe(0);
    expect(platform.invocations.filter((i) => i.functionKey === 'worker').length).toBeGreaterThan(0);

    await tabs().props.onChange(3);
    await host.settle();
    await tabs().props.onChange(0);
    await host.settle();
    expect(host.text()).toContain('Complete');
    expect(host.text()).toMatch(/2 of 2 projects, 15 of 15 issues/);
    const table = host.ofType('DynamicTable').find((t) => t.props.caption === 'Backup files')!;
    const rows = host.ofType('Row', table);
    expect(rows.map((r) => host.text(r))).toEqual([expect.stringMatching(/^Nightly \d{4}-\d{2}-\d{2} \d{2}:\d{2} Basic [\d.]+ (B|KB|MB) Complete Download Delete$/)]);
    expect(host.text(host.byTestId('storage-usage'))).toMatch(/Managed storage .* of 20\.0 GB used/);

    await host.click(host.button('Download', rows[0]));
    const href = host.ofType('Link')[0].props.href as string;
    const manifest = await (await fetch(href)).json();
    expect(manifest).toMatchObject({ planName: 'Nightly', state: 'complete' });

    const audit = await platform.invoke<{ ok: boolean; data: { entries: { action: string }[] } }>('backup-center-admin-page', 'getAuditLog', {}, { accountId: admin });
    expect(audit.data.entries.map((e) => e.action)).toEqual(['backup.started', 'plan.created']);
    const nonAdmin = await platform.invoke<{ ok: boolean; error: { status: number } }>('backup-center-admin-page', 'getDownload', { fileId: 'x' }, { accountId: sim.accounts.nonAdmin });
    expect(nonAdmin).toMatchObject({ ok: false, error: { status: 403 } });
  });
});
