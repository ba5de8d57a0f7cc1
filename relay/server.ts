/**
 * The relay's HTTPS front: verifies the Forge Invocation Token on every request before anything else,
 * decodes the operation from `x-relay-request`, opens one connection to the customer's server for
 * this request only, runs the operation and closes the connection. Nothing is written to the relay's
 * disk and nothing outlives the request. Protocol: relay/protocol.ts and relay/README.md.
 */
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FitRejected, type FitVerifier } from './fit-verifier';
import { checkConnection } from './connection-settings';
import { checkObjectPath, checkPrefix } from './object-path';
import { deleteObject, listObjects, openObjectForRead, putObject, renameObject, statObject } from './object-operations';
import { DEFAULT_CONNECT_RETRY, openRemote, type RetryPolicy } from './open-remote';
import {
  decodeRelayRequest,
  RELAY_API_PREFIX,
  RELAY_REQUEST_HEADER,
  RELAY_SIZE_HEADER,
  type RelayConnection,
  type RelayErrorBody,
  type RelayOperation,
} from './protocol';
import { ConnectionPool, type Lease } from './connection-pool';
import { HTTP_STATUS, RelayError } from './relay-error';
import { testConnection } from './test-connection';

export const DEFAULT_MAX_OBJECT_BYTES = 256 * 1024 * 1024;
export const DEFAULT_IDLE_MS = 10_000;

export interface RelayServerOptions {
  tls: { key: string | Buffer; cert: string | Buffer };
  verifyFit: FitVerifier;
  maxObjectBytes?: number;
  connectRetry?: RetryPolicy;
  /** How long an idle server session may be reused by the next request with identical settings; 0 = never. */
  idleMs?: number;
  /** When given, the only servers (host names or addresses, as the settings spell them) the relay connects to. */
  allowedHosts?: string[];
  /** One structured line per request; never receives secrets or object bytes. */
  log?: (line: Record<string, unknown>) => void;
  now?: () => Date;
}

const OPERATIONS: RelayOperation[] = ['put', 'get', 'stat', 'list', 'delete', 'rename', 'test-connection'];

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  res.end(text);
}

function sendError(res: ServerResponse, error: RelayError): void {
  const body: RelayErrorBody = { error: { code: error.code, message: error.message, retryable: error.retryable } };
  if (res.headersSent) {
    res.destroy(error); // mid-stream: the app sees a cut body and a size mismatch
    return;
  }
  sendJson(res, HTTP_STATUS[error.code], body);
}

