/**
 * The projects live in project lists, not in the manifest (FORMAT.md §Project lists): a site of thousands of projects
 * commits to a 4 MiB store with a small manifest, reads back the same projects, verifies; damage to a list is named;
 * version 1 manifests (projects inline) still read; rotation and garbage collection treat lists like other objects.
 */
import { StoreError } from '../../src/ports/backup-store';
import {
  collectGarbage, commitSnapshot, deleteSnapshot, FormatError, readIndex, readSnapshot, referencedObjects,
  sha256Hex, snapshotManifestPath, verifySnapshot, writeIndexParts, writeRecords, type ProjectSnapshot, type SnapshotDraft,
} from '../../src/core/format';
import type { MemoryStore } from '../../src/adapters/storage/memory-store';
import { draft, issueRecord, memoryStore, projectRecord, T0, writeFullSnapshot, writeVersion1Manifest } from './fixtures';

const FIRST = '20261126T020000Z-daily';
const SECOND = '20261127T020000Z-daily';
const OLD = '20261125T020000Z-daily';
const MiB = 1024 * 1024;

async function errorOf(promise: Promise<unknown>): Promise<FormatError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(FormatError);
  return error as FormatError;
}

/**
 * 7,000 projects of the size the engine writes (~675 bytes: key, id, name, one index part, some failed with an error).
 * They share one small index part: what is measured here is the project list, not the index.
 */
async function bigSiteDraft(store: MemoryStore): Promise<SnapshotDraft> {
  const records = await writeRecords(store, [projectRecord('P0'), issueRecord('P0', 1)]);
  const [part] = (await writeIndexParts(store, records.entries)).parts;
  const projects: ProjectSnapshot[] = Array.from({ length: 7000 }, (_, i) => ({
    key: `P${i}`,
    id: String(10000 + i),
    name: `Project ${i} of the very large site, with the kind of long name people give projects`,
    state: i % 100 === 7 ? 'failed' : 'complete',
    ...(i % 100 === 7 ? { error: 'Jira answered 503 Service Unavailable while reading issues (after 5 retries)' } : {}),
    issueCount: i * 3,
    indexParts: [part],
  }));
  return { ...draft(FIRST, [], [], records.bytesWritten), state: 'partial', projects };
}

describe('a site with 7,000 projects', () => {
  it('commits to a 4 MiB store with a small manifest, reads back the same projects and verifies', async () => {
    const store = memoryStore(4 * MiB);
    const d = await bigSiteDraft(store);
    // Inline (pretty-printed, as manifests are), the projects alone would not fit in one 4 MiB object.
    expect(JSON.stringify({ projects: d.projects }, null, 2).length).toBeGreaterThan(4 * MiB);

    const committed = await commitSnapshot(store, d);
    const manifestBytes = (await store.get(snapshotManifestPath(FIRST))).byteLength;
    expect(manifestBytes).toBeLessThan(64 * 1024);
    for (const object of await store.list('')) expect(object.size).toBeLessThanOrEqual(4 * MiB);
    const lists = committed.projectLists!;
    expect(lists.length).toBeGreaterThan(1);
    expect(lists.reduce((sum, list) => sum + list.count, 0)).toBe(7000);
    expect(JSON.parse(new TextDecoder().decode(await store.get(snapshotManifestPath(FIRST))))).not.toHaveProperty('projects');

    const read = await readSnapshot(store, FIRST);
    expect(read.projects).toEqual(d.projects); // same projects, same order
    expect(committed.projects).toEqual(d.projects);
    expect(read.totals.objects).toBe(3 + lists.length); // pack, index part, checksum list, and the lists
    // What this run added: what the engine counted, the lists and the manifest itself (measured before its final
    // totals were filled in, so it may be a few bytes short).
    const listBytes = lists.reduce((sum, list) => sum + list.size, 0);
    expect(read.totals.bytesWritten).toBeLessThanOrEqual(d.bytesWritten + listBytes + manifestBytes);
    expect(read.totals.bytesWritten).toBeGreaterThan(d.bytesWritten + listBytes + manifestBytes - 16);
    expect((await readIndex(store, read, { project: 'P6999' })).map((e) => e.key).sort()).toEqual(['P0', 'P0-1']);
    expect(await verifySnapshot(store, FIRST)).toMatchObject({ ok: true, done: true, problems: [] });
    const referenced = await referencedObjects(store, [FIRST]);
    for (const list of lists) expect(referenced.has(list.path)).toBe(true);

    // Redelivered commit: nothing written, the same complete manifest back.
    const puts = store.calls.length;
    expect((await commitSnapshot(store, d)).projects).toEqual(d.projects);
    expect(store.calls.slice(puts).filter((c) => c.operation === 'put')).toEqual([]);
  });

  it('refuses nothing on a small store: lists are cut to fit its object limit', async () => {
    const store = memoryStore(256 * 1024);
    const d = await bigSiteDraft(store);
    const committed = await commitSnapshot(store, d);
    for (const list of committed.projectLists!) expect(list.size).toBeLessThanOrEqual(256 * 1024);
    expect((await readSnapshot(store, FIRST)).projects).toEqual(d.projects);
  });
});

