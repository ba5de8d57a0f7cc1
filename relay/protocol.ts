/**
 * The wire contract between the app (src/adapters/storage/relay-store.ts, via Forge invokeRemote) and
 * the delivery relay. Plain types and constants only, so both sides import the same definition.
 * relay/README.md explains it in prose.
 *
 * Every request: HTTPS POST to `/v1/<operation>`, `authorization: Bearer <Forge Invocation Token>`,
 * and header `x-relay-request` = base64url(JSON of the operation's request, connection included).
 * `put` streams the object's raw bytes as the body; `get` answers with raw bytes; everything else
 * answers JSON. Failures answer JSON `{ error: { code, message, retryable } }`.
 */

export const RELAY_REQUEST_HEADER = 'x-relay-request';
/** On `get` answers: the object's size, so the app can spot a truncated body. */
export const RELAY_SIZE_HEADER = 'x-relay-object-size';
export const RELAY_API_PREFIX = '/v1/';

export type RelayProtocol = 'ftp' | 'ftps-explicit' | 'ftps-implicit' | 'sftp';

/** Where and how to connect: sent with every request; the relay keeps none of it afterwards. */
export interface RelayConnection {
  protocol: RelayProtocol;
  host: string;
  port: number;
  user: string;
  /** FTP/FTPS/SFTP password; for SFTP either this or privateKey. */
  password?: string;
  /** SFTP private key, OpenSSH or PEM text. */
  privateKey?: string;
  /**
   * The private key's passphrase, when it is encrypted. Without it (or with a wrong one) the relay answers `auth-failed`
   * with a message naming the passphrase, before connecting. Ignored for unencrypted keys.
   */
  passphrase?: string;
  /** The repository folder on the server: absolute, or relative to the login directory. Created if absent. */
  folder: string;
  /** FTPS: PEM of the CA (or the self-signed certificate) that signed the server's certificate. */
  caCertificate?: string;
  /** SFTP: `SHA256:<base64>`; when given, every connection whose host key differs is refused. */
  hostKeyFingerprint?: string;
}

export type RelayErrorCode =
  | 'unauthorized'
  | 'not-found'
  | 'checksum-mismatch'
  | 'too-large'
  | 'auth-failed'
  | 'permission-denied'
  | 'disk-full'
  | 'unreachable'
  | 'tls-failed'
  | 'host-key-mismatch'
  | 'transient'
  | 'invalid';

export interface RelayErrorBody {
  error: { code: RelayErrorCode; message: string; retryable: boolean };
}

export interface RelayObject {
  path: string;
  size: number;
  /** Epoch ms where the server reports it. */
  modifiedAt?: number;
}

export interface PutRequest {
  connection: RelayConnection;
  path: string;
  /** Exact body length; the relay refuses a body of any other length. */
  size: number;
  /** Lower-case hex SHA-256 of the body; checked before the object is renamed into place. */
  sha256: string;
}
export interface PutResponse {
  object: RelayObject;
  /** How the upload was verified beyond the streamed hash: 'size' always, 'hash' where the server computes one. */
  verified: ('size' | 'hash')[];
}

export interface PathRequest {
  connection: RelayConnection;
  path: string;
}
export interface StatResponse {
  object: RelayObject | null;
}
export interface ListRequest {
  connection: RelayConnection;
  prefix: string;
}
export interface ListResponse {
  objects: RelayObject[];
}
export interface RenameRequest {
  connection: RelayConnection;
  from: string;
  to: string;
}
export interface OkResponse {
  ok: true;
}

export interface TestConnectionRequest {
  connection: RelayConnection;
}
export interface TestStep {
  /** connect, tls, host-key, login, folder, create, rename, read, list, delete */
  name: string;
  ok: boolean;
  message: string;
}
export interface TestConnectionResponse {
  ok: boolean;
  steps: TestStep[];
  /** SFTP: the server's host key, to show the admin and pin when they save. */
  hostKeyFingerprint?: string;
  /** FTPS: the certificate the server presented. */
  certificate?: { subject: string; issuer: string; validTo: string; fingerprint256: string };
}

export type RelayOperation = 'put' | 'get' | 'stat' | 'list' | 'delete' | 'rename' | 'test-connection';

export interface RelayRequestByOperation {
  put: PutRequest;
  get: PathRequest;
  stat: PathRequest;
  list: ListRequest;
  delete: PathRequest;
  rename: RenameRequest;
  'test-connection': TestConnectionRequest;
}

export function encodeRelayRequest(request: unknown): string {
  return Buffer.from(JSON.stringify(request), 'utf8').toString('base64url');
}

export function decodeRelayRequest(header: string): unknown {
  return JSON.parse(Buffer.from(header, 'base64url').toString('utf8'));
}
