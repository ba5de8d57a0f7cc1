import { AdminError, STORAGE_KEY_PASSPHRASE_SECRET, STORAGE_PASSWORD_SECRET, STORAGE_PRIVATE_KEY_SECRET } from '../../src/core/admin';
import { fakeAdminWorld, validPlanInput } from './fakes';
import { sshKey } from './ssh-keys';

const sftp = {
  kind: 'remote', protocol: 'sftp', host: 'sftp.example.com', user: 'backup', auth: 'password',
  folder: '/backups', relayUrl: 'https://relay.example.com', hostKeyFingerprint: 'SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8',
};
/** A real key (saved keys are checked); trimmed, as the form stores it with one final newline. */
const KEY = sshKey().trim();

async function rejection(promise: Promise<unknown>): Promise<AdminError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AdminError) return error;
    throw error;
  }
  throw new Error('expected the call to be refused');
}

describe('ConfigurationService', () => {
  it('creates, updates and deletes plans, writing each change to the audit log with who did it', async () => {
    const w = fakeAdminWorld();
    const created = await w.config.savePlan(validPlanInput(), 'admin-1');
    expect(created.id).toBe('plan-1');
    const updated = await w.config.savePlan({ ...validPlanInput({ name: 'Nightly all' }), id: created.id }, 'admin-2');
    expect((await w.config.view()).plans).toEqual([updated]);
    await w.config.deletePlan(created.id, 'admin-1');
    expect((await w.config.view()).plans).toEqual([]);
    const log = await w.audit.read();
    expect(log.entries.map((e) => [e.action, e.actor, e.subject])).toEqual([
      ['plan.deleted', 'admin-1', 'Nightly all'],
      ['plan.updated', 'admin-2', 'Nightly all'],
      ['plan.created', 'admin-1', 'Nightly'],
    ]);
  });

  it('refuses a duplicate name and invalid fields with messages per field, and stores nothing', async () => {
    const w = fakeAdminWorld();
    await w.config.savePlan(validPlanInput(), 'admin-1');
    const error = await rejection(w.config.savePlan(validPlanInput({ name: 'NIGHTLY', schedule: { days: 'daily', time: '2:30' } }), 'admin-1'));
    expect(error.code).toBe('invalid');
    expect(error.fields).toEqual([
      { field: 'schedule.time', message: 'Enter the time as HH:MM on a 24-hour clock, e.g. 02:30.' },
    ]);
    const duplicate = await rejection(w.config.savePlan(validPlanInput({ name: 'NIGHTLY' }), 'admin-1'));
    expect(duplicate.fields).toEqual([{ field: 'name', message: 'Another plan is already called "NIGHTLY". Choose a different name.' }]);
    expect((await w.config.view()).plans).toHaveLength(1);
  });

  it('says when the plan being edited or deleted no longer exists', async () => {
    const w = fakeAdminWorld();
    expect((await rejection(w.config.savePlan({ ...validPlanInput(), id: 'gone' }, 'admin-1'))).code).toBe('not-found');
    expect((await rejection(w.config.deletePlan('gone', 'admin-1'))).code).toBe('not-found');
  });

  it('shows managed storage with the default quota before anything is saved, and the site time zone', async () => {
    const view = await fakeAdminWorld({ timeZone: 'America/New_York' }).config.view();
    expect(view.timeZone).toBe('America/New_York');
    expect(view.storage).toEqual({
      settings: { kind: 'managed', quotaBytes: 20 * 1024 ** 3 }, configured: false, passwordSet: false, privateKeySet: false, passphraseSet: false, description: 'Managed storage',
    });
  });

  it('keeps secrets write-only: stored in secret storage, reported as set, never returned or logged', async () => {
    const w = fakeAdminWorld();
    const view = await w.config.saveStorage({ ...sftp, password: 'hunter2' }, 'admin-1');
    expect(w.secrets.data.get(STORAGE_PASSWORD_SECRET)).toBe('hunter2');
    expect(view.passwordSet).toBe(true);
    expect(JSON.stringify(view)).not.toContain('hunter2');
    expect(JSON.stringify([...w.kv.data.values()])).not.toContain('hunter2');
    // Saving again without typing the password keeps the stored one (same server, another folder).
    await w.config.saveStorage({ ...sftp, folder: '/nightly' }, 'admin-1');
    expect(w.secrets.data.get(STORAGE_PASSWORD_SECRET)).toBe('hunter2');
    const log = await w.audit.read();
    expect(log.entries[0]).toMatchObject({ action: 'storage.changed', subject: 'SFTP backup@sftp.example.com:22/nightly', details: { kind: 'remote' } });
    expect(log.entries[1].details).toEqual({ kind: 'remote', credentialsChanged: true });
  });

  it('keeps the key passphrase write-only too: in secret storage, reported as set, never returned, stored or logged', async () => {
    const w = fakeAdminWorld();
    const view = await w.config.saveStorage({ ...sftp, auth: 'private-key', privateKey: KEY, passphrase: 'open sesame' }, 'admin-1');
    expect(w.secrets.data.get(STORAGE_KEY_PASSPHRASE_SECRET)).toBe('open sesame');
    expect(view).toMatchObject({ privateKeySet: true, passphraseSet: true });
    const everythingThePageSees = JSON.stringify([view, await w.config.view(), await w.config.storageView()]);
    expect(everythingThePageSees).not.toContain('open sesame');
    expect(everythingThePageSees).not.toContain('b3BlbnNzaC1rZXktdjEAAAAA'); // nor the key
    expect(JSON.stringify([...w.kv.data.values()])).not.toContain('open sesame');
    expect(JSON.stringify(await w.audit.read())).not.toContain('open sesame');
    // Typing only a new passphrase (the old one was wrong) keeps the key and is a credentials change.
    await w.config.saveStorage({ ...sftp, auth: 'private-key', passphrase: 'the right one' }, 'admin-1');
    expect(w.secrets.data.get(STORAGE_PRIVATE_KEY_SECRET)).toBe(KEY + '\n');
    expect(w.secrets.data.get(STORAGE_KEY_PASSPHRASE_SECRET)).toBe('the right one');
    expect((await w.audit.read()).entries[0].details).toEqual({ kind: 'remote', credentialsChanged: true });
    // Saving without typing it keeps it.
    expect(await w.config.saveStorage({ ...sftp, auth: 'private-key', folder: '/nightly' }, 'admin-1')).toMatchObject({ passphraseSet: true });
    expect(w.secrets.data.get(STORAGE_KEY_PASSPHRASE_SECRET)).toBe('the right one');
  });

  it('clears the passphrase when the key is replaced without one, or when key sign-in or the server goes', async () => {
    const w = fakeAdminWorld();
    const withPassphrase = { ...sftp, auth: 'private-key', privateKey: KEY, passphrase: 'old key passphrase' };
    await w.config.saveStorage(withPassphrase, 'admin-1');
    const replaced = await w.config.saveStorage({ ...sftp, auth: 'private-key', privateKey: sshKey({ name: 'another key' }).trim() }, 'admin-1');
    expect(replaced).toMatchObject({ privateKeySet: true, passphraseSet: false });
    expect(w.secrets.data.has(STORAGE_KEY_PASSPHRASE_SECRET)).toBe(false);
    // A new key with its own passphrase stores both.
    await w.config.saveStorage({ ...withPassphrase, passphrase: 'new key passphrase' }, 'admin-1');
    expect(w.secrets.data.get(STORAGE_KEY_PASSPHRASE_SECRET)).toBe('new key passphrase');
    expect(await w.config.saveStorage({ ...sftp, password: 'pw' }, 'admin-1')).toMatchObject({ passwordSet: true, privateKeySet: false, passphraseSet: false });
    expect(w.secrets.data.has(STORAGE_KEY_PASSPHRASE_SECRET)).toBe(false);
    await w.config.saveStorage(withPassphrase, 'admin-1');
    await w.config.saveStorage({ kind: 'managed', quotaGb: 5 }, 'admin-1');
    expect(w.secrets.data.has(STORAGE_KEY_PASSPHRASE_SECRET)).toBe(false);
  });

  it('tests a key with the stored passphrase only for the server it was saved for, and never with a newly pasted key', async () => {
    const w = fakeAdminWorld();
    const keyLogin = { ...sftp, auth: 'private-key' };
    await w.config.saveStorage({ ...keyLogin, privateKey: KEY, passphrase: 'stored passphrase' }, 'admin-1');
    await w.config.testConnection({ ...keyLogin, folder: '/elsewhere' }, 'admin-1');
    expect(w.tester.calls[0].credentials).toEqual({ privateKey: KEY + '\n', passphrase: 'stored passphrase' });
    await w.config.testConnection({ ...keyLogin, passphrase: 'typed passphrase' }, 'admin-1');
    expect(w.tester.calls[1].credentials).toEqual({ privateKey: KEY + '\n', passphrase: 'typed passphrase' });
    // A pasted key is tested as saving would keep it: without the old key's passphrase.
    const otherKey = sshKey({ name: 'a third key' }).trim();
    await w.config.testConnection({ ...keyLogin, privateKey: otherKey }, 'admin-1');
    expect(w.tester.calls[2].credentials).toEqual({ privateKey: otherKey + '\n' });
    // Another host: the stored key and passphrase stay home even when the admin pastes the key again.
    await w.config.testConnection({ ...keyLogin, host: 'attacker.example.com', privateKey: KEY }, 'admin-1');
    expect(w.tester.calls[3].credentials).toEqual({ privateKey: KEY + '\n' });
    expect(JSON.stringify(w.tester.calls.slice(3))).not.toContain('stored passphrase');
    const refused = await rejection(w.config.testConnection({ ...keyLogin, host: 'attacker.example.com' }, 'admin-1'));
    expect(refused.fields).toEqual([{ field: 'privateKey', message: expect.stringContaining('only used for the server it was saved for') }]);
    expect(w.tester.calls).toHaveLength(4);
  });

  it('needs a password or key the first time, and drops the other method\'s secret when switching', async () => {
    const w = fakeAdminWorld();
    const missing = await rejection(w.config.saveStorage(sftp, 'admin-1'));
    expect(missing.fields).toEqual([{ field: 'password', message: 'Enter the password for this server.' }]);
    await w.config.saveStorage({ ...sftp, password: 'pw' }, 'admin-1');
    const missingKey = await rejection(w.config.saveStorage({ ...sftp, auth: 'private-key' }, 'admin-1'));
    expect(missingKey.fields).toEqual([{ field: 'privateKey', message: 'Paste the private key for this server.' }]);
    const view = await w.config.saveStorage({ ...sftp, auth: 'private-key', privateKey: KEY }, 'admin-1');
    expect(view).toMatchObject({ passwordSet: false, privateKeySet: true });
    expect(w.secrets.data.has(STORAGE_PASSWORD_SECRET)).toBe(false);
    await w.config.saveStorage({ kind: 'managed', quotaGb: 5 }, 'admin-1');
    expect(w.secrets.data.has(STORAGE_PRIVATE_KEY_SECRET)).toBe(false);
  });

  it('tests a connection with the form\'s settings and the stored secret, without saving anything', async () => {
    const w = fakeAdminWorld();
    await w.config.saveStorage({ ...sftp, password: 'stored-pw' }, 'admin-1');
    const report = await w.config.testConnection({ ...sftp, folder: '/other-folder' }, 'admin-1');
    expect(report.ok).toBe(true);
    expect(w.tester.calls[0]).toEqual({ settings: expect.objectContaining({ folder: '/other-folder', port: 22 }), credentials: { password: 'stored-pw' } });
    expect((await w.config.storageView()).settings).toMatchObject({ folder: sftp.folder });
    const typed = await w.config.testConnection({ ...sftp, password: 'typed' }, 'admin-1');
    expect(typed.steps.length).toBeGreaterThan(0);
    expect(w.tester.calls[1].credentials).toEqual({ password: 'typed' });
  });

  it.each([
    ['host', { host: 'attacker.example.com' }],
    ['port', { port: 2222 }],
    ['user', { user: 'someone-else' }],
    ['relay', { relayUrl: 'https://other-relay.example.com' }],
  ])('never sends the stored secret to a server whose %s changed in the form', async (_what, change) => {
    const w = fakeAdminWorld();
    await w.config.saveStorage({ ...sftp, password: 'stored-pw' }, 'admin-1');
    const refused = await w.config.testConnection({ ...sftp, ...change }, 'admin-1').then(() => undefined, (e: unknown) => e);
    expect(refused).toMatchObject({ fields: [{ field: 'password', message: expect.stringContaining('only used for the server it was saved for') }] });
    expect(w.tester.calls).toEqual([]);
  });

  it('saves SFTP settings only with the host key pinned, yet tests the connection without one (that is how the key is learned)', async () => {
    const w = fakeAdminWorld();
    const { hostKeyFingerprint: _unpinned, ...unpinned } = sftp;
    const refused = await rejection(w.config.saveStorage({ ...unpinned, password: 'pw' }, 'admin-1'));
    expect(refused.fields).toEqual([{ field: 'hostKeyFingerprint', message: "Run Test connection and trust the server's host key before saving." }]);
    const report = await w.config.testConnection({ ...unpinned, password: 'pw' }, 'admin-1');
    expect(report.ok).toBe(true);
  });
});
