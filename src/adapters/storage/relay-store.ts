/**
 * BackupStore on the customer's FTP / FTPS / SFTP server, through the delivery relay (relay/README.md).
 * The connection settings and the secret travel with every request, because the relay keeps nothing;
 * the app holds the secret in Forge secret storage and hands it to this constructor.
 * Transient failures (relay unreachable, broken connections, 421/426) are retried here with backoff,
 * because only the app still has the bytes of a failed upload; permanent ones surface at once.
 */
import {
  BackupStore,
  BackupStoreProperties,
  StoreError,
  StoreErrorCode,
  StoredObject,
  StoreUsage,
} from '../../ports/backup-store';
import type { StorageSettings } from '../../core/plans/plan';
import {
  encodeRelayRequest,
  RELAY_REQUEST_HEADER,
  RELAY_SIZE_HEADER,
  type ListResponse,
  type RelayConnection,
  type RelayErrorBody,
  type RelayObject,
  type RelayOperation,
  type RelayRequestByOperation,
  type StatResponse,
  type TestConnectionResponse,
} from '../../../relay/protocol';
import { checkListPrefix, checkObjectPath, checkSha256Hex } from './object-path';
import { forgeRelayInvoker, type RelayHttpResponse, type RelayInvoker } from './relay-invoker';

export interface RelayRetryPolicy {
  attempts: number;
  /** Milliseconds to wait before retry n (1-based). */
  delayMs(retry: number): number;
}

export const DEFAULT_RELAY_RETRY: RelayRetryPolicy = { attempts: 4, delayMs: (retry) => Math.min(1000 * 2 ** (retry - 1), 8000) };
/**
 * Objects are sent as one invokeRemote request body. Forge caps an invocation's payload at 5 MB (forge-platform.md §3;
 * whether the cap covers remote calls is not documented), so packs and attachment chunks for the relay stay at 4 MiB.
 */
export const DEFAULT_RELAY_MAX_OBJECT_BYTES = 4 * 1024 * 1024;

export interface RelayStoreOptions {
  connection: RelayConnection;
  invoke?: RelayInvoker;
  maxObjectBytes?: number;
  retry?: RelayRetryPolicy;
  sleep?: (ms: number) => Promise<void>;
}

type RemoteSettings = Extract<StorageSettings, { kind: 'remote' }>;

/**
 * The relay's connection settings from the saved storage settings plus the secret from secret storage, and the
 * private key's passphrase when the key is encrypted (sent only with key sign-in, like the key itself).
 */
export function relayConnectionFrom(settings: RemoteSettings, secret: string, passphrase?: string): RelayConnection {
  return {
    protocol: settings.protocol,
    host: settings.host,
    port: settings.port,
    user: settings.user,
    folder: settings.folder,
    ...(settings.auth === 'private-key' ? { privateKey: secret, ...(passphrase ? { passphrase } : {}) } : { password: secret }),
    ...(settings.caCertificate ? { caCertificate: settings.caCertificate } : {}),
    ...(settings.hostKeyFingerprint ? { hostKeyFingerprint: settings.hostKeyFingerprint } : {}),
  };
}

const PROTOCOL_NAMES: Record<RelayConnection['protocol'], string> = { ftp: 'FTP', 'ftps-explicit': 'FTPS', 'ftps-implicit': 'FTPS (implicit)', sftp: 'SFTP' };
const STORE_CODES = new Set<StoreErrorCode>(['not-found', 'quota-exceeded', 'checksum-mismatch', 'too-large', 'auth-failed', 'permission-denied', 'disk-full', 'unreachable', 'tls-failed', 'host-key-mismatch', 'transient', 'invalid']);

