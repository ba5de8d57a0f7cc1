import { DEFAULT_QUOTA_BYTES, defaultStorageSettings, validateStorageSettings, type FieldError } from '../../src/core/plans';

/** Valid remote settings; SFTP ones carry a pinned host key (required) unless the patch sets hostKeyFingerprint. */
const remote = (patch: Record<string, unknown> = {}) => {
  const settings: Record<string, unknown> = {
    kind: 'remote', protocol: 'sftp', host: 'sftp.example.com', user: 'backup', auth: 'password',
    folder: '/backups/jira', relayUrl: 'https://relay.example.com', ...patch,
  };
  return settings.protocol === 'sftp' && !('hostKeyFingerprint' in patch) ? { ...settings, hostKeyFingerprint: FINGERPRINT } : settings;
};
const errorsOf = (input: unknown): FieldError[] => {
  const result = validateStorageSettings(input);
  if (result.ok) throw new Error(`expected errors, got valid settings: ${JSON.stringify(result.settings)}`);
  return result.errors;
};
const messageFor = (input: unknown, field: string) => errorsOf(input).find((e) => e.field === field)?.message;
const FINGERPRINT = 'SHA256:' + 'A'.repeat(42) + 'E';
const PEM = `-----BEGIN CERTIFICATE-----\n${'MIIB'.repeat(20)}\n${'abcd'.repeat(10)}==\n-----END CERTIFICATE-----`;

describe('validateStorageSettings: managed', () => {
  it('defaults the quota to 20 GB', () => {
    expect(validateStorageSettings({ kind: 'managed' })).toEqual({ ok: true, settings: { kind: 'managed', quotaBytes: DEFAULT_QUOTA_BYTES } });
    expect(validateStorageSettings(defaultStorageSettings())).toEqual({ ok: true, settings: defaultStorageSettings() });
  });

  it.each([[0], [-5], [1.5], ['lots'], [200_000 * 1024 ** 3]])('refuses the quota %p', (quotaBytes) => {
    expect(messageFor({ kind: 'managed', quotaBytes }, 'quotaBytes')).toMatch(/more than 0 and at most 100000 GB/);
  });

  it('refuses an unknown kind', () => {
    expect(errorsOf({ kind: 'dropbox' })).toEqual([{ field: 'kind', message: expect.stringMatching(/managed storage or your own FTP/) }]);
    expect(errorsOf(null)[0].field).toBe('kind');
  });
});

