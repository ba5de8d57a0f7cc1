import { readStorageInput } from '../../src/core/admin';

const sftp = {
  kind: 'remote', protocol: 'sftp', host: 'sftp.example.com', user: 'backup', auth: 'password', password: 's3cret',
  folder: '/backups/jira/', relayUrl: 'https://relay.example.com:8443/',
};

describe('readStorageInput', () => {
  it('accepts managed storage with a quota in GB', () => {
    expect(readStorageInput({ kind: 'managed', quotaGb: '50' })).toEqual({ settings: { kind: 'managed', quotaBytes: 50 * 1024 ** 3 }, secrets: {}, errors: [] });
  });

  it('defaults the port to the protocol\'s own and keeps secrets apart from the settings', () => {
    const result = readStorageInput(sftp);
    expect(result.errors).toEqual([]);
    expect(result.settings).toEqual({
      kind: 'remote', protocol: 'sftp', host: 'sftp.example.com', port: 22, user: 'backup', auth: 'password',
      folder: '/backups/jira', relayUrl: 'https://relay.example.com:8443',
    });
    expect(result.secrets).toEqual({ password: 's3cret' });
    expect(JSON.stringify(result.settings)).not.toContain('s3cret');
    for (const [protocol, port] of [['ftp', 21], ['ftps-explicit', 21], ['ftps-implicit', 990]] as const) {
      expect(readStorageInput({ ...sftp, protocol, port: '' }).settings).toMatchObject({ port });
    }
  });

  it.each([
    ['a scheme in the host', { host: 'sftp://x.example.com' }, 'host', 'Enter the host name only, without ftp:// or sftp:// (the protocol is chosen above).'],
    ['a bad host', { host: 'bad host!' }, 'host', 'Enter a host name or IP address, e.g. backup.example.com.'],
    ['port out of range', { port: 70000 }, 'port', 'Port must be between 1 and 65535 (got 70000).'],
    ['no user', { user: '' }, 'user', 'Enter the user name.'],
    ['relative folder', { folder: 'backups' }, 'folder', 'Enter the folder from the server root, starting with /, e.g. /backups/jira.'],
    ['folder escaping', { folder: '/a/../etc' }, 'folder', 'The folder may not contain "..".'],
    ['plain http relay', { relayUrl: 'http://relay.example.com' }, 'relayUrl', 'The relay must be reached over https:// (backups and passwords travel through it).'],
    ['not a URL', { relayUrl: 'relay' }, 'relayUrl', 'Enter the relay address as a full URL, e.g. https://relay.example.com:8443.'],
    ['a bad fingerprint', { hostKeyFingerprint: 'MD5:aa' }, 'hostKeyFingerprint',
      'Expected an SSH SHA-256 fingerprint like SHA256:… (43 characters after the colon). "Test connection" fills it in.'],
    ['a key that is not a key', { auth: 'private-key', privateKey: 'hello' }, 'privateKey',
      'Paste the whole private key, from -----BEGIN … PRIVATE KEY----- to -----END … PRIVATE KEY-----.'],
    ['a CA certificate on SFTP', { caCertificate: '-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----' }, 'caCertificate',
      'A CA certificate only applies to FTPS; remove it or choose FTPS.'],
    ['quota zero', { kind: 'managed', quotaGb: 0 }, 'quotaGb', 'Quota in GB must be between 1 and 100000 (got 0).'],
  ])('rejects %s next to the field', (_case, override, field, message) => {
    const result = readStorageInput({ ...sftp, ...override });
    expect(result.settings).toBeUndefined();
    expect(result.errors).toContainEqual({ field, message });
  });

  it('lets a relay on this machine use plain http (local runs)', () => {
    expect(readStorageInput({ ...sftp, relayUrl: 'http://127.0.0.1:7443' }).errors).toEqual([]);
  });

  it('refuses private keys for FTP, which signs in with a password only', () => {
    const result = readStorageInput({ ...sftp, protocol: 'ftp', auth: 'private-key' });
    expect(result.errors).toContainEqual({ field: 'auth', message: 'Private keys work with SFTP only; FTP and FTPS sign in with a password.' });
  });
});
