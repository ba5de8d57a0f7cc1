import '../frontend/install-bridge';
import React from 'react';
import { App } from '../../src/frontend/App';
import { createAdminResolver } from '../../src/entry/resolvers/create-resolver';
import { relayConnectionTester } from '../../src/entry/resolvers/relay-tester';
import { startRelayHarness, type RelayHarness } from '../relay/relay-harness';
import { httpsInvoker, recursiveNames, userFolder } from '../relay/relay-store-factory';
import { fakeAdminWorld } from '../admin/fakes';
import { ForgeUiHost } from '../frontend/forge-ui-host';
import { invokeAs } from './invoke';

/**
 * "Test connection" on the storage tab, for real: the page → the resolver → the relay (HTTPS, signed FIT) → OpenSSH's
 * SFTP server on this machine. The per-step report and the server's host key come back to the page.
 */
describe('storage tab "Test connection" through the real relay and SFTP server', () => {
  let h: RelayHarness;
  beforeAll(async () => {
    h = await startRelayHarness();
  }, 60_000);
  afterAll(() => h?.stop());

  async function openStorageTab() {
    const world = fakeAdminWorld({ tester: relayConnectionTester(httpsInvoker(h)) });
    const resolver = createAdminResolver(({ accountId }) => world.app(accountId));
    const host = new ForgeUiHost((key, payload) => invokeAs(resolver, 'admin-1', key, payload));
    await host.render(<App pollIntervalMs={0} />);
    await host.byTestId('backup-center')!.children[0].props.onChange(2);
    await host.settle();
    const folder = userFolder(h, `page-${Math.random().toString(36).slice(2, 8)}`);
    await host.change('kind', 'remote');
    await host.change('protocol', 'sftp');
    await host.change('host', h.servers.sftp.host);
    await host.change('port', String(h.servers.sftp.port));
    await host.change('user', h.servers.user);
    await host.change('folder', folder);
    await host.change('relayUrl', 'https://relay.example.com');
    return { host, world, folder };
  }

  it('shows every step and the host key; trusting it pins the key when saving', async () => {
    const { host, world, folder } = await openStorageTab();
    await host.change('password', h.servers.password);
    await host.click(host.button('Test connection'));
    const report = host.byTestId('connection-report')!;
    expect(host.text(report)).toContain('Connection works');
    const steps = host.ofType('Row', report).map((row) => host.text(row).split(' ').slice(0, 2).join(' '));
    expect(steps).toEqual(['connect OK', 'host-key OK', 'login OK', 'folder OK', 'create OK', 'rename OK', 'read OK', 'list OK', 'delete OK']);
    expect(host.text(report)).toContain(h.servers.sftp.hostKeyFingerprint);
    await host.click(host.button('Trust this host key', report));
    await host.click(host.button('Save storage'));
    expect(await world.store.storage()).toMatchObject({ kind: 'remote', protocol: 'sftp', hostKeyFingerprint: h.servers.sftp.hostKeyFingerprint });
    expect(recursiveNames(folder)).toEqual([]); // the probe cleans up after itself
  });

  it('a wrong password fails at the login step, shown on the page', async () => {
    const { host } = await openStorageTab();
    await host.change('password', 'not-the-password');
    await host.click(host.button('Test connection'));
    const report = host.byTestId('connection-report')!;
    expect(host.text(report)).toContain('Connection failed');
    const rows = host.ofType('Row', report).map((row) => host.text(row));
    expect(rows[rows.length - 1]).toMatch(/^login Failed /);
  });
});
