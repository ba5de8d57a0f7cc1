import './install-bridge';
import React from 'react';
import { App } from '../../src/frontend/App';
import { createAdminResolver } from '../../src/entry/resolvers/create-resolver';
import { STORAGE_KEY_PASSPHRASE_SECRET, STORAGE_PRIVATE_KEY_SECRET } from '../../src/core/admin';
import { fakeAdminWorld } from '../admin/fakes';
import { invokeAs } from '../resolvers/invoke';
import { ForgeUiHost } from './forge-ui-host';
import { sshKey } from '../admin/ssh-keys';

/** A real key (saved keys are checked); trimmed, as the form stores it with one final newline. */
const KEY = sshKey().trim();
const PASSPHRASE = ' open sesame ';

/** The storage tab's "Key passphrase" field: write-only like the key, rendered through @forge/react against the real resolver. */
async function openStorageTab(world = fakeAdminWorld()) {
  const resolver = createAdminResolver(({ accountId }) => world.app(accountId));
  // Everything the resolver sends back to the browser, to check that no secret is ever among it.
  const answers: string[] = [];
  const host = new ForgeUiHost(async (key, payload) => {
    const answer = await invokeAs(resolver, 'admin-1', key, payload);
    answers.push(JSON.stringify(answer));
    return answer;
  });
  await host.render(<App pollIntervalMs={0} />);
  const tabs = host.ofType('Tab');
  await host.byTestId('backup-center')!.children[0].props.onChange(tabs.findIndex((t) => t.props.testId === 'tab-storage'));
  await host.settle();
  return { host, world, answers };
}

async function openKeyForm() {
  const { host, world, answers } = await openStorageTab();
  await host.change('kind', 'remote');
  for (const [field, value] of [['host', 'sftp.example.com'], ['user', 'backup'], ['folder', '/backups'], ['relayUrl', 'https://relay.example.com']]) {
    await host.change(field, value);
  }
  await host.change('auth', 'private-key');
  return { host, world, answers };
}

/** The field's "Set" / "Not set" badge. */
function badge(host: ForgeUiHost): string {
  return host.text(host.ofType('Lozenge', host.byTestId('field-passphrase'))[0]);
}

describe('storage tab: key passphrase (write-only)', () => {
  it('is a password field next to the private key, shown only for key sign-in', async () => {
    const { host } = await openKeyForm();
    expect(host.field('passphrase').props).toMatchObject({ type: 'password', value: '' });
    expect(host.text(host.byTestId('field-passphrase'))).toContain('Key passphrase');
    expect(badge(host)).toBe('Not set');
    expect(host.text(host.byTestId('field-passphrase'))).toContain('Only if the private key is protected by a passphrase.');
    await host.change('auth', 'password');
    expect(host.byTestId('field-passphrase')).toBeUndefined();
  });

  it('is saved to secret storage as typed, then shown as "Set" with an empty field; the browser never gets it back', async () => {
    const { host, world, answers } = await openKeyForm();
    await host.change('privateKey', KEY);
    await host.change('passphrase', PASSPHRASE);
    await host.click(host.button('Test connection'));
    expect(world.tester.calls[0].credentials).toEqual({ privateKey: KEY + '\n', passphrase: PASSPHRASE });
    await host.click(host.button('Trust this host key', host.byTestId('connection-report')));
    await host.click(host.button('Save storage'));
    expect(host.text()).toContain('Backups now go to SFTP backup@sftp.example.com:22/backups.');
    expect(world.secrets.data.get(STORAGE_KEY_PASSPHRASE_SECRET)).toBe(PASSPHRASE);
    expect(host.field('passphrase').props.value).toBe('');
    expect(badge(host)).toBe('Set');
    expect(host.text(host.byTestId('field-passphrase'))).toContain('A passphrase is set. Leave this empty to keep it');
    expect(answers.some((a) => a.includes('"passphraseSet":true'))).toBe(true);
    expect(answers.join('\n')).not.toContain('open sesame');
    expect(answers.join('\n')).not.toContain('b3BlbnNzaC1rZXktdjEAAAAA');

    // Opening the page again shows the saved state, still without the value.
    const reloaded = await openStorageTab(world);
    expect(reloaded.host.field('passphrase').props.value).toBe('');
    expect(badge(reloaded.host)).toBe('Set');
    expect(reloaded.answers.join('\n')).not.toContain('open sesame');
  });

  it('warns that pasting a new key drops the saved passphrase, and saving without one does', async () => {
    const { host, world } = await openKeyForm();
    await host.change('privateKey', KEY);
    await host.change('passphrase', PASSPHRASE);
    await host.change('hostKeyFingerprint', 'SHA256:' + 'A'.repeat(43));
    await host.click(host.button('Save storage'));
    await host.change('privateKey', sshKey({ name: 'another key' }).trim());
    expect(host.text(host.byTestId('field-passphrase'))).toContain('removed when you save a new key');
    await host.click(host.button('Save storage'));
    expect(world.secrets.data.get(STORAGE_PRIVATE_KEY_SECRET)).toBe(sshKey({ name: 'another key' }).trim() + '\n');
    expect(world.secrets.data.has(STORAGE_KEY_PASSPHRASE_SECRET)).toBe(false);
    expect(badge(host)).toBe('Not set');
  });

  it('shows the resolver\'s message under the field for a passphrase it refuses, and saves nothing', async () => {
    const { host, world } = await openKeyForm();
    await host.change('privateKey', KEY);
    await host.change('passphrase', 'x'.repeat(1025));
    await host.change('hostKeyFingerprint', 'SHA256:' + 'A'.repeat(43));
    await host.click(host.button('Save storage'));
    expect(host.fieldError('passphrase')).toBe('The key passphrase must be text of at most 1024 characters.');
    expect(await world.store.storage()).toBeUndefined();
    expect(world.secrets.data.size).toBe(0);
  });
});