export class RelayStore implements BackupStore {
  readonly properties: BackupStoreProperties;
  private readonly invoke: RelayInvoker;
  private readonly retry: RelayRetryPolicy;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: RelayStoreOptions) {
    const c = options.connection;
    this.properties = {
      maxObjectBytes: options.maxObjectBytes ?? DEFAULT_RELAY_MAX_OBJECT_BYTES,
      description: `${PROTOCOL_NAMES[c.protocol]} ${c.host}:${c.port}:${c.folder}`,
    };
    this.invoke = options.invoke ?? forgeRelayInvoker();
    this.retry = options.retry ?? DEFAULT_RELAY_RETRY;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async put(path: string, data: Uint8Array, sha256: string): Promise<void> {
    checkObjectPath(path);
    checkSha256Hex(sha256);
    if (data.byteLength > this.properties.maxObjectBytes) {
      throw new StoreError('too-large', `Object ${path} is ${data.byteLength} bytes; ${this.properties.description} accepts at most ${this.properties.maxObjectBytes} per object.`, false);
    }
    await this.call('put', { connection: this.options.connection, path, size: data.byteLength, sha256 }, data);
  }

  async get(path: string): Promise<Uint8Array> {
    checkObjectPath(path);
    return this.withRetry(async () => {
      const response = await this.send('get', { connection: this.options.connection, path });
      const body = new Uint8Array(await response.arrayBuffer());
      const announced = Number(response.headers.get(RELAY_SIZE_HEADER));
      if (Number.isFinite(announced) && response.headers.get(RELAY_SIZE_HEADER) !== null && announced !== body.byteLength) {
        throw new StoreError('transient', `Reading ${path} through the relay returned ${body.byteLength} of ${announced} bytes (the transfer broke).`);
      }
      return body;
    });
  }

  async stat(path: string): Promise<StoredObject | undefined> {
    checkObjectPath(path);
    const { object } = (await this.call('stat', { connection: this.options.connection, path })) as StatResponse;
    return object ? toStored(object) : undefined;
  }

  async list(prefix: string): Promise<StoredObject[]> {
    checkListPrefix(prefix);
    const { objects } = (await this.call('list', { connection: this.options.connection, prefix })) as ListResponse;
    return objects.map(toStored);
  }

  async delete(path: string): Promise<void> {
    checkObjectPath(path);
    await this.call('delete', { connection: this.options.connection, path });
  }

  /** Renames within the repository, replacing the target (not part of BackupStore; for repairs and tools). */
  async rename(from: string, to: string): Promise<void> {
    checkObjectPath(from);
    checkObjectPath(to);
    await this.call('rename', { connection: this.options.connection, from, to });
  }

  async usage(): Promise<StoreUsage> {
    // The customer's server has no quota we can read; what we use is what we hold. One relay request, but the relay
    // lists every folder of the repository on the server: background work only (src/core/usage recountUsage).
    const objects = await this.list('');
    return { usedBytes: objects.reduce((sum, o) => sum + o.size, 0), objectCount: objects.length };
  }

  /** The admin's "Test connection": one attempt, every step reported (never throws for server problems). */
  async testConnection(): Promise<TestConnectionResponse> {
    const response = await this.send('test-connection', { connection: this.options.connection });
    return JSON.parse(await response.text()) as TestConnectionResponse;
  }

  private async call<O extends RelayOperation>(operation: O, request: RelayRequestByOperation[O], body?: Uint8Array): Promise<unknown> {
    return this.withRetry(async () => {
      const response = await this.send(operation, request, body);
      return JSON.parse(await response.text()) as unknown;
    });
  }

  private async withRetry<T>(run: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await run();
      } catch (error) {
        if (!(error instanceof StoreError) || !error.retryable || attempt >= this.retry.attempts) throw error;
        await this.sleep(this.retry.delayMs(attempt));
      }
    }
  }

  /** One request; a non-2xx answer becomes the StoreError the relay described. */
  private async send(operation: RelayOperation, request: unknown, body?: Uint8Array): Promise<RelayHttpResponse> {
    const headers: Record<string, string> = { [RELAY_REQUEST_HEADER]: encodeRelayRequest(request) };
    if (body) headers['content-type'] = 'application/octet-stream';
    let response: RelayHttpResponse;
    try {
      response = await this.invoke(`/v1/${operation}`, { method: 'POST', headers, body });
    } catch (error) {
      throw new StoreError('unreachable', `The delivery relay could not be reached (${(error as Error).message}). Check that the relay is running and its URL is approved for this site.`);
    }
    if (response.status >= 200 && response.status < 300) return response;
    throw await errorFrom(response, operation);
  }
}

async function errorFrom(response: RelayHttpResponse, operation: string): Promise<StoreError> {
  const text = await response.text().catch(() => '');
  let parsed: RelayErrorBody | undefined;
  try {
    parsed = JSON.parse(text) as RelayErrorBody;
  } catch {
    parsed = undefined;
  }
  const error = parsed?.error;
  if (response.status === 401 || error?.code === 'unauthorized') {
    return new StoreError(
      'auth-failed',
      "The delivery relay refused the app's invocation token (401). Check that the relay's --audience is this app's id and that its --jwks-url points at Forge's JWKS.",
      false,
    );
  }
  if (error && STORE_CODES.has(error.code as StoreErrorCode)) {
    return new StoreError(error.code as StoreErrorCode, error.message, error.retryable);
  }
  const retryable = response.status >= 500 || response.status === 429;
  return new StoreError(
    retryable ? 'transient' : 'invalid',
    `The delivery relay answered ${operation} with HTTP ${response.status} ${text.slice(0, 200)}`.trim(),
    retryable,
  );
}

function toStored(object: RelayObject): StoredObject {
  const stored: StoredObject = { path: object.path, size: object.size };
  if (object.modifiedAt !== undefined) stored.modifiedAt = object.modifiedAt;
  return stored;
}
