/**
 * Where snapshot objects live: managed storage (Forge Object Store + KVS catalog), or the customer's
 * FTP / FTPS / SFTP server through the delivery relay, or memory (tests). Paths are relative,
 * '/'-separated, e.g. `data/ab/ab12….jsonl.gz`. One conformance suite (test/storage) holds every backend to this contract.
 */
export interface BackupStore {
  readonly properties: BackupStoreProperties;
  /**
   * Stores `data` under `path` atomically: a reader sees the whole object or nothing, never a partial one.
   * `sha256` (lower-case hex of `data`) is checked by the backend before the object becomes visible.
   * Writing a path that already holds the same bytes succeeds (idempotent: events are delivered at least once).
   */
  put(path: string, data: Uint8Array, sha256: string): Promise<void>;
  /** The object's bytes; throws StoreError('not-found') when absent. Callers verify hashes (the format layer does). */
  get(path: string): Promise<Uint8Array>;
  stat(path: string): Promise<StoredObject | undefined>;
  /** Objects whose path starts with `prefix`, temporaries never included, sorted by path. */
  list(prefix: string): Promise<StoredObject[]>;
  /** Deleting an absent object succeeds. */
  delete(path: string): Promise<void>;
  /**
   * Bytes and objects used, and the quota where the backend has one (managed storage): a full count, which on a large
   * repository is slow (every folder listed). Background work only; the control panel reads src/core/usage's cached figure.
   */
  usage(): Promise<StoreUsage>;
}

export interface BackupStoreProperties {
  /** The largest object `put` accepts (the relay's request limit, the Object Store's 1 GB, …). */
  maxObjectBytes: number;
  /** A name for messages and the control panel: "Managed storage", "SFTP sftp.example.com:/backups", … */
  description: string;
}

export interface StoredObject {
  path: string;
  size: number;
  sha256?: string;
  /** Epoch ms, where the backend knows it. */
  modifiedAt?: number;
}

export interface StoreUsage {
  usedBytes: number;
  quotaBytes?: number;
  /** How many objects the bytes are spread over (temporaries excluded); absent where a backend cannot tell. */
  objectCount?: number;
}

export type StoreErrorCode =
  | 'not-found'
  | 'quota-exceeded'
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

/** A storage failure with a code the engine can act on and a message an admin can act on. */
export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    /** True when retrying the same call later may succeed. */
    readonly retryable = code === 'transient' || code === 'unreachable',
  ) {
    super(message);
    this.name = 'StoreError';
  }
}
