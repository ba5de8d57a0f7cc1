/**
 * Logically full, physically incremental: a second snapshot after 1% of issues changed writes only those records
 * (plus a compact index), reads back complete on its own, and survives the deletion of the first.
 */
import {
  AttachmentWriter, attachmentChunksPresent, carryOver, collectGarbage, commitSnapshot, deleteSnapshot, listSnapshotIds, mergeIndexParts, readIndex, readIndexEntries,
  readRecords, readSnapshot, recordKey, referencedObjects, verifySnapshot, writeIndexParts, writeRecords,
  type IndexEntry, type SnapshotManifest, type SnapshotRecord, type StoredAttachment,
} from '../../src/core/format';
import type { MemoryStore } from '../../src/adapters/storage/memory-store';
import { deterministicBytes, draft, issueRecord, memoryStore, projectRecord, storeAttachment, T0, writeFullSnapshot } from './fixtures';

const FIRST = '20261126T020000Z-daily';
const SECOND = '20261127T020000Z-daily';

async function allRecords(store: MemoryStore, manifest: SnapshotManifest): Promise<Map<string, SnapshotRecord>> {
  const records = new Map<string, SnapshotRecord>();
  for await (const { record } of readRecords(store, await readIndex(store, manifest))) records.set(recordKey(record), record);
  return records;
}

function putsUnder(store: MemoryStore, from: number, prefix: string): string[] {
  return store.calls.slice(from).filter((c) => c.operation === 'put' && c.path!.startsWith(prefix)).map((c) => c.path!);
}

describe('an incremental snapshot', () => {
  const issues = Array.from({ length: 1000 }, (_, i) => issueRecord('ENG', i + 1));
  const globals: SnapshotRecord[] = [{ type: 'priority', id: '1', data: { name: 'Highest' } }, { type: 'user', id: 'abc', data: { displayName: 'Ada' } }];

  it('writes only what changed, reads back in full, and keeps working when the first snapshot is deleted', async () => {
    const store = memoryStore();
    const first = await writeFullSnapshot(store, FIRST, 'ENG', issues, globals);

    // What the engine does on the next run: re-read 10 changed issues, 2 unchanged ones (the watermark's
    // safety margin), 1 new one; learn that ENG-500 was deleted.
    const start = store.calls.length;
    const previous = new Map<string, IndexEntry>((await readIndex(store, first, { project: 'ENG' })).map((e) => [recordKey(e), e]));
    const changed = issues.slice(0, 10).map((issue) => issueRecord('ENG', Number(issue.key!.split('-')[1]), `Edited ${issue.key}`));
    const refetched = [...changed, issues[10], issues[11], issueRecord('ENG', 1001)];
    const written = await writeRecords(store, refetched, { previousEntry: (key) => previous.get(key) });
    expect(written.packs.map((p) => p.records)).toEqual([11]);
    const delta = await writeIndexParts(store, written.entries);
    const projectIndex = await carryOver(store, first.projects[0].indexParts, { changedParts: delta.parts, deletedKeys: ['issue/10500'] });
    expect(projectIndex).toMatchObject({ carried: 990, changed: 11, deleted: 1, compacted: false });
    // The new index is the old one plus one small layer of 11 entries and 1 tombstone.
    expect(projectIndex.parts.slice(0, -1)).toEqual(first.projects[0].indexParts);
    expect(projectIndex.parts[projectIndex.parts.length - 1].entries).toBe(12);
    const globalIndex = await carryOver(store, first.globalIndexParts, {});
    expect(globalIndex).toMatchObject({ parts: first.globalIndexParts, bytesWritten: 0 });
    const second = await commitSnapshot(store, {
      ...draft(SECOND, [{ key: 'ENG', issueCount: 1000, indexParts: projectIndex.parts }], globalIndex.parts,
        written.bytesWritten + delta.bytesWritten + projectIndex.bytesWritten, FIRST),
      startedAt: first.startedAt + 86_400_000, finishedAt: first.finishedAt + 86_400_000,
    });

    // Physically incremental: one new pack of 11 records; no global index rewritten; bytes a small fraction.
    expect(putsUnder(store, start, 'packs/')).toEqual([written.packs[0].path]);
    expect(putsUnder(store, start, 'blobs/')).toEqual([]);
    // Index parts written: this run's step part, and the layer carry-over appended. The first run's are shared.
    expect(putsUnder(store, start, 'indexes/')).toEqual([...delta.parts, ...projectIndex.parts.slice(-1)].map((p) => p.path));
    expect(second.totals.bytesWritten).toBeLessThan(first.totals.bytesWritten * 0.1); // manifest included
    expect(written.bytesWritten).toBeLessThan(first.totals.bytesWritten * 0.03);
    expect(second.totals.bytesReferenced).toBeGreaterThan(first.totals.bytesReferenced);

    // Logically full: each snapshot reads back as exactly its own site.
    const expectedFirst = new Map([projectRecord('ENG'), ...issues, ...globals].map((r) => [recordKey(r), r]));
    const expectedSecond = new Map(expectedFirst);
    for (const record of [...changed, issueRecord('ENG', 1001)]) expectedSecond.set(recordKey(record), record);
    expectedSecond.delete('issue/10500');
    expect(await allRecords(store, first)).toEqual(expectedFirst);
    expect(await allRecords(store, second)).toEqual(expectedSecond);
    expect((await verifySnapshot(store, FIRST)).ok).toBe(true);
    expect((await verifySnapshot(store, SECOND)).ok).toBe(true);

    // Deleting the first keeps everything the second needs, and removes what only the first used.
    const onlyFirst = [...(await referencedObjects(store, [FIRST]))];
    const neededBySecond = await referencedObjects(store, [SECOND]);
    const result = await deleteSnapshot(store, FIRST, [SECOND]);
    expect(result.deletedObjects).toBe(onlyFirst.filter((p) => !neededBySecond.has(p)).length);
    // The second snapshot shares every layer and pack of the first; only the first's project list (other counts) goes.
    expect(result.deletedObjects).toBe(1);
    expect(await listSnapshotIds(store)).toEqual([SECOND]);
    // The step's own index part was merged into the layer: it is garbage, collected once it is old enough.
    const stepObjects = delta.parts.flatMap((p) => [p.path, p.sums.path]);
    const remaining = async (): Promise<string[]> =>
      (await Promise.all(['packs/', 'indexes/', 'checksums/', 'projects/'].map((prefix) => store.list(prefix)))).flat().map((o) => o.path).sort();
    expect(await remaining()).toEqual([...neededBySecond, ...stepObjects].sort());
    expect(await collectGarbage(store, { keepModifiedSince: 0 })).toMatchObject({ deletedObjects: 0, done: true }); // all too young
    expect(await collectGarbage(store, { keepModifiedSince: T0 + 1e9 })).toMatchObject({ deletedObjects: 2, done: true });
    expect(await remaining()).toEqual([...neededBySecond].sort());
    // 1003 live records + the 11 older versions its first layer still points at.
    expect(await verifySnapshot(store, SECOND)).toMatchObject({ ok: true, done: true, recordsChecked: 1014 });
    expect(await allRecords(store, await readSnapshot(store, SECOND))).toEqual(expectedSecond);
  });

  it('with nothing changed, shares the previous index parts and writes only the manifest', async () => {
    const store = memoryStore();
    const first = await writeFullSnapshot(store, FIRST, 'ENG', issues.slice(0, 100));
    const start = store.calls.length;
    const same = await carryOver(store, first.projects[0].indexParts, { changedEntries: [], deletedKeys: ['issue/999999'] });
    expect(same.bytesWritten).toBe(0);
    const second = await commitSnapshot(store, draft(SECOND, [{ key: 'ENG', issueCount: 100, indexParts: same.parts }], [], 0, FIRST));
    expect(putsUnder(store, start, '')).toEqual([`snapshots/${SECOND}.json`]);
    expect(second.projects[0].indexParts).toEqual(first.projects[0].indexParts);
  });
});

