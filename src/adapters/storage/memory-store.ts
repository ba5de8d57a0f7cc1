/**
 * An in-memory BackupStore: the reference behaviour the conformance suite is written against, and the
 * store engine tests use. It copies bytes in and out so a caller mutating its buffer cannot change
 * what was stored, and it can be told to fail on purpose (quota, faults) to exercise error paths.
 */
import {
  BackupStore,
  BackupStoreProperties,
  StoreError,
  StoredObject,
  StoreUsage,
} from '../../ports/backup-store';
import type { Clock } from '../../ports/clock';
import { checkListPrefix, checkObjectPath, checkSha256Hex } from './object-path';
import { sha256Hex } from './sha256';

export interface MemoryStoreOptions {
  /** Largest accepted object; default 64 MiB. */
  maxObjectBytes?: number;
  /** When set, put() refuses with 'quota-exceeded' once stored bytes would pass it. */
  quotaBytes?: number;
  /** Source of modifiedAt; without one, objects carry no modifiedAt. */
  clock?: Clock;
  description?: string;
}

export type MemoryStoreOperation = 'put' | 'get' | 'stat' | 'list' | 'delete' | 'usage';

interface Entry {
  data: Uint8Array;
  sha256: string;
  modifiedAt?: number;
}

export class MemoryStore implements BackupStore {
  readonly properties: BackupStoreProperties;
  private readonly objects = new Map<string, Entry>();
  private readonly faults: { operation: MemoryStoreOperation; error: Error; remaining: number }[] = [];
  /** Every call in order, for tests that assert what the engine did (e.g. "no put after the manifest"). */
  readonly calls: { operation: MemoryStoreOperation; path?: string }[] = [];

  constructor(private readonly options: MemoryStoreOptions = {}) {
    this.properties = {
      maxObjectBytes: options.maxObjectBytes ?? 64 * 1024 * 1024,
      description: options.description ?? 'Memory',
    };
  }

  /** The next `times` calls of `operation` throw `error` (before doing anything). */
  failNext(operation: MemoryStoreOperation, error: Error, times = 1): void {
    this.faults.push({ operation, error, remaining: times });
  }

  async put(path: string, data: Uint8Array, sha256: string): Promise<void> {
    this.enter('put', path);
    checkObjectPath(path);
    checkSha256Hex(sha256);
    if (data.byteLength > this.properties.maxObjectBytes) {
      throw new StoreError('too-large', `Object ${path} is ${data.byteLength} bytes; this store accepts at most ${this.properties.maxObjectBytes}.`, false);
    }
    const actual = sha256Hex(data);
    if (actual !== sha256) {
      throw new StoreError('checksum-mismatch', `Object ${path}: the bytes hash to ${actual}, not the expected ${sha256}; nothing was stored.`, false);
    }
    const existing = this.objects.get(path);
    if (existing && existing.sha256 === sha256) return; // idempotent re-delivery
    const quota = this.options.quotaBytes;
    if (quota !== undefined) {
      const after = this.usedBytes() - (existing?.data.byteLength ?? 0) + data.byteLength;
      if (after > quota) {
        throw new StoreError('quota-exceeded', `Storing ${path} (${data.byteLength} bytes) would use ${after} of the ${quota}-byte quota.`, false);
      }
    }
    this.objects.set(path, { data: Uint8Array.from(data), sha256, modifiedAt: this.options.clock?.now() });
  }

  async get(path: string): Promise<Uint8Array> {
    this.enter('get', path);
    checkObjectPath(path);
    const entry = this.objects.get(path);
    if (!entry) throw new StoreError('not-found', `Object ${path} does not exist in ${this.properties.description}.`, false);
    return Uint8Array.from(entry.data);
  }

  async stat(path: string): Promise<StoredObject | undefined> {
    this.enter('stat', path);
    checkObjectPath(path);
    const entry = this.objects.get(path);
    return entry ? describe(path, entry) : undefined;
  }

  async list(prefix: string): Promise<StoredObject[]> {
    this.enter('list', prefix);
    checkListPrefix(prefix);
    return [...this.objects.entries()]
      .filter(([path]) => path.startsWith(prefix))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([path, entry]) => describe(path, entry));
  }

  async delete(path: string): Promise<void> {
    this.enter('delete', path);
    checkObjectPath(path);
    this.objects.delete(path);
  }

  async usage(): Promise<StoreUsage> {
    this.enter('usage');
    const usage: StoreUsage = { usedBytes: this.usedBytes(), objectCount: this.objects.size };
    if (this.options.quotaBytes !== undefined) usage.quotaBytes = this.options.quotaBytes;
    return usage;
  }

  private usedBytes(): number {
    let total = 0;
    for (const entry of this.objects.values()) total += entry.data.byteLength;
    return total;
  }

  private enter(operation: MemoryStoreOperation, path?: string): void {
    this.calls.push({ operation, path });
    const fault = this.faults.find((f) => f.operation === operation && f.remaining > 0);
    if (fault) {
      fault.remaining -= 1;
      if (fault.remaining === 0) this.faults.splice(this.faults.indexOf(fault), 1);
      throw fault.error;
    }
  }
}

function describe(path: string, entry: Entry): StoredObject {
  const object: StoredObject = { path, size: entry.data.byteLength, sha256: entry.sha256 };
  if (entry.modifiedAt !== undefined) object.modifiedAt = entry.modifiedAt;
  return object;
}
