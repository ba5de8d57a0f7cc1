/** Small, literal test data for the format tests: a site of a few issues, and helpers to build a snapshot. */
import { MemoryStore } from '../../src/adapters/storage/memory-store';
import {
  AttachmentWriter, commitSnapshot, initRepository, sha256Hex, snapshotManifestPath, writeIndexParts, writeRecords,
  type IndexPartRef, type SnapshotDraft, type SnapshotManifest, type SnapshotRecord, type StoredAttachment,
} from '../../src/core/format';
import { encodeManifest, sealManifest } from '../../src/core/format/manifest';
import type { BackupStore } from '../../src/ports/backup-store';

export const T0 = Date.UTC(2026, 10, 26, 2, 0, 0); // 2026-11-26T02:00:00Z

export function memoryStore(maxObjectBytes = 4 * 1024 * 1024): MemoryStore {
  let now = T0;
  return new MemoryStore({ maxObjectBytes, clock: { now: () => now++ } });
}

export function issueRecord(project: string, n: number, summary = `Issue ${n} of ${project}`, attachments: unknown[] = []): SnapshotRecord {
  return {
    type: 'issue',
    id: String(10000 + n),
    key: `${project}-${n}`,
    project,
    updated: '2026-11-25T10:00:00.000+0000',
    data: {
      fields: { summary, status: { name: 'To Do' }, customfield_10019: `0|i0000${n}:`, description: 'x'.repeat(n % 50) },
      comments: [{ id: String(20000 + n), body: `First comment on ${project}-${n}`, author: { accountId: 'abc' } }],
      worklogs: [],
      changelog: [],
      remoteLinks: [],
      watchers: { watchCount: 1 },
      votes: { votes: 0 },
      properties: {},
      attachments: attachments as never,
    },
  };
}

export function projectRecord(key: string): SnapshotRecord {
  return { type: 'project', id: `1${key.length}00`, key, project: key, data: { key, name: `Project ${key}`, components: [], versions: [] } };
}

export function deterministicBytes(size: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    bytes[i] = x & 0xff;
  }
  return bytes;
}

export async function storeAttachment(store: BackupStore, id: string, filename: string, bytes: Uint8Array, pieceSize = 100_000): Promise<StoredAttachment> {
  const writer = new AttachmentWriter(store);
  for (let offset = 0; offset < bytes.byteLength; offset += pieceSize) await writer.append(bytes.subarray(offset, offset + pieceSize));
  return writer.finish({ id, filename, mimeType: 'application/octet-stream', created: '2026-11-20T09:00:00.000+0000' });
}

/** Writes a one-project snapshot the way the engine does: records → index parts → commit. */
export async function writeFullSnapshot(
  store: BackupStore,
  id: string,
  project: string,
  issues: SnapshotRecord[],
  globals: SnapshotRecord[] = [],
): Promise<SnapshotManifest> {
  await initRepository(store);
  const projectWrite = await writeRecords(store, [projectRecord(project), ...issues]);
  const projectIndex = await writeIndexParts(store, projectWrite.entries);
  const globalWrite = await writeRecords(store, globals);
  const globalIndex = await writeIndexParts(store, globalWrite.entries);
  return commitSnapshot(store, draft(id, [{ key: project, issueCount: issues.length, indexParts: projectIndex.parts }], globalIndex.parts,
    projectWrite.bytesWritten + projectIndex.bytesWritten + globalWrite.bytesWritten + globalIndex.bytesWritten));
}

export function draft(
  id: string,
  projects: { key: string; issueCount: number; indexParts: IndexPartRef[] }[],
  globalIndexParts: IndexPartRef[],
  bytesWritten: number,
  incrementalFrom?: string,
): SnapshotDraft {
  return {
    id,
    planId: 'daily',
    planName: 'Daily backup',
    kind: 'extended',
    startedAt: T0,
    finishedAt: T0 + 60_000,
    state: 'complete',
    incrementalFrom,
    projects: projects.map((p) => ({ key: p.key, id: `1${p.key.length}00`, name: `Project ${p.key}`, state: 'complete', issueCount: p.issueCount, indexParts: p.indexParts })),
    globalIndexParts,
    skippedAttachments: [],
    skippedAttachmentCount: 0,
    bytesWritten,
  };
}


/**
 * Stores `manifest` again as a format version 1 app wrote it — projects inline, no project lists — under `id`: the
 * manifests repositories already hold. Totals stay as they were (informative only).
 */
export async function writeVersion1Manifest(store: BackupStore, manifest: SnapshotManifest, id: string): Promise<void> {
  const { manifestSha256: _seal, projectLists: _lists, ...rest } = manifest;
  const bytes = encodeManifest(sealManifest({ ...rest, id, formatVersion: 1 }));
  await store.put(snapshotManifestPath(id), bytes, sha256Hex(bytes));
}