describe('index compaction', () => {
  it('rewrites the layers as one when they pile up, and deleting the old snapshot then frees what only it used', async () => {
    const store = memoryStore();
    const issues = Array.from({ length: 40 }, (_, i) => issueRecord('OPS', i + 1));
    const first = await writeFullSnapshot(store, FIRST, 'OPS', issues.slice(0, 20));
    // The second run rewrote 20 issues (more than the 25% dead-line threshold) and added 20.
    const edited = issues.slice(0, 20).map((issue, i) => issueRecord('OPS', i + 1, `Edited ${issue.key}`));
    const written = await writeRecords(store, [...edited, ...issues.slice(20)]);
    const index = await carryOver(store, first.projects[0].indexParts, { changedEntries: written.entries });
    expect(index).toMatchObject({ compacted: true, changed: 40, carried: 1 });
    expect(index.parts.some((p) => first.projects[0].indexParts.some((q) => q.path === p.path))).toBe(false);
    const second = await commitSnapshot(store, draft(SECOND, [{ key: 'OPS', issueCount: 40, indexParts: index.parts }], [], written.bytesWritten + index.bytesWritten, FIRST));
    expect(second.totals.records).toBe(41);

    const oldPack = (await readIndex(store, first)).find((e) => e.key === 'OPS-1')!.pack;
    const result = await deleteSnapshot(store, FIRST, [SECOND]);
    // The old index part, its checksum list and project list go; the first pack stays (the project record still lives there).
    expect(result.deletedObjects).toBe(2 * first.projects[0].indexParts.length + 1);
    expect(await store.stat(oldPack)).toBeDefined();
    expect(await verifySnapshot(store, SECOND)).toMatchObject({ ok: true, recordsChecked: 41 });
  });

  it('compacts after 24 small layers, and a big index split into many full-size parts is not compacted every run', async () => {
    const store = memoryStore();
    const issues = Array.from({ length: 600 }, (_, i) => issueRecord('BIG', i + 1));
    const base = await writeRecords(store, issues);
    // A small part size splits the compact index into many full-size parts, as a 100,000-issue project would be.
    let parts = (await carryOver(store, [], { changedEntries: base.entries }, { partTargetBytes: 6 * 1024 })).parts;
    expect(parts.length).toBeGreaterThan(24);
    const compactedAt: number[] = [];
    for (let run = 1; run <= 30; run++) {
      const edit = await writeRecords(store, [issueRecord('BIG', run, `run ${run}`)]);
      const result = await carryOver(store, parts, { changedEntries: edit.entries }, { partTargetBytes: 6 * 1024 });
      if (result.compacted) compactedAt.push(run);
      parts = result.parts;
    }
    // 24 small layers (the compact index's last, short part may count as one), then a compaction: once.
    expect(compactedAt).toHaveLength(1);
    expect(compactedAt[0]).toBeGreaterThanOrEqual(24);
    expect(compactedAt[0]).toBeLessThanOrEqual(25);
    const entries = await readIndexEntries(store, parts);
    expect(entries).toHaveLength(600);
  });

  it('mergeIndexParts turns step parts into one sorted layer where later steps win', async () => {
    const store = memoryStore();
    const a = await writeRecords(store, [issueRecord('X', 2), issueRecord('X', 1)]);
    const b = await writeRecords(store, [issueRecord('X', 2, 'second try')]);
    const partA = await writeIndexParts(store, a.entries);
    const partB = await writeIndexParts(store, b.entries);
    const merged = await mergeIndexParts(store, [...partA.parts, ...partB.parts]);
    expect(merged.parts).toHaveLength(1);
    const entries = await readIndexEntries(store, merged.parts);
    expect(entries.map((e) => e.key)).toEqual(['X-1', 'X-2']);
    expect(entries[1]).toEqual(b.entries[0]);
  });
});

