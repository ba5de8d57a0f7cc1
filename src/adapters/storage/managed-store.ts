/**
 * Managed storage: snapshot objects in the Forge Object Store, and a catalog in KVS because the
 * Object Store cannot list. The catalog entry is the commit point: an object becomes visible only
 * once its bytes are uploaded, verified by the Object Store (size + SHA-256) and catalogued, so a
 * crash in between leaves nothing visible (at worst unreferenced bytes that the next put overwrites).
 * A per-site quota is checked before any byte is uploaded.
 */
import { objectStore } from '@forge/object-store';
import {
  BackupStore,
  BackupStoreProperties,
  StoreError,
  StoredObject,
  StoreUsage,
} from '../../ports/backup-store';
import type { Clock } from '../../ports/clock';
import type { KeyValue } from '../../ports/key-value';
import { DEFAULT_QUOTA_BYTES } from '../../core/plans/plan';
import { forgeKeyValue } from './forge-key-value';
import { checkListPrefix, checkObjectPath, checkSha256Hex } from './object-path';
import { hexToBase64, sha256Hex } from './sha256';

/** The Object Store's own limit is 1 GB; objects are held in memory by the engine, so we stay well below. */
export const DEFAULT_MANAGED_MAX_OBJECT_BYTES = 256 * 1024 * 1024;
const UPLOAD_URL_TTL_SECONDS = 600;

export interface ManagedStoreOptions {
  /** Separates independent stores (e.g. per test); default 'backups'. [A-Za-z0-9_-] only. */
  namespace?: string;
  quotaBytes?: number;
  maxObjectBytes?: number;
  keyValue?: KeyValue;
  clock?: Clock;
  /** For the presigned upload/download URLs; default global fetch. */
  fetch?: typeof fetch;
}

interface CatalogEntry {
  size: number;
  sha256: string;
  modifiedAt?: number;
}

interface UsageRecord {
  usedBytes: number;
}

/** KVS keys cannot hold '/': object paths map '/' to '#', which object paths never contain. */
export function catalogKey(namespace: string, path: string): string {
  return `backup-store:${namespace}:o:${path.replace(/\//g, '#')}`;
}