describe('validateStorageSettings: remote', () => {
  it.each([['ftp', 21], ['ftps-explicit', 21], ['ftps-implicit', 990], ['sftp', 22]])('defaults the %s port to %i', (protocol, port) => {
    const result = validateStorageSettings(remote({ protocol }));
    expect(result.ok && result.settings).toEqual(expect.objectContaining({ port }));
    const emptied = validateStorageSettings(remote({ protocol, port: '' }));
    expect(emptied.ok && emptied.settings).toEqual(expect.objectContaining({ port }));
  });

  it('accepts and normalises a full SFTP setting', () => {
    expect(validateStorageSettings(remote({ host: ' SFTP.Example.COM ', port: '2222', folder: '/backups//jira/', relayUrl: 'https://relay.example.com/base/', auth: 'private-key', hostKeyFingerprint: FINGERPRINT })))
      .toEqual({ ok: true, settings: {
        kind: 'remote', protocol: 'sftp', host: 'sftp.example.com', port: 2222, user: 'backup', auth: 'private-key',
        folder: '/backups/jira', relayUrl: 'https://relay.example.com/base', hostKeyFingerprint: FINGERPRINT,
      } });
  });

  it('accepts IPv4, IPv6, a root folder and a CA certificate for FTPS', () => {
    expect(validateStorageSettings(remote({ host: '192.0.2.10' })).ok).toBe(true);
    const v6 = validateStorageSettings(remote({ host: '[2001:db8::1]' }));
    expect(v6.ok && v6.settings).toEqual(expect.objectContaining({ host: '2001:db8::1' }));
    const root = validateStorageSettings(remote({ folder: '/' }));
    expect(root.ok && root.settings).toEqual(expect.objectContaining({ folder: '/' }));
    const ftps = validateStorageSettings(remote({ protocol: 'ftps-implicit', caCertificate: PEM }));
    expect(ftps.ok && ftps.settings).toEqual(expect.objectContaining({ port: 990, caCertificate: PEM }));
  });

  it.each([
    [{ protocol: 'scp' }, 'protocol', /FTP, FTPS \(explicit\), FTPS \(implicit\) or SFTP/],
    [{ host: '' }, 'host', /host name or IP address/],
    [{ host: 'sftp://files.example.com' }, 'host', /without ftp:\/\/ or sftp:\/\//],
    [{ host: 'files example.com' }, 'host', /cannot contain spaces/],
    [{ host: 'files.example.com/backups' }, 'host', /Folder field/],
    [{ host: 'files.example.com:2222' }, 'host', /Port field/],
    [{ host: 'me@files.example.com' }, 'host', /User field/],
    [{ host: '300.1.1.1' }, 'host', /0–255/],
    [{ host: '-bad-.example.com' }, 'host', /not a valid host name/],
    [{ port: 0 }, 'port', /^Port must be between 1 and 65535 \(SFTP usually uses 22\)\.$/],
    [{ port: 65536 }, 'port', /between 1 and 65535/],
    [{ port: 'twenty-two' }, 'port', /between 1 and 65535/],
    [{ user: ' ' }, 'user', /user name the server expects/],
    [{ user: 'a\nb' }, 'user', /line breaks/],
    [{ auth: 'token' }, 'auth', /password or private key/],
    [{ protocol: 'ftps-explicit', auth: 'private-key' }, 'auth', /SFTP only/],
    [{ folder: '' }, 'folder', /Enter the folder/],
    [{ folder: 'backups' }, 'folder', /absolute path starting with "\/"/],
    [{ folder: '/backups/../etc' }, 'folder', /"\.\."/],
    [{ folder: '\\backups' }, 'folder', /absolute path/],
    [{ folder: '/back\\ups' }, 'folder', /not "\\"/],
    [{ relayUrl: '' }, 'relayUrl', /relay's address/],
    [{ relayUrl: 'http://relay.example.com' }, 'relayUrl', /must start with https:\/\//],
    [{ relayUrl: 'relay.example.com' }, 'relayUrl', /not a web address/],
    [{ relayUrl: 'https://u:p@relay.example.com' }, 'relayUrl', /Leave the user name and password out/],
    [{ relayUrl: 'https://relay.example.com/?x=1' }, 'relayUrl', /query/],
    [{ hostKeyFingerprint: 'MD5:aa:bb' }, 'hostKeyFingerprint', /SHA256:…/],
    [{ hostKeyFingerprint: 'SHA256:short' }, 'hostKeyFingerprint', /43 base64 characters/],
    [{ protocol: 'ftp', hostKeyFingerprint: FINGERPRINT }, 'hostKeyFingerprint', /SFTP only/],
    [{ protocol: 'ftps-explicit', caCertificate: 'not a pem' }, 'caCertificate', /PEM form/],
    [{ protocol: 'ftps-explicit', caCertificate: `${PEM}\ntrailing junk` }, 'caCertificate', /PEM form/],
    [{ protocol: 'ftp', caCertificate: PEM }, 'caCertificate', /Plain FTP has no TLS/],
    [{ protocol: 'sftp', caCertificate: PEM }, 'caCertificate', /host key fingerprint instead/],
  ])('refuses %j on %s', (patch, field, message) => {
    expect(messageFor(remote(patch), field)).toMatch(message);
  });

  it.each([[undefined], ['']])('saving SFTP settings without a pinned host key (%p) is refused next to the field', (hostKeyFingerprint) => {
    const result = validateStorageSettings(remote({ hostKeyFingerprint }), { requireHostKey: true });
    expect(result).toEqual({ ok: false, errors: [{ field: 'hostKeyFingerprint', message: 'Run Test connection and trust the server\'s host key before saving.' }] });
  });

  it('saving pinned SFTP, or FTP/FTPS (no host key), passes with requireHostKey', () => {
    expect(validateStorageSettings(remote(), { requireHostKey: true })).toMatchObject({ ok: true, settings: { hostKeyFingerprint: FINGERPRINT } });
    expect(validateStorageSettings(remote({ protocol: 'ftps-explicit' }), { requireHostKey: true }).ok).toBe(true);
  });

  it('Test connection (no requireHostKey) accepts SFTP without a key, so the admin can learn it', () => {
    expect(validateStorageSettings(remote({ hostKeyFingerprint: undefined }))).toMatchObject({ ok: true });
  });

  it('reports every bad field at once', () => {
    expect(errorsOf(remote({ host: '', port: 0, folder: 'x', relayUrl: 'http://r' })).map((e) => e.field)).toEqual(['host', 'port', 'folder', 'relayUrl']);
  });
});
