import './install-bridge';
import React from 'react';
import { App } from '../../src/frontend/App';
import { createAdminResolver } from '../../src/entry/resolvers/create-resolver';
import {
  KEY_DAMAGED, KEY_PASSPHRASE_NEEDED, KEY_PASSPHRASE_WRONG, KEY_PKCS8, KEY_UNKNOWN, STORAGE_KEY_PASSPHRASE_SECRET, STORAGE_PRIVATE_KEY_SECRET,
} from '../../src/core/admin';
import { fakeAdminWorld } from '../admin/fakes';
import { sshKey } from '../admin/ssh-keys';
import { invokeAs } from '../resolvers/invoke';
import { ForgeUiHost } from './forge-ui-host';

const PASSPHRASE = ' correct horse, battery staple ';

/**
 * Saving the Storage tab checks the pasted key and its passphrase before anything is stored: the page → the real
 * resolver → the configuration service, with keys made by ssh-keygen. What secret storage holds is read directly.
 */
async function openKeyForm(world = fakeAdminWorld()) {
  const resolver = createAdminResolver(({ accountId }) => world.app(accountId));
  const host = new ForgeUiHost((key, payload) => invokeAs(resolver, 'admin-1', key, payload));
  await host.render(<App pollIntervalMs={0} />);
  const tabs = host.ofType('Tab');
  await host.byTestId('backup-center')!.children[0].props.onChange(tabs.findIndex((t) => t.props.testId === 'tab-storage'));
  await host.settle();
  await host.change('kind', 'remote');
  for (const [field, value] of [['host', 'sftp.example.com'], ['user', 'backup'], ['folder', '/backups'], ['relayUrl', 'https://relay.example.com']]) {
    await host.change(field, value);
  }
  await host.change('auth', 'private-key');
  await host.change('hostKeyFingerprint', 'SHA256:' + 'A'.repeat(43));
  return { host, world };
}

async function save(host: ForgeUiHost, privateKey: string, passphrase = ''): Promise<void> {
  await host.change('privateKey', privateKey);
  await host.change('passphrase', passphrase);
  await host.click(host.button('Save storage'));
}