describe('attachment bytes are stored once', () => {
  it('however many issues and snapshots reference them', async () => {
    const store = memoryStore();
    const bytes = deterministicBytes(6 * 1024 * 1024, 11);
    const a = await storeAttachment(store, '1', 'a.bin', bytes);
    const writer = new AttachmentWriter(store);
    await writer.append(bytes);
    const b = await writer.finish({ id: '2', filename: 'copy-of-a.bin' });
    expect(writer.bytesWritten).toBe(0);
    expect(b.chunks).toEqual(a.chunks);

    await writeFullSnapshot(store, FIRST, 'ENG', [issueRecord('ENG', 1, 's', [a]), issueRecord('ENG', 2, 's', [b])]);
    // Next day: the issue changed but its attachment did not: the engine reuses the metadata without a download.
    expect(await attachmentChunksPresent(store, a)).toBe(true);
    await writeFullSnapshot(store, SECOND, 'ENG', [issueRecord('ENG', 1, 'edited', [a]), issueRecord('ENG', 2, 's', [b])]);

    const blobs = await store.list('blobs/');
    expect(blobs.map((o) => o.path).sort()).toEqual(a.chunks.map((c) => `blobs/${c.sha256.slice(0, 2)}/${c.sha256}`).sort());
    expect(blobs.reduce((sum, o) => sum + o.size, 0)).toBe(bytes.byteLength);

    await deleteSnapshot(store, FIRST, [SECOND]);
    expect((await store.list('blobs/')).length).toBe(2);
    await deleteSnapshot(store, SECOND, []);
    expect(await store.list('blobs/')).toEqual([]);
    expect(await attachmentChunksPresent(store, a as StoredAttachment)).toBe(false);
  });
});

describe('deleteSnapshot safety', () => {
  it('is safe to repeat, and refuses to delete when it cannot read what a kept snapshot needs', async () => {
    const store = memoryStore();
    await writeFullSnapshot(store, FIRST, 'ENG', [issueRecord('ENG', 1)]);
    const second = await writeFullSnapshot(store, SECOND, 'ENG', [issueRecord('ENG', 1, 'changed')]);

    // The second snapshot's checksum list is damaged: deleting the first must not guess.
    const sums = second.projects[0].indexParts[0].sums.path;
    const original = await store.get(sums);
    const damaged = Uint8Array.from(original);
    damaged[3] ^= 1;
    await store.put(sums, damaged, require('node:crypto').createHash('sha256').update(damaged).digest('hex'));
    await expect(deleteSnapshot(store, FIRST, [SECOND])).rejects.toMatchObject({ code: 'corrupt', path: sums });
    expect(await listSnapshotIds(store)).toEqual([FIRST, SECOND]);

    await store.put(sums, original, require('node:crypto').createHash('sha256').update(original).digest('hex'));
    expect((await deleteSnapshot(store, FIRST, [SECOND])).deletedObjects).toBeGreaterThan(0);
    expect(await deleteSnapshot(store, FIRST, [SECOND])).toEqual({ deletedObjects: 0, freedBytes: 0 });
    expect((await verifySnapshot(store, SECOND)).ok).toBe(true);
  });
});