export function createRelayServer(options: RelayServerOptions): Server {
  const maxObjectBytes = options.maxObjectBytes ?? DEFAULT_MAX_OBJECT_BYTES;
  const now = options.now ?? (() => new Date());
  const log = options.log ?? ((line) => console.log(JSON.stringify(line)));
  const retry = options.connectRetry ?? DEFAULT_CONNECT_RETRY;
  const allowedHosts = options.allowedHosts?.length ? new Set(options.allowedHosts.map((h) => h.toLowerCase())) : undefined;
  const pool = new ConnectionPool((connection) => openRemote(connection, retry), options.idleMs ?? DEFAULT_IDLE_MS);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = Date.now();
    const operation = (req.url ?? '').startsWith(RELAY_API_PREFIX) ? (req.url ?? '').slice(RELAY_API_PREFIX.length).split('?')[0] : '';
    try {
      await options.verifyFit(req.headers.authorization);
    } catch (error) {
      // A signed token from a site this relay does not serve: its ids (not secrets) are logged so the admin
      // can copy them into --installation-id / --cloud-id from the first attempt.
      const installation = error instanceof FitRejected ? error.installation : undefined;
      log({ event: 'refused', reason: (error as Error).message, operation, remote: req.socket.remoteAddress, ...(installation ? { installationId: installation.installationId, cloudId: installation.cloudId } : {}) });
      // No detail for the caller: a prober learns nothing about which check failed.
      sendJson(res, 401, { error: { code: 'unauthorized', message: 'Unauthorized', retryable: false } } satisfies RelayErrorBody);
      return;
    }
    let lease: Lease | undefined;
    let reusable = false;
    try {
      if (req.method !== 'POST' || !OPERATIONS.includes(operation as RelayOperation)) {
        throw new RelayError('invalid', `Unknown operation ${req.method} ${req.url}: use POST ${RELAY_API_PREFIX}{${OPERATIONS.join('|')}}.`, false);
      }
      const request = parseRequestHeader(req.headers[RELAY_REQUEST_HEADER]);
      const connection = checkConnection(request.connection);
      if (allowedHosts && !allowedHosts.has(connection.host.toLowerCase())) {
        throw new RelayError('invalid', `This relay does not connect to ${connection.host}: ask the relay's admin to add --allow-host ${connection.host}, or use one of the servers it allows.`, false);
      }

      if (operation === 'test-connection') {
        sendJson(res, 200, await testConnection(connection, now));
        return;
      }
      // Every field is checked before a connection is opened: bad input never costs a login.
      checkFields(operation as RelayOperation, request);
      if (operation === 'put') checkPutHeader(req, request, maxObjectBytes);

      lease = await pool.acquire(connection);
      const fs = lease.fs;
      switch (operation as Exclude<RelayOperation, 'test-connection'>) {
        case 'put': {
          const reopen = async () => (await openRemote(connection, { attempts: 1, delayMs: () => 0 })).fs;
          sendJson(res, 200, await putObject(fs, { path: request.path as string, size: request.size as number, sha256: request.sha256 as string, body: req, reopen }));
          break;
        }
        case 'get': {
          const object = await openObjectForRead(fs, request.path);
          res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': object.size, [RELAY_SIZE_HEADER]: String(object.size), 'cache-control': 'no-store' });
          await object.start(res);
          res.end();
          break;
        }
        case 'stat':
          sendJson(res, 200, { object: await statObject(fs, request.path) });
          break;
        case 'list':
          sendJson(res, 200, { objects: await listObjects(fs, request.prefix, now().getTime()) });
          break;
        case 'delete':
          await deleteObject(fs, request.path);
          sendJson(res, 200, { ok: true });
          break;
        case 'rename':
          await renameObject(fs, request.from, request.to);
          sendJson(res, 200, { ok: true });
          break;
      }
      reusable = true;
      log({ event: 'done', operation, path: request.path ?? request.prefix, host: connection.host, ms: Date.now() - started });
    } catch (error) {
      const failure = error instanceof RelayError ? error : new RelayError('transient', `Relay failure: ${(error as Error).message}`);
      // A refusal (not found, permission, checksum) leaves the session healthy; anything else may have broken it.
      reusable = ['not-found', 'permission-denied', 'checksum-mismatch', 'invalid', 'too-large'].includes(failure.code) && operation !== 'put';
      log({ event: 'failed', operation, code: failure.code, message: failure.message, ms: Date.now() - started });
      sendError(res, failure);
    } finally {
      await lease?.release(reusable && !res.destroyed);
    }
  };

  const server = createServer({ key: options.tls.key, cert: options.tls.cert, maxHeaderSize: 64 * 1024 }, (req, res) => {
    void handle(req, res);
  });
  // Large objects on slow links: Node's default 5-minute request timeout would cut them.
  server.requestTimeout = 15 * 60 * 1000;
  server.on('close', () => void pool.closeAll());
  return server;
}

type DecodedRequest = Record<string, unknown> & { connection?: RelayConnection };

function parseRequestHeader(header: string | string[] | undefined): DecodedRequest {
  if (typeof header !== 'string' || header.length === 0) {
    throw new RelayError('invalid', `Missing ${RELAY_REQUEST_HEADER} header (base64url JSON with the connection and the operation's fields).`, false);
  }
  try {
    const decoded = decodeRelayRequest(header);
    if (typeof decoded !== 'object' || decoded === null) throw new Error('not an object');
    return decoded as DecodedRequest;
  } catch (error) {
    throw new RelayError('invalid', `The ${RELAY_REQUEST_HEADER} header is not base64url JSON (${(error as Error).message}).`, false);
  }
}

function checkFields(operation: RelayOperation, request: DecodedRequest): void {
  if (operation === 'list') checkPrefix(request.prefix);
  else if (operation === 'rename') {
    checkObjectPath(request.from, 'source path');
    checkObjectPath(request.to, 'target path');
  } else if (operation !== 'test-connection') checkObjectPath(request.path);
}

function checkPutHeader(req: IncomingMessage, request: DecodedRequest, maxObjectBytes: number): void {
  const size = request.size;
  if (!Number.isInteger(size) || (size as number) < 0) throw new RelayError('invalid', 'put needs "size": the exact byte length of the body.', false);
  if ((size as number) > maxObjectBytes) {
    throw new RelayError('too-large', `The object is ${size} bytes; this relay accepts at most ${maxObjectBytes} per object (--max-object-bytes).`, false);
  }
  if (typeof request.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(request.sha256)) {
    throw new RelayError('invalid', 'put needs "sha256": the lower-case hex SHA-256 of the body.', false);
  }
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) !== size) {
    throw new RelayError('invalid', `The body is ${declared} bytes but "size" says ${size}.`, false);
  }
}

export interface RunningRelay {
  server: Server;
  url: string;
  port: number;
  close: () => Promise<void>;
}

export function listen(server: Server, port: number, host: string): Promise<RunningRelay> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = server.address() as AddressInfo;
      const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
      resolve({
        server,
        port: address.port,
        url: `https://${shownHost}:${address.port}`,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
