import { DEFAULT_PORTS, withStorageDefaults } from './defaults';
import { CONTROL_CHARACTERS, FieldErrors, isRecord, wholeNumber, type ValidationResult } from './field-errors';
import type { RemoteProtocol, StorageSettings } from './plan';
import { checkCaCertificate, checkFolder, checkHost, checkHostKeyFingerprint, checkRelayUrl } from './storage-field-checks';

export const REMOTE_PROTOCOLS: readonly RemoteProtocol[] = ['ftp', 'ftps-explicit', 'ftps-implicit', 'sftp'];
const GB = 1024 ** 3;
/** The upper bound guards against a typo (bytes typed as GB); any positive quota below it is accepted. */
export const MAX_QUOTA_BYTES = 100_000 * GB;

/**
 * Checks storage settings as submitted (the StorageSettings union), after filling the quota, the protocol's port and
 * password sign-in when left out. Secrets are not part of these settings and are not checked here.
 */
export interface StorageValidationOptions {
  /**
   * Saving SFTP settings must pass true: the relay refuses unpinned SFTP for everything but Test connection, so unpinned
   * settings could never back up. Off by default because Test connection validates the same form before any key is
   * pinned (it is how the admin learns the key).
   */
  requireHostKey?: boolean;
}

export function validateStorageSettings(input: unknown, options: StorageValidationOptions = {}): ValidationResult<'settings', StorageSettings> {
  if (!isRecord(input)) return { ok: false, errors: [{ field: 'kind', message: 'Choose managed storage or your own FTP, FTPS or SFTP server.' }] };
  const raw = withStorageDefaults(input);
  const errors = new FieldErrors();
  if (raw.kind === 'managed') {
    const quota = wholeNumber(raw.quotaBytes);
    if (quota === undefined || quota < 1 || quota > MAX_QUOTA_BYTES) {
      errors.add('quotaBytes', `The quota must be more than 0 and at most ${MAX_QUOTA_BYTES / GB} GB.`);
      return { ok: false, errors: errors.list };
    }
    return { ok: true, settings: { kind: 'managed', quotaBytes: quota } };
  }
  if (raw.kind !== 'remote') return { ok: false, errors: [{ field: 'kind', message: 'Choose managed storage or your own FTP, FTPS or SFTP server.' }] };

  const protocol = REMOTE_PROTOCOLS.includes(raw.protocol as RemoteProtocol) ? (raw.protocol as RemoteProtocol) : undefined;
  if (!protocol) errors.add('protocol', 'Choose FTP, FTPS (explicit), FTPS (implicit) or SFTP.');
  const host = checkHost(errors, raw.host);
  const port = wholeNumber(raw.port);
  if (port === undefined || port < 1 || port > 65535) {
    errors.add('port', `Port must be between 1 and 65535${protocol ? ` (${protocol.toUpperCase()} usually uses ${DEFAULT_PORTS[protocol]})` : ''}.`);
  }
  const user = typeof raw.user === 'string' ? raw.user.trim() : '';
  if (user === '') errors.add('user', 'Enter the user name the server expects.');
  else if (user.length > 255 || CONTROL_CHARACTERS.test(user)) errors.add('user', 'The user name must be at most 255 characters, without line breaks.');
  const auth = raw.auth === 'password' || raw.auth === 'private-key' ? raw.auth : undefined;
  if (!auth) errors.add('auth', 'Choose password or private key sign-in.');
  else if (auth === 'private-key' && protocol && protocol !== 'sftp') errors.add('auth', 'Private keys work with SFTP only; FTP and FTPS sign in with a password.');
  const folder = checkFolder(errors, raw.folder);
  const relayUrl = checkRelayUrl(errors, raw.relayUrl);

  let caCertificate: string | undefined;
  if (raw.caCertificate !== undefined && raw.caCertificate !== '') {
    if (protocol === 'ftps-explicit' || protocol === 'ftps-implicit') caCertificate = checkCaCertificate(errors, raw.caCertificate);
    else if (protocol) errors.add('caCertificate', protocol === 'sftp'
      ? 'SFTP does not use certificates; pin the server\'s host key fingerprint instead.'
      : 'Plain FTP has no TLS, so a CA certificate does not apply; choose FTPS to use one.');
  }
  let hostKeyFingerprint: string | undefined;
  if (options.requireHostKey && protocol === 'sftp' && (raw.hostKeyFingerprint === undefined || raw.hostKeyFingerprint === '')) {
    // Without a pinned key the relay would hand the credentials and backups to whoever answers; it refuses unpinned SFTP.
    errors.add('hostKeyFingerprint', 'Run Test connection and trust the server\'s host key before saving.');
  } else if (raw.hostKeyFingerprint !== undefined && raw.hostKeyFingerprint !== '') {
    if (protocol === 'sftp') hostKeyFingerprint = checkHostKeyFingerprint(errors, raw.hostKeyFingerprint);
    else if (protocol) errors.add('hostKeyFingerprint', 'A host key fingerprint applies to SFTP only; FTPS servers are checked by their certificate.');
  }

  if (!errors.ok || !protocol || !host || port === undefined || !auth || !folder || !relayUrl) return { ok: false, errors: errors.list };
  const settings: StorageSettings = { kind: 'remote', protocol, host, port, user, auth, folder, relayUrl };
  if (caCertificate) settings.caCertificate = caCertificate;
  if (hostKeyFingerprint) settings.hostKeyFingerprint = hostKeyFingerprint;
  return { ok: true, settings };
}
