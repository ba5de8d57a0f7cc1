/**
 * The two primitives every other file uses: write a content-addressed object (skipping the upload when it is
 * already there — that is what makes snapshots physically incremental), and read an object while checking
 * its SHA-256 (every read, no exceptions).
 */
import type { BackupStore } from '../../ports/backup-store';
import { StoreError } from '../../ports/backup-store';
import { FormatError } from './errors';
import { sha256Hex } from './hashing';
import { objectPath, type ObjectKind } from './layout';

export interface WrittenObject {
  path: string;
  sha256: string;
  size: number;
  /** Bytes actually sent to the store: 0 when the object already existed. */
  bytesWritten: number;
}

/**
 * Stores `data` under its content address. With `skipIfPresent` an object that already exists with the right
 * size is not sent again (worth a stat for attachment chunks, which repeat across snapshots; packs and index
 * parts are new almost every time, and a repeated put of the same bytes is harmless).
 */
export async function putContentObject(
  store: BackupStore,
  kind: ObjectKind,
  data: Uint8Array,
  options: { skipIfPresent?: boolean } = {},
): Promise<WrittenObject> {
  const sha256 = sha256Hex(data);
  const path = objectPath(kind, sha256);
  if (data.byteLength > store.properties.maxObjectBytes) {
    throw new FormatError('too-large', `${path} is ${data.byteLength} bytes, more than ${store.properties.description} accepts (${store.properties.maxObjectBytes}).`, path);
  }
  const existing = options.skipIfPresent ? await store.stat(path) : undefined;
  if (existing && existing.size === data.byteLength && (existing.sha256 === undefined || existing.sha256 === sha256)) {
    return { path, sha256, size: data.byteLength, bytesWritten: 0 };
  }
  await store.put(path, data, sha256);
  return { path, sha256, size: data.byteLength, bytesWritten: data.byteLength };
}

/** The object's bytes, after checking they hash to `expectedSha256`. `context` says what needed it, for the message. */
export async function getVerified(store: BackupStore, path: string, expectedSha256: string, context?: string): Promise<Uint8Array> {
  const data = await getExisting(store, path, context);
  const actual = sha256Hex(data);
  if (actual !== expectedSha256) {
    throw new FormatError(
      'corrupt',
      `${path} is corrupt: its SHA-256 is ${actual}, expected ${expectedSha256}${context ? ` (${context})` : ''}. ` +
        'Run verify on your snapshots to see which ones are affected; restore from a snapshot that verifies.',
      path,
    );
  }
  return data;
}

/** The object's bytes, turning the store's not-found into a FormatError that names what is missing. */
export async function getExisting(store: BackupStore, path: string, context?: string): Promise<Uint8Array> {
  try {
    return await store.get(path);
  } catch (error) {
    if (error instanceof StoreError && error.code === 'not-found') {
      throw new FormatError(
        'missing',
        `${path} is missing from ${store.properties.description}${context ? ` (${context})` : ''}. ` +
          'Something deleted it outside the app; run verify to see which snapshots are affected.',
        path,
      );
    }
    throw error;
  }
}
