/** Checks the connection settings that arrive with every request, so a typo fails with a clear message instead of a socket error. */
import type { RelayConnection, RelayProtocol } from './protocol';
import { RelayError } from './relay-error';

const PROTOCOLS: RelayProtocol[] = ['ftp', 'ftps-explicit', 'ftps-implicit', 'sftp'];

function invalid(message: string): RelayError {
  return new RelayError('invalid', `Connection settings: ${message}`, false);
}

function optionalString(value: unknown, field: string, max: number): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || value.length > max) throw invalid(`${field} must be text of at most ${max} characters.`);
  return value;
}

export function checkConnection(value: unknown): RelayConnection {
  if (typeof value !== 'object' || value === null) throw invalid('missing; send { protocol, host, port, user, folder, … }.');
  const c = value as Record<string, unknown>;
  if (!PROTOCOLS.includes(c.protocol as RelayProtocol)) throw invalid(`protocol must be one of ${PROTOCOLS.join(', ')}.`);
  if (typeof c.host !== 'string' || !/^[A-Za-z0-9.\-:\[\]]{1,253}$/.test(c.host)) throw invalid('host must be a host name or IP address.');
  if (!Number.isInteger(c.port) || (c.port as number) < 1 || (c.port as number) > 65535) throw invalid('port must be a whole number from 1 to 65535.');
  if (typeof c.user !== 'string' || c.user.length === 0 || c.user.length > 256) throw invalid('user must be given.');
  const folder = optionalString(c.folder, 'folder', 1024) ?? '.';
  if (folder.split('/').includes('..')) throw invalid('folder must not contain "..".');
  const connection: RelayConnection = {
    protocol: c.protocol as RelayProtocol,
    host: c.host,
    port: c.port as number,
    user: c.user,
    folder,
    password: optionalString(c.password, 'password', 1024),
    privateKey: optionalString(c.privateKey, 'privateKey', 32 * 1024),
    passphrase: optionalString(c.passphrase, 'passphrase', 1024),
    caCertificate: optionalString(c.caCertificate, 'caCertificate', 64 * 1024),
    hostKeyFingerprint: optionalString(c.hostKeyFingerprint, 'hostKeyFingerprint', 200),
  };
  if (connection.protocol !== 'sftp' && connection.privateKey) throw invalid('a private key works only with SFTP; FTP and FTPS log in with a password.');
  if (connection.protocol === 'sftp' && !connection.privateKey && !connection.password) throw invalid('SFTP needs a password or a private key.');
  if (connection.hostKeyFingerprint && !/^SHA256:[A-Za-z0-9+/]{43}=?$/.test(connection.hostKeyFingerprint)) {
    throw invalid('hostKeyFingerprint must look like "SHA256:" followed by 43 base64 characters (as ssh-keygen -lf shows it).');
  }
  return connection;
}