describe('storage tab: the private key and its passphrase are checked when saving', () => {
  it('refuses an encrypted OpenSSH key without its passphrase under the passphrase field, and stores nothing', async () => {
    const { host, world } = await openKeyForm();
    await save(host, sshKey({ passphrase: PASSPHRASE }));
    expect(host.fieldError('passphrase')).toBe(KEY_PASSPHRASE_NEEDED);
    expect(host.fieldError('privateKey')).toBeUndefined();
    expect(await world.store.storage()).toBeUndefined();
    expect(world.secrets.data.size).toBe(0);
    expect(await world.audit.read()).toMatchObject({ entries: [] });
  });

  it('keeps the saved key and passphrase when a new encrypted key comes without its passphrase', async () => {
    const { host, world } = await openKeyForm();
    const saved = sshKey({ passphrase: PASSPHRASE });
    await save(host, saved, PASSPHRASE);
    expect(host.text()).toContain('Backups now go to SFTP');
    const before = new Map(world.secrets.data);
    await save(host, sshKey({ passphrase: 'the new key passphrase', name: 'new key' }));
    expect(host.fieldError('passphrase')).toBe(KEY_PASSPHRASE_NEEDED);
    expect(world.secrets.data).toEqual(before);
    expect(world.secrets.data.get(STORAGE_PRIVATE_KEY_SECRET)).toBe(saved);
    expect(world.secrets.data.get(STORAGE_KEY_PASSPHRASE_SECRET)).toBe(PASSPHRASE);
  });

  it('refuses an encrypted PEM key with a wrong passphrase, and saves it with the right one', async () => {
    const { host, world } = await openKeyForm();
    const pem = sshKey({ type: 'rsa', format: 'pem', passphrase: PASSPHRASE });
    expect(pem).toContain('Proc-Type: 4,ENCRYPTED');
    await save(host, pem, 'not the passphrase');
    expect(host.fieldError('passphrase')).toBe(KEY_PASSPHRASE_WRONG);
    expect(await world.store.storage()).toBeUndefined();
    expect(world.secrets.data.size).toBe(0);
    await save(host, pem);
    expect(host.fieldError('passphrase')).toBe(KEY_PASSPHRASE_NEEDED);
    expect(world.secrets.data.size).toBe(0);

    await save(host, pem, PASSPHRASE);
    expect(host.fieldError('passphrase')).toBeUndefined();
    expect(host.text()).toContain('Backups now go to SFTP backup@sftp.example.com:22/backups.');
    expect(world.secrets.data.get(STORAGE_PRIVATE_KEY_SECRET)).toBe(pem);
    expect(world.secrets.data.get(STORAGE_KEY_PASSPHRASE_SECRET)).toBe(PASSPHRASE);

    // Typing only a new passphrase checks it against the saved key; a wrong one replaces nothing.
    await host.change('passphrase', 'a wrong replacement');
    await host.click(host.button('Save storage'));
    expect(host.fieldError('passphrase')).toBe(KEY_PASSPHRASE_WRONG);
    expect(world.secrets.data.get(STORAGE_KEY_PASSPHRASE_SECRET)).toBe(PASSPHRASE);
  });

  it('saves unencrypted keys as before (OpenSSH and PEM)', async () => {
    const { host, world } = await openKeyForm();
    for (const key of [sshKey(), sshKey({ type: 'ecdsa', format: 'pem' })]) {
      await save(host, key);
      expect(host.fieldError('privateKey')).toBeUndefined();
      expect(host.fieldError('passphrase')).toBeUndefined();
      expect(world.secrets.data.get(STORAGE_PRIVATE_KEY_SECRET)).toBe(key);
      expect(world.secrets.data.has(STORAGE_KEY_PASSPHRASE_SECRET)).toBe(false);
    }
    expect(await world.store.storage()).toMatchObject({ kind: 'remote', auth: 'private-key' });
  });

  it('saves an encrypted OpenSSH key with a wrong passphrase: only Test connection can tell (no bcrypt-pbkdf in the app)', async () => {
    const { host, world } = await openKeyForm();
    await save(host, sshKey({ passphrase: PASSPHRASE }), 'not the passphrase');
    expect(host.fieldError('passphrase')).toBeUndefined();
    expect(world.secrets.data.get(STORAGE_KEY_PASSPHRASE_SECRET)).toBe('not the passphrase');
  });

  it('refuses what is not a usable private key with a clear message under the key field, storing nothing', async () => {
    const { host, world } = await openKeyForm();
    const good = sshKey().trim().split('\n');
    const cases: [string, string][] = [
      ['hello', 'Paste the whole private key, from -----BEGIN … PRIVATE KEY----- to -----END … PRIVATE KEY-----.'],
      [sshKey().replace(/\n[A-Za-z0-9+/=]+\n-----END/, '\n-----END'), KEY_DAMAGED], // a line lost in the paste
      [[good[0], good[1], good[good.length - 1]].join('\n'), KEY_DAMAGED], // cut short
      [[good[0], 'not a key at all', good[good.length - 1]].join('\n'), KEY_DAMAGED],
      ['-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\n-----END RSA PRIVATE KEY-----', KEY_DAMAGED],
      [sshKey({ type: 'rsa', format: 'pkcs8' }), KEY_PKCS8],
      [sshKey({ type: 'rsa', format: 'pkcs8', passphrase: PASSPHRASE }), KEY_PKCS8],
      ['-----BEGIN PGP PRIVATE KEY-----\nlQOYBF\n-----END PGP PRIVATE KEY-----', KEY_UNKNOWN],
    ];
    for (const [key, message] of cases) {
      await save(host, key, PASSPHRASE);
      expect(host.fieldError('privateKey')).toBe(message);
    }
    expect(await world.store.storage()).toBeUndefined();
    expect(world.secrets.data.size).toBe(0);
  });
});