describe('a damaged project list', () => {
  async function committed(): Promise<{ store: MemoryStore; path: string }> {
    const store = memoryStore();
    const manifest = await writeFullSnapshot(store, FIRST, 'ENG', [issueRecord('ENG', 1)]);
    return { store, path: manifest.projectLists![0].path };
  }

  it('is named by the reader and by verify when a byte changed', async () => {
    const { store, path } = await committed();
    const bytes = await store.get(path);
    bytes[bytes.byteLength - 10] ^= 0x01;
    await store.put(path, bytes, sha256Hex(bytes));
    const error = await errorOf(readSnapshot(store, FIRST));
    expect(error).toMatchObject({ code: 'corrupt', path });
    expect(error.message).toContain(path);
    expect(error.message).toContain(`project list of snapshot ${FIRST}`);
    const report = await verifySnapshot(store, FIRST);
    expect(report).toMatchObject({ ok: false, done: true });
    expect(report.problems).toEqual([expect.objectContaining({ kind: 'corrupt', path, stage: 'index' })]);
  });

  it('is named by the reader and by verify when it is gone', async () => {
    const { store, path } = await committed();
    await store.delete(path);
    expect(await errorOf(readSnapshot(store, FIRST))).toMatchObject({ code: 'missing', path });
    expect((await verifySnapshot(store, FIRST)).problems).toEqual([expect.objectContaining({ kind: 'missing', path })]);
  });

  it('refuses a manifest that both lists projects and names lists, or does neither', async () => {
    const store = memoryStore();
    const manifest = await writeFullSnapshot(store, FIRST, 'ENG', [issueRecord('ENG', 1)]);
    const { encodeManifest, sealManifest } = await import('../../src/core/format/manifest');
    for (const [id, changed] of [
      [SECOND, { projects: manifest.projects }],
      [OLD, { projectLists: undefined }],
    ] as const) {
      const { manifestSha256: _seal, projects: _inline, ...rest } = manifest;
      const bytes = encodeManifest(sealManifest({ ...rest, ...changed, id }));
      await store.put(snapshotManifestPath(id), bytes, sha256Hex(bytes));
      expect(await errorOf(readSnapshot(store, id))).toMatchObject({ code: 'corrupt', path: snapshotManifestPath(id) });
    }
  });
});

describe('a version 1 manifest (projects inline)', () => {
  it('still reads, indexes and verifies, with the same projects', async () => {
    const store = memoryStore();
    const manifest = await writeFullSnapshot(store, FIRST, 'ENG', Array.from({ length: 5 }, (_, i) => issueRecord('ENG', i + 1)));
    await writeVersion1Manifest(store, manifest, OLD);
    const stored = JSON.parse(new TextDecoder().decode(await store.get(snapshotManifestPath(OLD))));
    expect(stored).toMatchObject({ formatVersion: 1, projects: [expect.objectContaining({ key: 'ENG' })] });
    expect(stored).not.toHaveProperty('projectLists');

    const old = await readSnapshot(store, OLD);
    expect(old.projects).toEqual(manifest.projects);
    expect(await readIndex(store, old, { project: 'ENG' })).toEqual(await readIndex(store, manifest, { project: 'ENG' }));
    expect(await verifySnapshot(store, OLD)).toMatchObject({ ok: true, recordsChecked: 6 });
    // It names no list, so rotation keeps for it exactly its index and data.
    const referenced = await referencedObjects(store, [OLD]);
    expect([...referenced].filter((p) => p.startsWith('projects/'))).toEqual([]);
    expect(referenced.size).toBe(manifest.totals.objects - 1);
  });
});

describe('rotation and garbage collection', () => {
  it('keep the lists of kept snapshots and delete those of deleted ones and of uncommitted runs', async () => {
    const store = memoryStore();
    const first = await writeFullSnapshot(store, FIRST, 'ENG', [issueRecord('ENG', 1)]);
    const written = await writeRecords(store, [issueRecord('ENG', 2)]);
    const index = await writeIndexParts(store, [...(await readIndex(store, first, { project: 'ENG' })), ...written.entries]);
    const second = await commitSnapshot(store, draft(SECOND, [{ key: 'ENG', issueCount: 2, indexParts: index.parts }], first.globalIndexParts, 0));
    const [firstList, secondList] = [first.projectLists![0].path, second.projectLists![0].path];
    expect(firstList).not.toBe(secondList);

    // A run that died at the manifest's put leaves its list behind, unreferenced.
    const dying = Object.create(store) as MemoryStore;
    dying.put = async (path, data, sha) => {
      if (path.startsWith('snapshots/')) throw new StoreError('unreachable', 'relay went away');
      return store.put(path, data, sha);
    };
    const crashed = draft('20261128T020000Z-daily', [{ key: 'ENG', issueCount: 3, indexParts: index.parts }], [], 0);
    await expect(commitSnapshot(dying, crashed)).rejects.toThrow('relay went away');
    const orphans = (await store.list('projects/')).map((o) => o.path).filter((p) => p !== firstList && p !== secondList);
    expect(orphans).toHaveLength(1);

    await deleteSnapshot(store, FIRST, [SECOND]);
    expect(await store.stat(firstList)).toBeUndefined();
    expect(await store.stat(secondList)).toBeDefined();

    expect(await collectGarbage(store, { keepModifiedSince: T0 + 1e9 })).toMatchObject({ done: true });
    expect((await store.list('projects/')).map((o) => o.path)).toEqual([secondList]);
    expect((await readSnapshot(store, SECOND)).projects).toEqual(second.projects);
    expect(await verifySnapshot(store, SECOND)).toMatchObject({ ok: true });
  });
});
