/**
 * Attachment bytes: cut into chunks of at most the chunk size, each stored once at `blobs/<aa>/<sha256>` however
 * many issues and snapshots reference it. Reading checks every chunk, the total size and the whole-file hash.
 */
import { createHash, type Hash } from 'node:crypto';
import type { BackupStore } from '../../ports/backup-store';
import { DEFAULT_CHUNK_BYTES } from './constants';
import { FormatError } from './errors';
import { findMissingObjects } from './existence';
import { blobPath } from './layout';
import { getVerified, putContentObject } from './object-io';
import type { AttachmentMeta, BlobRef, StoredAttachment } from './types';

/** The chunk size for this store: the format's default, or less when the store's objects must be smaller. */
export function attachmentChunkBytes(store: BackupStore): number {
  return Math.min(DEFAULT_CHUNK_BYTES, store.properties.maxObjectBytes);
}

/** Stores one chunk (skipped when the store already holds it). */
export async function writeAttachmentChunk(store: BackupStore, bytes: Uint8Array): Promise<BlobRef & { bytesWritten: number }> {
  if (bytes.byteLength > attachmentChunkBytes(store)) {
    throw new FormatError('invalid', `An attachment chunk of ${bytes.byteLength} bytes is larger than the chunk size ${attachmentChunkBytes(store)}; cut it first (AttachmentWriter does).`);
  }
  const written = await putContentObject(store, 'blob', bytes, { skipIfPresent: true });
  return { sha256: written.sha256, size: written.size, bytesWritten: written.bytesWritten };
}

/**
 * Streams one attachment into chunks: `append` the bytes as they arrive (e.g. per HTTP Range response), then
 * `finish` with the attachment's metadata. Holds at most one chunk in memory. It lives within one invocation:
 * a hash in progress cannot be checkpointed, so an attachment interrupted half-way is started again (the chunks
 * already stored are not uploaded twice).
 */
export class AttachmentWriter {
  private readonly hash: Hash = createHash('sha256');
  private readonly chunkBytes: number;
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private readonly chunks: BlobRef[] = [];
  private total = 0;
  bytesWritten = 0;

  constructor(private readonly store: BackupStore) {
    this.chunkBytes = attachmentChunkBytes(store);
  }

  async append(bytes: Uint8Array): Promise<void> {
    this.hash.update(bytes);
    this.total += bytes.byteLength;
    let offset = 0;
    while (offset < bytes.byteLength) {
      const take = Math.min(this.chunkBytes - this.pendingBytes, bytes.byteLength - offset);
      this.pending.push(bytes.subarray(offset, offset + take));
      this.pendingBytes += take;
      offset += take;
      if (this.pendingBytes === this.chunkBytes) await this.flush();
    }
  }

  async finish(meta: Omit<StoredAttachment, 'sha256' | 'chunks' | 'size'>): Promise<StoredAttachment> {
    await this.flush();
    return { ...meta, size: this.total, sha256: this.hash.digest('hex'), chunks: this.chunks };
  }

  private async flush(): Promise<void> {
    if (this.pendingBytes === 0) return;
    const chunk = Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    const ref = await writeAttachmentChunk(this.store, chunk);
    this.bytesWritten += ref.bytesWritten;
    this.chunks.push({ sha256: ref.sha256, size: ref.size });
  }
}

export function isStoredAttachment(meta: AttachmentMeta): meta is StoredAttachment {
  return !('skipped' in meta) && Array.isArray((meta as StoredAttachment).chunks);
}

/**
 * True when every chunk of an attachment stored by an earlier snapshot is still in the store, so an incremental
 * run can reuse its metadata instead of downloading the attachment again (Jira attachments never change).
 */
export async function attachmentChunksPresent(store: BackupStore, meta: StoredAttachment): Promise<boolean> {
  const expected = meta.chunks.map((chunk) => ({ path: blobPath(chunk.sha256), size: chunk.size }));
  return (await findMissingObjects(store, expected)).length === 0;
}

/** Yields the attachment's verified chunks in order, then checks the total size and the whole-file SHA-256. */
export async function* readAttachmentChunks(store: BackupStore, meta: StoredAttachment): AsyncGenerator<Uint8Array> {
  const hash = createHash('sha256');
  let total = 0;
  for (const chunk of meta.chunks) {
    const bytes = await getVerified(store, blobPath(chunk.sha256), chunk.sha256, `attachment ${meta.id} ${meta.filename}`);
    hash.update(bytes);
    total += bytes.byteLength;
    yield bytes;
  }
  const sha256 = hash.digest('hex');
  if (total !== meta.size || sha256 !== meta.sha256) {
    throw new FormatError(
      'corrupt',
      `Attachment ${meta.id} (${meta.filename}) reassembles to ${total} bytes with SHA-256 ${sha256}, but its metadata says ${meta.size} bytes, ${meta.sha256}. Run verify on this snapshot.`,
    );
  }
}

/** The whole attachment in memory (fine for small files; restore should stream readAttachmentChunks). */
export async function readAttachment(store: BackupStore, meta: AttachmentMeta): Promise<Uint8Array> {
  if (!isStoredAttachment(meta)) {
    throw new FormatError('missing', `Attachment ${meta.id} (${meta.filename}) is not in this snapshot: ${meta.skipped}.`);
  }
  const parts: Uint8Array[] = [];
  for await (const chunk of readAttachmentChunks(store, meta)) parts.push(chunk);
  return Buffer.concat(parts);
}