function pathFromCatalogKey(prefixLength: number, key: string): string {
  return key.slice(prefixLength).replace(/#/g, '/');
}

function formatBytes(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(1)} ${units[unit]}`;
}

export class ManagedStore implements BackupStore {
  readonly properties: BackupStoreProperties;
  private readonly namespace: string;
  private readonly quotaBytes: number;
  private readonly kv: KeyValue;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: ManagedStoreOptions = {}) {
    this.namespace = options.namespace ?? 'backups';
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(this.namespace)) {
      throw new StoreError('invalid', `Managed store namespace "${this.namespace}" must be 1–64 of [A-Za-z0-9_-].`, false);
    }
    this.quotaBytes = options.quotaBytes ?? DEFAULT_QUOTA_BYTES;
    this.properties = { maxObjectBytes: options.maxObjectBytes ?? DEFAULT_MANAGED_MAX_OBJECT_BYTES, description: 'Managed storage' };
    this.kv = options.keyValue ?? forgeKeyValue();
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
  }

  async put(path: string, data: Uint8Array, sha256: string): Promise<void> {
    checkObjectPath(path);
    checkSha256Hex(sha256);
    if (data.byteLength > this.properties.maxObjectBytes) {
      throw new StoreError('too-large', `Object ${path} is ${data.byteLength} bytes; managed storage accepts at most ${this.properties.maxObjectBytes} per object.`, false);
    }
    const actual = sha256Hex(data);
    if (actual !== sha256) {
      throw new StoreError('checksum-mismatch', `Object ${path}: the bytes hash to ${actual}, not the expected ${sha256}; nothing was stored.`, false);
    }
    const key = catalogKey(this.namespace, path);
    const existing = await this.kv.get<CatalogEntry>(key);
    if (existing && existing.sha256 === sha256 && existing.size === data.byteLength) return; // at-least-once re-delivery

    // The quota check reads this store's own running counter, never the control panel's cached figure
    // (src/core/usage): that one may be a day old, or not yet include a backup that just finished, so it can
    // under-state use and would let a backup run past the quota. The counter moves in the same KVS transaction as
    // every catalog entry, so it includes every committed put and delete. Its one weakness: KVS has no
    // compare-and-set, so two puts at the same instant can each add to the same old value and lose one addition
    // (an under-count of at most one object each). The background recount repairs it — after every backup and at
    // least daily — and only when no put or delete moved it during the count (usage() below), so a repair never
    // writes back a figure older than the puts it raced with.
    const used = (await this.kv.get<UsageRecord>(this.usageKey()))?.usedBytes ?? 0;
    const after = used - (existing?.size ?? 0) + data.byteLength;
    if (after > this.quotaBytes) {
      throw new StoreError(
        'quota-exceeded',
        `Managed storage is full: storing ${path} (${formatBytes(data.byteLength)}) would use ${formatBytes(after)} of the site's ${formatBytes(this.quotaBytes)} quota. ` +
          'Keep fewer snapshots (rotation), exclude attachments or projects, or raise the quota. Nothing was deleted.',
        false,
      );
    }

    await this.upload(path, data, sha256);
    const entry: CatalogEntry = { size: data.byteLength, sha256 };
    const modifiedAt = this.options.clock?.now();
    if (modifiedAt !== undefined) entry.modifiedAt = modifiedAt;
    // Catalog entry and usage counter move together; re-read the counter to keep concurrent puts' drift small.
    const current = (await this.kv.get<UsageRecord>(this.usageKey()))?.usedBytes ?? 0;
    await this.kv.transact([
      { op: 'set', key, value: entry },
      { op: 'set', key: this.usageKey(), value: { usedBytes: Math.max(0, current - (existing?.size ?? 0) + data.byteLength) } },
    ]);
  }

  async get(path: string): Promise<Uint8Array> {
    checkObjectPath(path);
    const entry = await this.kv.get<CatalogEntry>(catalogKey(this.namespace, path));
    if (!entry) throw new StoreError('not-found', `Object ${path} does not exist in managed storage.`, false);
    const grant = await this.call(() => objectStore.createDownloadUrl(this.objectKey(path)), `preparing the download of ${path}`);
    if (!grant) throw new StoreError('not-found', `Object ${path} is catalogued but its bytes are missing from the Object Store; the snapshot that needs it cannot be restored.`, false);
    const response = await this.call(() => this.fetchImpl(grant.url), `downloading ${path}`);
    if (!response.ok) throw new StoreError(response.status >= 500 ? 'transient' : 'invalid', `Downloading ${path} from the Object Store answered HTTP ${response.status}.`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (bytes.byteLength !== entry.size) throw new StoreError('transient', `Downloading ${path} returned ${bytes.byteLength} of ${entry.size} bytes.`);
    return bytes;
  }

  async stat(path: string): Promise<StoredObject | undefined> {
    checkObjectPath(path);
    const entry = await this.kv.get<CatalogEntry>(catalogKey(this.namespace, path));
    return entry ? describe(path, entry) : undefined;
  }

  async list(prefix: string): Promise<StoredObject[]> {
    checkListPrefix(prefix);
    const keyPrefix = catalogKey(this.namespace, '');
    const found: StoredObject[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.kv.list<CatalogEntry>(catalogKey(this.namespace, prefix), { cursor, limit: 100 });
      for (const { key, value } of page.entries) found.push(describe(pathFromCatalogKey(keyPrefix.length, key), value));
      cursor = page.nextCursor;
    } while (cursor);
    // '#' sorts differently from '/', so order by the real paths.
    return found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  async delete(path: string): Promise<void> {
    checkObjectPath(path);
    const key = catalogKey(this.namespace, path);
    const entry = await this.kv.get<CatalogEntry>(key);
    if (!entry) {
      // Not visible, but bytes may remain from an earlier delete that stopped after uncataloguing, or from
      // an upload that never committed: remove them too (deleting an absent object is not an error).
      await objectStore.delete(this.objectKey(path)).catch(() => undefined);
      return;
    }
    // Uncatalogue first: from here on nobody sees the object, even if deleting the bytes fails.
    const used = (await this.kv.get<UsageRecord>(this.usageKey()))?.usedBytes ?? 0;
    await this.kv.transact([
      { op: 'delete', key },
      { op: 'set', key: this.usageKey(), value: { usedBytes: Math.max(0, used - entry.size) } },
    ]);
    await this.call(() => objectStore.delete(this.objectKey(path)), `deleting the bytes of ${path}`);
  }

  /**
   * A short-lived link an admin's browser can download the object from (Object Store presigned GET, valid
   * up to an hour). Only catalogued objects get one, so an upload that never committed cannot be fetched.
   */
  async downloadUrl(path: string): Promise<string> {
    checkObjectPath(path);
    if (!(await this.kv.get<CatalogEntry>(catalogKey(this.namespace, path)))) {
      throw new StoreError('not-found', `Object ${path} does not exist in managed storage.`, false);
    }
    const grant = await this.call(() => objectStore.createDownloadUrl(this.objectKey(path)), `preparing the download of ${path}`);
    if (!grant?.url) throw new StoreError('not-found', `Object ${path} is catalogued but its bytes are missing from the Object Store.`, false);
    return grant.url;
  }

  /**
   * Exact usage from the whole catalog (KVS pages of 100: background work, never a page load); also repairs the
   * running counter that the quota check reads — unless a put or delete moved the counter while the catalog was
   * read, since the count may then miss that object and writing it back would make the quota check under-count.
   */
  async usage(): Promise<StoreUsage> {
    const before = await this.kv.get<UsageRecord>(this.usageKey());
    const objects = await this.list('');
    const usedBytes = objects.reduce((sum, object) => sum + object.size, 0);
    const counter = await this.kv.get<UsageRecord>(this.usageKey());
    if (counter?.usedBytes !== usedBytes && counter?.usedBytes === before?.usedBytes) await this.kv.set(this.usageKey(), { usedBytes });
    return { usedBytes, quotaBytes: this.quotaBytes, objectCount: objects.length };
  }

  private async upload(path: string, data: Uint8Array, sha256: string): Promise<void> {
    const key = this.objectKey(path);
    const grant = await this.call(
      () => objectStore.createUploadUrl({ key, length: data.byteLength, checksum: hexToBase64(sha256), checksumType: 'SHA256', overwrite: true, ttlSeconds: UPLOAD_URL_TTL_SECONDS }),
      `preparing the upload of ${path}`,
    );
    if (!grant) throw new StoreError('transient', `The Object Store gave no upload URL for ${path}.`);
    const response = await this.call(() => this.fetchImpl(grant.url, { method: 'PUT', body: data as unknown as BodyInit }), `uploading ${path}`);
    if (!response.ok) {
      const text = (await response.text().catch(() => '')).slice(0, 200);
      if (/BadDigest|checksum/i.test(text)) throw new StoreError('checksum-mismatch', `The Object Store refused ${path}: its checksum did not match (${text}).`, false);
      throw new StoreError(response.status >= 500 || response.status === 429 ? 'transient' : 'invalid', `Uploading ${path} to the Object Store answered HTTP ${response.status} ${text}`);
    }
    const stored = await this.call(() => objectStore.get(key), `checking the upload of ${path}`);
    if (!stored || stored.size !== data.byteLength) {
      throw new StoreError('transient', `The Object Store holds ${stored?.size ?? 0} of the ${data.byteLength} bytes uploaded for ${path}.`);
    }
  }

  private async call<T>(run: () => Promise<T>, what: string): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof StoreError) throw error;
      const status = (error as { responseDetails?: { status?: number } }).responseDetails?.status;
      const retryable = status === undefined || status >= 500 || status === 429;
      throw new StoreError(retryable ? 'transient' : 'invalid', `Managed storage failed while ${what}: ${(error as Error).message}`, retryable);
    }
  }

  private objectKey(path: string): string {
    return `${this.namespace}/${path}`;
  }

  private usageKey(): string {
    return `backup-store:${this.namespace}:usage`;
  }
}

function describe(path: string, entry: CatalogEntry): StoredObject {
  const object: StoredObject = { path, size: entry.size, sha256: entry.sha256 };
  if (entry.modifiedAt !== undefined) object.modifiedAt = entry.modifiedAt;
  return object;
}
