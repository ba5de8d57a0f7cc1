import {
  listSnapshotIds, readAttachment, readIndex, readRecord, readRecords, readSnapshot, snapshotIdFor, verifySnapshot,
  type StoredAttachment,
} from '../../src/core/format';
import { deterministicBytes, issueRecord, memoryStore, storeAttachment, T0, writeFullSnapshot } from './fixtures';

describe('a snapshot written and read back through a memory store', () => {
  it('returns every record, the manifest and the attachment exactly as written', async () => {
    const store = memoryStore();
    const bytes = deterministicBytes(9 * 1024 * 1024 + 17, 7); // three chunks at 4 MiB
    const attachment = await storeAttachment(store, '30001', 'design.bin', bytes);
    const issues = [issueRecord('ENG', 1, 'Login fails', [attachment]), ...Array.from({ length: 50 }, (_, i) => issueRecord('ENG', i + 2))];
    const globals = [{ type: 'priority', id: '1', data: { name: 'Highest' } }];
    const id = snapshotIdFor(T0, 'daily');
    await writeFullSnapshot(store, id, 'ENG', issues, globals);

    expect(await listSnapshotIds(store)).toEqual([id]);
    const manifest = await readSnapshot(store, id);
    expect(manifest.totals.records).toBe(53);
    expect(manifest.projects[0].issueCount).toBe(51);

    const entries = await readIndex(store, manifest, { project: 'ENG' });
    expect(entries).toHaveLength(52);
    const login = entries.find((entry) => entry.key === 'ENG-1')!;
    const record = await readRecord(store, login);
    expect(record).toEqual(issues[0]);

    const all = [];
    for await (const item of readRecords(store, entries)) all.push(item.record);
    expect(all).toHaveLength(52);
    expect(new Set(all.map((r) => r.key))).toEqual(new Set(['ENG', ...issues.map((i) => i.key)]));

    const meta = (record.data.attachments as unknown as StoredAttachment[])[0];
    expect(meta.chunks.map((c) => c.size)).toEqual([4 * 1024 * 1024, 4 * 1024 * 1024, 1024 * 1024 + 17]);
    expect(Buffer.from(await readAttachment(store, meta)).equals(Buffer.from(bytes))).toBe(true);

    const [priority] = await readIndex(store, manifest, 'global');
    expect((await readRecord(store, priority)).data).toEqual({ name: 'Highest' });

    const report = await verifySnapshot(store, id);
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ ok: true, done: true, recordsChecked: 53 });
    expect(report.objectsChecked).toBe(report.objectsTotal);
  });
});
