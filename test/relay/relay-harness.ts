/**
 * One relay + one real server set per test file: starts vsftpd/sshd (test/servers), a relay on a free
 * port trusting a local FIT key, and gives a small HTTPS client that speaks the relay protocol.
 */
import { request } from 'node:https';
import { encodeRelayRequest, RELAY_REQUEST_HEADER, type RelayConnection, type RelayProtocol } from '../../relay/protocol';
import { startTestServers, type TestServers } from '../servers/test-servers';
import { createFitIssuer, TEST_APP_ARI, TEST_CLOUD_ID, TEST_INSTALLATION_ID, type FitIssuer } from './fit-keys';
import { startRelayProcess, type RelayProcess } from './relay-process';

export interface RelayHarness {
  servers: TestServers;
  relay: RelayProcess;
  issuer: FitIssuer;
  /** Connection settings for one backend, rooted at `folder` (absolute). */
  connection(kind: BackendKind, folder: string): RelayConnection;
  call(operation: string, fields: Record<string, unknown>, options?: { body?: Buffer; token?: string | null }): Promise<RelayReply>;
  stop(): Promise<void>;
}

export const RELAY_MAX_OBJECT_BYTES = 8 * 1024 * 1024;

/** `sftp-key-passphrase`: the key encrypted with a passphrase; not in BACKENDS, its own tests use it. */
export type BackendKind = 'ftp' | 'ftps-explicit' | 'ftps-implicit' | 'sftp-password' | 'sftp-key' | 'sftp-key-passphrase';
export const BACKENDS: BackendKind[] = ['ftp', 'ftps-explicit', 'ftps-implicit', 'sftp-password', 'sftp-key'];

export interface RelayReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  json: () => any;
}

export function httpsCall(url: string, ca: string, method: string, headers: Record<string, string>, body?: Buffer): Promise<RelayReply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: { ...headers, ...(body ? { 'content-length': String(body.length) } : {}) }, ca, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const data = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: data, json: () => JSON.parse(data.toString('utf8')) });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

export async function startRelayHarness(): Promise<RelayHarness> {
  const servers = await startTestServers();
  const issuer = createFitIssuer();
  let relay: RelayProcess;
  try {
    relay = await startRelayProcess({ jwks: issuer.jwks, audience: TEST_APP_ARI, site: { installationId: TEST_INSTALLATION_ID, cloudId: TEST_CLOUD_ID }, extraArgs: ['--max-object-bytes', String(RELAY_MAX_OBJECT_BYTES)] });
  } catch (error) {
    await servers.stop();
    throw error;
  }
  const protocolOf: Record<BackendKind, RelayProtocol> = {
    ftp: 'ftp', 'ftps-explicit': 'ftps-explicit', 'ftps-implicit': 'ftps-implicit', 'sftp-password': 'sftp', 'sftp-key': 'sftp', 'sftp-key-passphrase': 'sftp',
  };
  return {
    servers,
    relay,
    issuer,
    connection(kind, folder) {
      const address = kind === 'ftps-implicit' ? servers.ftpsImplicit : kind.startsWith('sftp') ? servers.sftp : servers.ftp;
      const connection: RelayConnection = { protocol: protocolOf[kind], host: address.host, port: address.port, user: servers.user, folder };
      if (kind === 'sftp-key') connection.privateKey = servers.clientPrivateKey;
      else if (kind === 'sftp-key-passphrase') Object.assign(connection, servers.clientEncryptedKey);
      else connection.password = servers.password;
      if (kind.startsWith('ftps')) connection.caCertificate = servers.caCertificate;
      if (kind.startsWith('sftp')) connection.hostKeyFingerprint = servers.sftp.hostKeyFingerprint;
      return connection;
    },
    async call(operation, fields, options = {}) {
      const token = options.token === undefined ? issuer.sign() : options.token;
      const headers: Record<string, string> = { [RELAY_REQUEST_HEADER]: encodeRelayRequest(fields) };
      if (token !== null) headers.authorization = `Bearer ${token}`;
      if (options.body) headers['content-type'] = 'application/octet-stream';
      return httpsCall(`${relay.url}/v1/${operation}`, relay.ca, 'POST', headers, options.body);
    },
    async stop() {
      await relay.stop();
      await servers.stop();
    },
  };
}
