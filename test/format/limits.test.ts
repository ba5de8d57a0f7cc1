/** Objects stay within the store's limit however the data is shaped; verify can run in bounded, resumable steps. */
import {
  attachmentChunkBytes, FormatError, listSnapshots, readIndex, readRecords, snapshotIdFor, isSnapshotId, verifySnapshot,
  writeIndexParts, writeRecords, type SnapshotRecord,
} from '../../src/core/format';
import { deterministicBytes, issueRecord, memoryStore, storeAttachment, T0, writeFullSnapshot } from './fixtures';

describe('size limits', () => {
  it('splits records into several packs, each within maxObjectBytes, and index parts likewise', async () => {
    const store = memoryStore(64 * 1024);
    const records = Array.from({ length: 400 }, (_, i) => issueRecord('BIG', i + 1, `Summary ${i} ${'lorem ipsum '.repeat(30)}`));
    const result = await writeRecords(store, records);
    expect(result.packs.length).toBeGreaterThan(1);
    for (const object of await store.list('packs/')) expect(object.size).toBeLessThanOrEqual(64 * 1024);
    expect(result.packs.reduce((n, p) => n + p.records, 0)).toBe(400);

    const index = await writeIndexParts(store, result.entries, { partTargetBytes: 16 * 1024 });
    expect(index.parts.length).toBeGreaterThan(1);
    for (const object of [...(await store.list('indexes/')), ...(await store.list('checksums/'))]) expect(object.size).toBeLessThanOrEqual(64 * 1024);
    const keys = [];
    for await (const { record } of readRecords(store, result.entries)) keys.push(record.key);
    expect(keys.sort()).toEqual(records.map((r) => r.key).sort());
  });

  it('halves a batch whose compressed size still exceeds the limit (incompressible data)', async () => {
    const store = memoryStore(32 * 1024);
    const noise = (seed: number): string => Buffer.from(deterministicBytes(9_000, seed)).toString('base64');
    const records: SnapshotRecord[] = Array.from({ length: 8 }, (_, i) => ({ type: 'issue', id: String(i), data: { blob: noise(i + 1) } }));
    const result = await writeRecords(store, records, { packTargetBytes: 1024 * 1024 });
    expect(result.packs.length).toBeGreaterThanOrEqual(3);
    for (const pack of result.packs) expect(pack.size).toBeLessThanOrEqual(32 * 1024);
  });

  it('refuses a single record that cannot fit, naming it', async () => {
    const store = memoryStore(8 * 1024);
    const huge: SnapshotRecord = { type: 'issue', id: '99', key: 'BIG-99', data: { blob: Buffer.from(deterministicBytes(20_000, 5)).toString('base64') } };
    const error = await writeRecords(store, [huge]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FormatError);
    expect(error).toMatchObject({ code: 'too-large' });
    expect((error as Error).message).toContain('issue/99');
  });

  it('cuts attachment chunks to the store limit when it is below the format chunk size', async () => {
    const store = memoryStore(300_000);
    expect(attachmentChunkBytes(store)).toBe(300_000);
    const meta = await storeAttachment(store, '1', 'a', deterministicBytes(700_000, 9), 123_457);
    expect(meta.chunks.map((c) => c.size)).toEqual([300_000, 300_000, 100_000]);
  });

  it('rejects malformed records with a message saying what to fix', async () => {
    const store = memoryStore();
    await expect(writeRecords(store, [{ type: 'issue', id: '', data: {} }])).rejects.toThrow(/id must be a non-empty string/);
    await expect(writeRecords(store, [{ type: 'is sue', id: '1', data: {} }])).rejects.toThrow(/type must match/);
    await expect(writeRecords(store, [{ type: 'issue', id: '1', data: [] as never }])).rejects.toThrow(/data must be a JSON object/);
    await expect(writeRecords(store, [issueRecord('A', 1), issueRecord('A', 1)])).rejects.toThrow(/appears twice/);
  });
});

describe('verify in bounded steps', () => {
  it('covers every pack and chunk exactly once across calls', async () => {
    const store = memoryStore(64 * 1024);
    const attachment = await storeAttachment(store, '5', 'a.bin', deterministicBytes(200_000, 1));
    const issues = Array.from({ length: 300 }, (_, i) => issueRecord('V', i + 1, `S ${'word '.repeat(40)}`, i === 0 ? [attachment] : []));
    await writeFullSnapshot(store, '20261126T020000Z-daily', 'V', issues);

    const whole = await verifySnapshot(store, '20261126T020000Z-daily');
    let cursor: number | undefined = 0;
    let objects = 0;
    let records = 0;
    let calls = 0;
    while (cursor !== undefined) {
      const step = await verifySnapshot(store, '20261126T020000Z-daily', { cursor, maxObjects: 2 });
      expect(step.ok).toBe(true);
      expect(step.objectsChecked).toBeLessThanOrEqual(2);
      objects += step.objectsChecked;
      records += step.recordsChecked;
      cursor = step.nextCursor;
      calls++;
      if (cursor === undefined) expect(step.done).toBe(true);
    }
    expect(whole.objectsTotal).toBeGreaterThan(4);
    expect(objects).toBe(whole.objectsTotal);
    expect(records).toBe(whole.recordsChecked);
    expect(calls).toBe(Math.ceil(whole.objectsTotal / 2));
  });

  it('reports a snapshot that does not exist as missing', async () => {
    const report = await verifySnapshot(memoryStore(), '20261126T020000Z-none');
    expect(report).toMatchObject({ ok: false, done: true });
    expect(report.problems[0]).toMatchObject({ kind: 'missing', path: 'snapshots/20261126T020000Z-none.json' });
  });
});

describe('snapshot ids and listing', () => {
  it.each([
    [T0, 'daily', undefined, '20261126T020000Z-daily'],
    [T0 + 59_999, 'plan/with spaces', undefined, '20261126T020059Z-plan_with_spaces'],
    [T0, 'daily', 'retry2', '20261126T020000Z-daily-retry2'],
    [T0, '', undefined, '20261126T020000Z'],
  ])('snapshotIdFor(%s, %j, %j) = %s', (startedAt, plan, suffix, expected) => {
    const id = snapshotIdFor(startedAt, plan, suffix);
    expect(id).toBe(expected);
    expect(isSnapshotId(id)).toBe(true);
  });

  it('lists snapshots oldest first and reports an unreadable manifest instead of hiding it', async () => {
    const store = memoryStore();
    await writeFullSnapshot(store, '20261127T020000Z-daily', 'A', [issueRecord('A', 1)]);
    await writeFullSnapshot(store, '20261126T020000Z-daily', 'A', [issueRecord('A', 1)]);
    const junk = new TextEncoder().encode('{"format":"backup-center-for-jira","formatVersion":1}');
    await store.put('snapshots/20261128T020000Z-daily.json', junk, require('node:crypto').createHash('sha256').update(junk).digest('hex'));
    const { manifests, unreadable } = await listSnapshots(store);
    expect(manifests.map((m) => m.id)).toEqual(['20261126T020000Z-daily', '20261127T020000Z-daily']);
    expect(unreadable).toEqual([{ id: '20261128T020000Z-daily', error: expect.stringMatching(/altered/) }]);
    await expect(readIndex(store, manifests[0], { project: 'NOPE' })).rejects.toThrow(/has no project NOPE; it has A/);
  });
});
