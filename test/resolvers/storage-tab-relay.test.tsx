import '../frontend/install-bridge';
import { createHash } from 'node:crypto';
import React from 'react';
import { App } from '../../src/frontend/App';
import { createAdminResolver } from '../../src/entry/resolvers/create-resolver';
import { relayConnectionTester } from '../../src/entry/resolvers/relay-tester';
import { configuredStore } from '../../src/entry/resolvers/configured-store';
import { PASSPHRASE_MISSING, PASSPHRASE_WRONG } from '../../relay/private-key';
import { startRelayHarness, type RelayHarness } from '../relay/relay-harness';
import { httpsInvoker, recursiveNames, userFolder } from '../relay/relay-store-factory';
import { fakeAdminWorld } from '../admin/fakes';
import { ForgeUiHost } from '../frontend/forge-ui-host';
import { invokeAs } from './invoke';

/**
 * "Test connection" on the storage tab, for real: the page → the resolver → the relay (HTTPS, signed FIT) → OpenSSH's
 * SFTP server on this machine. The per-step report and the server's host key come back to the page; a saved
 * passphrase-protected key works for the store the backups use.
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

  it('a passphrase-protected key: missing and wrong passphrases fail at login; with the right one the saved store backs up', async () => {
    const { host, world, folder } = await openStorageTab();
    const lastRow = () => {
      const rows = host.ofType('Row', host.byTestId('connection-report')!).map((row) => host.text(row));
      return rows[rows.length - 1];
    };
    await host.change('auth', 'private-key');
    await host.change('privateKey', h.servers.clientEncryptedKey.privateKey);
    await host.click(host.button('Test connection'));
    expect(lastRow()).toBe(`login Failed ${PASSPHRASE_MISSING}`);
    await host.change('passphrase', 'not the passphrase');
    await host.click(host.button('Test connection'));
    expect(lastRow()).toBe(`login Failed ${PASSPHRASE_WRONG}`);
    await host.change('passphrase', h.servers.clientEncryptedKey.passphrase);
    await host.click(host.button('Test connection'));
    expect(host.text(host.byTestId('connection-report'))).toContain('Connection works');
    await host.click(host.button('Trust this host key', host.byTestId('connection-report')!));
    await host.click(host.button('Save storage'));
    expect(host.text()).toContain('Backups now go to SFTP');
    // What the backup worker builds from the saved settings and secrets carries the passphrase to the relay.
    const { store } = await configuredStore(world.kv, world.secrets, world.clock, httpsInvoker(h));
    const data = new TextEncoder().encode('saved with a passphrase');
    await store.put('data/saved', data, createHash('sha256').update(data).digest('hex'));
    expect(recursiveNames(folder)).toEqual(['data/saved']);
    // Testing again without retyping uses the saved passphrase (same server).
    await host.click(host.button('Test connection'));
    expect(host.text(host.byTestId('connection-report'))).toContain('Connection works');
  });
});
