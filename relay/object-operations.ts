/**
 * The BackupStore semantics on top of a RemoteFileSystem: atomic put (temporary name in the same
 * folder, streamed hash and size, server-side size check, rename into place), reads, recursive
 * listing by prefix that hides temporaries, deletes and renames.
 */
import { createHash, randomBytes } from 'node:crypto';
import { posix } from 'node:path';
import { PassThrough, pipeline, type Readable, Transform, type Writable } from 'node:stream';
import type { PutResponse, RelayObject } from './protocol';
import { checkObjectPath, checkPrefix, serverPath, TEMPORARY_NAME, temporaryNameFor } from './object-path';
import type { RemoteFileSystem } from './remote-fs';
import { RelayError } from './relay-error';

/** Temporaries older than this are left-overs of a crashed relay and are deleted when a listing meets them. */
export const STALE_TEMPORARY_MS = 60 * 60 * 1000;

export interface PutInput {
  path: string;
  size: number;
  sha256: string;
  body: Readable;
  /** Opens a fresh connection to delete the temporary when the first one broke mid-upload. */
  reopen: () => Promise<RemoteFileSystem>;
}

/** Hashes and counts bytes as they stream past, refusing more than `limit`. */
class Meter extends Transform {
  readonly hash = createHash('sha256');
  bytes = 0;
  constructor(private readonly limit: number) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error) => void): void {
    this.bytes += chunk.length;
    if (this.bytes > this.limit) {
      done(new RelayError('invalid', `The request body is longer than the announced size of ${this.limit} bytes.`, false));
      return;
    }
    this.hash.update(chunk);
    done(undefined);
    this.push(chunk);
  }
}

export async function putObject(fs: RemoteFileSystem, input: PutInput): Promise<PutResponse> {
  const path = checkObjectPath(input.path);
  const target = serverPath(fs.root, path);
  const dir = posix.dirname(target);
  const temporary = posix.join(dir, temporaryNameFor(posix.basename(target), randomBytes(6).toString('hex')));
  await step(fs, () => fs.ensureDir(dir), `creating the folder ${posix.dirname(path)}`);

  const meter = new Meter(input.size);
  let bodyError: Error | undefined;
  pipeline(input.body, meter, (error) => {
    if (error) bodyError = error;
  });
  try {
    try {
      await fs.upload(meter, temporary);
    } catch (error) {
      if (bodyError) throw bodyError instanceof RelayError ? bodyError : new RelayError('transient', `The upload of ${path} from the app was cut off after ${meter.bytes} of ${input.size} bytes; it will be retried.`);
      throw fs.classify(error, `uploading ${path}`);
    }
    if (bodyError) throw bodyError instanceof RelayError ? bodyError : new RelayError('transient', `The upload of ${path} from the app was cut off after ${meter.bytes} of ${input.size} bytes; it will be retried.`);
    if (meter.bytes !== input.size) {
      throw new RelayError('transient', `The upload of ${path} ended after ${meter.bytes} of ${input.size} bytes; it will be retried.`);
    }
    const actual = meter.hash.digest('hex');
    if (actual !== input.sha256) {
      throw new RelayError('checksum-mismatch', `The bytes of ${path} hash to ${actual}, not the expected ${input.sha256}; nothing was stored.`, false);
    }
    const stored = await step(fs, () => fs.stat(temporary), `checking the uploaded size of ${path}`);
    if (!stored || stored.size !== input.size) {
      throw new RelayError('transient', `The server holds ${stored?.size ?? 0} of the ${input.size} bytes uploaded for ${path}; it will be retried.`);
    }
    const verified: PutResponse['verified'] = ['size'];
    const serverHash = await fs.serverSha256(temporary).catch(() => undefined);
    if (serverHash !== undefined) {
      if (serverHash !== input.sha256) throw new RelayError('transient', `The server computed SHA-256 ${serverHash} for ${path}, not ${input.sha256}: the bytes were damaged in transit; it will be retried.`);
      verified.push('hash');
    }
    await step(fs, () => fs.rename(temporary, target), `renaming the upload of ${path} into place`);
    return { object: { path, size: input.size, modifiedAt: stored.modifiedAt }, verified };
  } catch (error) {
    await removeTemporary(fs, input.reopen, temporary);
    throw error;
  }
}

