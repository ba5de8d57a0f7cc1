import type { RemoteProtocol, StorageSettings } from '../plans/plan';
import type { FieldError } from './errors';
import { FieldReader } from './field-reader';

export const REMOTE_PROTOCOLS: readonly RemoteProtocol[] = ['ftp', 'ftps-explicit', 'ftps-implicit', 'sftp'];
/** The port each protocol listens on unless the admin says otherwise; an empty port field means this one. */
export const DEFAULT_PORT: Record<RemoteProtocol, number> = { ftp: 21, 'ftps-explicit': 21, 'ftps-implicit': 990, sftp: 22 };
export const MAX_QUOTA_GB = 100_000;
const GB = 1024 ** 3;
const HOST_NAME = /^(?=.{1,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;
const IPV6 = /^\[?[0-9a-fA-F:]+\]?$/;
const HOST_KEY_FINGERPRINT = /^SHA256:[A-Za-z0-9+/]{43}=?$/;
const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----/;
const PRIVATE_KEY = /-----BEGIN ([A-Z]+ )?PRIVATE KEY-----[\s\S]+-----END ([A-Z]+ )?PRIVATE KEY-----/;
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Secrets typed into the form this time. Absent means "keep what is stored". */
export interface SecretInput {
  password?: string;
  privateKey?: string;
}

export interface StorageInputResult {
  settings?: StorageSettings;
  secrets: SecretInput;
  errors: FieldError[];
}

/** Turns what the storage form sent into storage settings plus any newly typed secrets, or lists every bad field. */
export function readStorageInput(input: unknown): StorageInputResult {
  const r = new FieldReader();
  const raw = r.object(input, 'kind', 'Storage') ?? {};
  const kind = r.oneOf(raw.kind, 'kind', 'Storage type', ['managed', 'remote'] as const);
  if (kind === 'managed') {
    const quotaGb = r.integer(raw.quotaGb ?? gbOf(raw.quotaBytes), 'quotaGb', 'Quota in GB', { min: 1, max: MAX_QUOTA_GB });
    return r.ok ? { settings: { kind, quotaBytes: quotaGb! * GB }, secrets: {}, errors: [] } : { secrets: {}, errors: r.errors };
  }
  if (kind !== 'remote') return { secrets: {}, errors: r.errors };

  const protocol = r.oneOf(raw.protocol, 'protocol', 'Protocol', REMOTE_PROTOCOLS);
  const host = readHost(r, raw.host);
  const port = raw.port === undefined || raw.port === '' || raw.port === null
    ? protocol && DEFAULT_PORT[protocol]
    : r.integer(raw.port, 'port', 'Port', { min: 1, max: 65535 });
  const user = r.text(raw.user, 'user', 'User name', { required: true, max: 128 });
  const auth = protocol === 'sftp' ? r.oneOf(raw.auth ?? 'password', 'auth', 'Sign-in method', ['password', 'private-key'] as const) : 'password';
  if (protocol && protocol !== 'sftp' && raw.auth === 'private-key') r.fail('auth', 'Private keys work with SFTP only; FTP and FTPS sign in with a password.');
  const folder = readFolder(r, raw.folder);
  const relayUrl = readRelayUrl(r, raw.relayUrl);
  const caCertificate = r.text(raw.caCertificate, 'caCertificate', 'CA certificate');
  if (caCertificate && !protocol?.startsWith('ftps')) r.fail('caCertificate', 'A CA certificate only applies to FTPS; remove it or choose FTPS.');
  else if (caCertificate && !PEM_CERTIFICATE.test(caCertificate)) {
    r.fail('caCertificate', 'Paste the certificate in PEM form, from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----.');
  }
  const hostKeyFingerprint = r.text(raw.hostKeyFingerprint, 'hostKeyFingerprint', 'Host key');
  if (hostKeyFingerprint && protocol !== 'sftp') r.fail('hostKeyFingerprint', 'A host key only applies to SFTP.');
  else if (hostKeyFingerprint && !HOST_KEY_FINGERPRINT.test(hostKeyFingerprint)) {
    r.fail('hostKeyFingerprint', 'Expected an SSH SHA-256 fingerprint like SHA256:… (43 characters after the colon). "Test connection" fills it in.');
  }
  const secrets = readSecrets(r, raw, auth);
  if (!r.ok) return { secrets: {}, errors: r.errors };
  const settings: StorageSettings = {
    kind, protocol: protocol!, host: host!, port: port!, user: user!, auth: auth!, folder: folder!, relayUrl: relayUrl!,
  };
  if (caCertificate) settings.caCertificate = caCertificate;
  if (hostKeyFingerprint) settings.hostKeyFingerprint = hostKeyFingerprint;
  return { settings, secrets, errors: [] };
}

function gbOf(bytes: unknown): number | undefined {
  return typeof bytes === 'number' ? bytes / GB : undefined;
}

function readHost(r: FieldReader, value: unknown): string | undefined {
  const host = r.text(value, 'host', 'Host', { required: true, max: 253 });
  if (host === undefined) return undefined;
  if (/^[a-z]+:\/\//i.test(host)) return r.fail('host', 'Enter the host name only, without ftp:// or sftp:// (the protocol is chosen above).');
  if (!HOST_NAME.test(host) && !IPV6.test(host)) return r.fail('host', 'Enter a host name or IP address, e.g. backup.example.com.');
  return host;
}

function readFolder(r: FieldReader, value: unknown): string | undefined {
  const folder = r.text(value, 'folder', 'Folder', { required: true, max: 1024 });
  if (folder === undefined) return undefined;
  if (!folder.startsWith('/')) return r.fail('folder', 'Enter the folder from the server root, starting with /, e.g. /backups/jira.');
  if (folder.split('/').includes('..')) return r.fail('folder', 'The folder may not contain "..".');
  return folder.length > 1 ? folder.replace(/\/+$/, '') : folder;
}

/** The relay carries credentials and backups: HTTPS only, except a relay on this machine (local runs, tests). */
function readRelayUrl(r: FieldReader, value: unknown): string | undefined {
  const text = r.text(value, 'relayUrl', 'Relay URL', { required: true, max: 2048 });
  if (text === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return r.fail('relayUrl', 'Enter the relay address as a full URL, e.g. https://relay.example.com:8443.');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOCAL_HOSTS.has(url.hostname))) {
    return r.fail('relayUrl', 'The relay must be reached over https:// (backups and passwords travel through it).');
  }
  return text.replace(/\/+$/, '');
}

function readSecrets(r: FieldReader, raw: Record<string, unknown>, auth: string | undefined): SecretInput {
  const secrets: SecretInput = {};
  if (auth === 'password') {
    const password = raw.password;
    if (password !== undefined && password !== '') {
      if (typeof password !== 'string' || password.length > 1024) r.fail('password', 'The password must be text of at most 1024 characters.');
      else secrets.password = password;
    }
  }
  if (auth === 'private-key') {
    const key = raw.privateKey;
    if (key !== undefined && key !== '') {
      if (typeof key !== 'string' || !PRIVATE_KEY.test(key)) {
        r.fail('privateKey', 'Paste the whole private key, from -----BEGIN … PRIVATE KEY----- to -----END … PRIVATE KEY-----.');
      } else secrets.privateKey = key.trim() + '\n';
    }
  }
  return secrets;
}
