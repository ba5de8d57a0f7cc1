import { readStorageInput } from '../../src/core/admin';
import { sshKey } from './ssh-keys';

const sftp = {
  kind: 'remote', protocol: 'sftp', host: 'sftp.example.com', user: 'backup', auth: 'password', password: 's3cret',
  folder: '/backups/jira', relayUrl: 'https://relay.example.com:8443',
};
/** A real key (saved keys are checked); trimmed, as the form stores it with one final newline. */
const KEY = sshKey().trim();

/** Field rules are src/core/plans' (test/plans); these cover what the admin side adds: GB quotas and write-only secrets. */
describe('readStorageInput', () => {
  it('takes the managed quota in GB, as the form shows it', () => {
    expect(readStorageInput({ kind: 'managed', quotaGb: '50' })).toEqual({ settings: { kind: 'managed', quotaBytes: 50 * 1024 ** 3 }, secrets: {}, errors: [] });
    expect(readStorageInput({ kind: 'managed', quotaGb: '0' }).errors).toEqual([{ field: 'quotaGb', message: 'Quota in GB must be between 1 and 100000 (got 0).' }]);
    expect(readStorageInput({ kind: 'managed', quotaGb: 'lots' }).errors).toEqual([{ field: 'quotaGb', message: 'Quota in GB must be a whole number.' }]);
  });

  it('keeps secrets apart from the settings and fills the protocol\'s port', () => {
    const result = readStorageInput({ ...sftp, port: '' });
    expect(result.errors).toEqual([]);
    expect(result.settings).toMatchObject({ kind: 'remote', protocol: 'sftp', port: 22 });
    expect(result.secrets).toEqual({ password: 's3cret' });
    expect(JSON.stringify(result.settings)).not.toContain('s3cret');
  });

  it('reads a private key for key sign-in and ignores a password typed for the other method', () => {
    const result = readStorageInput({ ...sftp, auth: 'private-key', privateKey: KEY });
    expect(result.secrets).toEqual({ privateKey: KEY + '\n' });
    const bad = readStorageInput({ ...sftp, auth: 'private-key', privateKey: 'hello' });
    expect(bad.errors).toContainEqual({ field: 'privateKey', message: 'Paste the whole private key, from -----BEGIN … PRIVATE KEY----- to -----END … PRIVATE KEY-----.' });
  });

  it('reads a key passphrase exactly as typed, only with key sign-in, and never into the settings', () => {
    const result = readStorageInput({ ...sftp, auth: 'private-key', privateKey: KEY, passphrase: ' two words ' });
    expect(result.secrets).toEqual({ privateKey: KEY + '\n', passphrase: ' two words ' });
    expect(JSON.stringify(result.settings)).not.toContain('two words');
    expect(readStorageInput({ ...sftp, auth: 'private-key', passphrase: 'only the passphrase' }).secrets).toEqual({ passphrase: 'only the passphrase' });
    expect(readStorageInput({ ...sftp, passphrase: 'for a password login' }).secrets).toEqual({ password: 's3cret' });
    expect(readStorageInput({ ...sftp, auth: 'private-key', passphrase: '' }).secrets).toEqual({});
    const tooLong = readStorageInput({ ...sftp, auth: 'private-key', passphrase: 'x'.repeat(1025) });
    expect(tooLong.errors).toEqual([{ field: 'passphrase', message: 'The key passphrase must be text of at most 1024 characters.' }]);
    expect(readStorageInput({ ...sftp, auth: 'private-key', passphrase: 42 }).errors).toEqual([
      { field: 'passphrase', message: 'The key passphrase must be text of at most 1024 characters.' },
    ]);
  });

  it('reports settings errors and secret errors together', () => {
    const result = readStorageInput({ ...sftp, host: '', auth: 'private-key', privateKey: 'x' });
    expect(result.settings).toBeUndefined();
    expect(result.errors.map((e) => e.field).sort()).toEqual(['host', 'privateKey']);
  });
});