async function removeTemporary(fs: RemoteFileSystem, reopen: () => Promise<RemoteFileSystem>, temporary: string): Promise<void> {
  try {
    await fs.remove(temporary);
    return;
  } catch {
    // The connection probably broke with the upload; try once on a fresh one.
  }
  try {
    const fresh = await reopen();
    try {
      await fresh.remove(temporary);
    } finally {
      await fresh.close();
    }
  } catch {
    // Still hidden from listings (dot-name) and swept once stale.
  }
}

async function step<T>(fs: RemoteFileSystem, run: () => Promise<T>, what: string): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw fs.classify(error, what);
  }
}

export async function statObject(fs: RemoteFileSystem, rawPath: unknown): Promise<RelayObject | null> {
  const path = checkObjectPath(rawPath);
  const entry = await step(fs, () => fs.stat(serverPath(fs.root, path)), `reading the size of ${path}`);
  return entry ? { path, size: entry.size, modifiedAt: entry.modifiedAt } : null;
}

/** Resolves with the size once `start` may be called; `start` streams the bytes into `sink`. */
export async function openObjectForRead(fs: RemoteFileSystem, rawPath: unknown): Promise<{ size: number; start: (sink: Writable) => Promise<void> }> {
  const path = checkObjectPath(rawPath);
  const entry = await statObject(fs, path);
  if (!entry) throw new RelayError('not-found', `Object ${path} does not exist in the backup folder.`, false);
  return {
    size: entry.size,
    start: (sink) => step(fs, () => fs.download(serverPath(fs.root, path), sink), `downloading ${path}`),
  };
}

export async function readObject(fs: RemoteFileSystem, path: string): Promise<Buffer> {
  const { start } = await openObjectForRead(fs, path);
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (chunk: Buffer) => chunks.push(chunk));
  await start(sink);
  return Buffer.concat(chunks);
}

export async function deleteObject(fs: RemoteFileSystem, rawPath: unknown): Promise<void> {
  const path = checkObjectPath(rawPath);
  await step(fs, () => fs.remove(serverPath(fs.root, path)), `deleting ${path}`);
}

export async function renameObject(fs: RemoteFileSystem, rawFrom: unknown, rawTo: unknown): Promise<void> {
  const from = checkObjectPath(rawFrom, 'source path');
  const to = checkObjectPath(rawTo, 'target path');
  if (!(await statObject(fs, from))) throw new RelayError('not-found', `Object ${from} does not exist, so it cannot be renamed.`, false);
  const target = serverPath(fs.root, to);
  await step(fs, () => fs.ensureDir(posix.dirname(target)), `creating the folder ${posix.dirname(to)}`);
  await step(fs, () => fs.rename(serverPath(fs.root, from), target), `renaming ${from} to ${to}`);
}

/** Objects under `prefix`, sorted by path, temporaries and other dot-names never included. */
export async function listObjects(fs: RemoteFileSystem, rawPrefix: unknown, now: number): Promise<RelayObject[]> {
  const prefix = checkPrefix(rawPrefix);
  const startDir = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
  const found: RelayObject[] = [];
  const walk = async (relativeDir: string): Promise<void> => {
    const absoluteDir = relativeDir ? serverPath(fs.root, relativeDir) : fs.root;
    const entries = await step(fs, () => fs.list(absoluteDir), `listing ${relativeDir || 'the backup folder'}`);
    for (const entry of entries) {
      const relative = relativeDir ? `${relativeDir}/${entry.name}` : entry.name;
      if (entry.name.startsWith('.')) {
        if (TEMPORARY_NAME.test(entry.name) && entry.modifiedAt !== undefined && now - entry.modifiedAt > STALE_TEMPORARY_MS) {
          await fs.remove(`${absoluteDir}/${entry.name}`).catch(() => undefined);
        }
        continue;
      }
      if (entry.type === 'dir') {
        const asFolder = `${relative}/`;
        if (asFolder.startsWith(prefix) || prefix.startsWith(asFolder)) await walk(relative);
      } else if (entry.type === 'file' && relative.startsWith(prefix)) {
        found.push({ path: relative, size: entry.size, modifiedAt: entry.modifiedAt });
      }
    }
  };
  await walk(startDir);
  return found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

