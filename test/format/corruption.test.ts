/**
 * Damage in the store is found on every read and by verify, with a message that names the object.
 * Corruption is simulated the way a disk or a careless admin would do it: replace an object's bytes in place.
 */
import {
  blobPath, FormatError, readAttachment, readIndex, readRecord, readSnapshot, snapshotManifestPath, verifySnapshot,
  type SnapshotManifest, type StoredAttachment,
} from '../../src/core/format';
import type { MemoryStore } from '../../src/adapters/storage/memory-store';
import { sha256Hex } from '../../src/core/format';
import { deterministicBytes, issueRecord, memoryStore, storeAttachment, writeFullSnapshot } from './fixtures';

const ID = '20261126T020000Z-daily';

async function setup(): Promise<{ store: MemoryStore; manifest: SnapshotManifest; attachment: StoredAttachment }> {
  const store = memoryStore();
  const attachment = await storeAttachment(store, '30001', 'log.txt', deterministicBytes(5 * 1024 * 1024, 3));
  const issues = [issueRecord('ENG', 1, 'With attachment', [attachment]), ...Array.from({ length: 20 }, (_, i) => issueRecord('ENG', i + 2))];
  const manifest = await writeFullSnapshot(store, ID, 'ENG', issues);
  return { store, manifest, attachment };
}

async function flipByte(store: MemoryStore, path: string, at = 20): Promise<void> {
  const bytes = await store.get(path);
  bytes[at % bytes.byteLength] ^= 0x01;
  await store.put(path, bytes, sha256Hex(bytes)); // the store accepts it: only the format knows the name is a promise
}

async function errorOf(promise: Promise<unknown>): Promise<FormatError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(FormatError);
  return error as FormatError;
}

describe('corruption is detected and named', () => {
  it('a flipped byte in a pack fails the record read and verify, naming the pack', async () => {
    const { store, manifest } = await setup();
    const entries = await readIndex(store, manifest);
    const entry = entries.find((e) => e.key === 'ENG-5')!;
    await flipByte(store, entry.pack);

    const error = await errorOf(readRecord(store, entry));
    expect(error.code).toBe('corrupt');
    expect(error.path).toBe(entry.pack);
    expect(error.message).toContain(entry.pack);
    expect(error.message).toMatch(/run verify/i);

    const report = await verifySnapshot(store, ID);
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([expect.objectContaining({ kind: 'corrupt', path: entry.pack })]);
  });

  it('a flipped byte in an attachment chunk fails the attachment read and verify, naming the chunk', async () => {
    const { store, attachment } = await setup();
    const chunk = blobPath(attachment.chunks[1].sha256);
    await flipByte(store, chunk, 1000);

    const error = await errorOf(readAttachment(store, attachment));
    expect(error).toMatchObject({ code: 'corrupt', path: chunk });
    expect(error.message).toContain('attachment 30001 log.txt');

    const report = await verifySnapshot(store, ID);
    expect(report.problems.map((p) => [p.kind, p.path])).toEqual([['corrupt', chunk]]);
  });

  it('a flipped byte in an index part fails reading the index and verify', async () => {
    const { store, manifest } = await setup();
    const part = manifest.projects[0].indexParts[0].path;
    await flipByte(store, part);

    expect(await errorOf(readIndex(store, manifest, { project: 'ENG' }))).toMatchObject({ code: 'corrupt', path: part });
    const report = await verifySnapshot(store, ID);
    expect(report).toMatchObject({ ok: false, done: true });
    expect(report.problems[0]).toMatchObject({ kind: 'corrupt', path: part });
  });

  it('an edited manifest is refused (its self-hash no longer matches)', async () => {
    const { store } = await setup();
    const path = snapshotManifestPath(ID);
    const original = new TextDecoder().decode(await store.get(path));
    const text = original.replace('"state": "complete"', '"state": "partial"');
    expect(text).not.toBe(original);
    const bytes = new TextEncoder().encode(text);
    await store.put(path, bytes, sha256Hex(bytes));

    const error = await errorOf(readSnapshot(store, ID));
    expect(error).toMatchObject({ code: 'corrupt', path });
    expect(error.message).toMatch(/altered/);
    expect((await verifySnapshot(store, ID)).problems[0]).toMatchObject({ kind: 'corrupt', path });
  });

  it('an index entry whose record hash does not match its line is refused', async () => {
    const { store, manifest } = await setup();
    const [entry] = await readIndex(store, manifest);
    const error = await errorOf(readRecord(store, { ...entry, sha256: '0'.repeat(64) }));
    expect(error.message).toContain(`line ${entry.line} of ${entry.pack}`);
    expect(error.message).toContain('0'.repeat(64));
    const other = await errorOf(readRecord(store, { ...entry, line: 999 }));
    expect(other.message).toMatch(/only \d+ lines/);
  });

  it('a deleted pack or chunk is reported as missing by reads and by verify', async () => {
    const { store, manifest, attachment } = await setup();
    const [entry] = await readIndex(store, manifest);
    await store.delete(entry.pack);
    const chunk = blobPath(attachment.chunks[0].sha256);
    await store.delete(chunk);

    expect(await errorOf(readRecord(store, entry))).toMatchObject({ code: 'missing', path: entry.pack });
    expect(await errorOf(readAttachment(store, attachment))).toMatchObject({ code: 'missing', path: chunk });
    for (const readData of [true, false]) {
      const report = await verifySnapshot(store, ID, { readData });
      expect(report.problems.map((p) => [p.kind, p.path]).sort()).toEqual([['missing', chunk], ['missing', entry.pack]].sort());
    }
  });

  it('attachment metadata that does not match the reassembled bytes is refused', async () => {
    const { store, attachment } = await setup();
    const error = await errorOf(readAttachment(store, { ...attachment, size: attachment.size + 1 }));
    expect(error.message).toMatch(/reassembles to 5242880 bytes/);
  });
});
