/** At-least-once delivery: a step run twice writes the same object names, so a retry never duplicates data. */
import { appendIndexLayer, AttachmentWriter, readRecords, writeIndexParts, writeRecords } from '../../src/core/format';
import { deterministicBytes, issueRecord, memoryStore } from './fixtures';

describe('repeated steps', () => {
  it('writeRecords and writeIndexParts give identical names and entries for the same input', async () => {
    const store = memoryStore();
    const records = Array.from({ length: 25 }, (_, i) => issueRecord('ID', i + 1));
    const first = await writeRecords(store, records);
    const firstIndex = await writeIndexParts(store, first.entries);
    const objectsAfterFirst = (await store.list('')).length;

    const again = await writeRecords(store, records.map((record) => JSON.parse(JSON.stringify(record))));
    const againIndex = await writeIndexParts(store, [...again.entries].reverse()); // order of entries does not matter
    expect(again.entries).toEqual(first.entries);
    expect(againIndex.parts).toEqual(firstIndex.parts);
    expect((await store.list('')).length).toBe(objectsAfterFirst);
  });

  it('appendIndexLayer re-run from the same checkpoint gives the same refs', async () => {
    const store = memoryStore();
    const written = await writeRecords(store, [issueRecord('ID', 1), issueRecord('ID', 2)]);
    const checkpoint = (await appendIndexLayer(store, [], written.entries.slice(0, 1))).parts;
    const once = await appendIndexLayer(store, checkpoint, written.entries.slice(1));
    const twice = await appendIndexLayer(store, checkpoint, written.entries.slice(1));
    expect(twice.parts).toEqual(once.parts);
  });

  it('an attachment uploaded again sends no bytes', async () => {
    const store = memoryStore();
    const bytes = deterministicBytes(5 * 1024 * 1024, 77);
    const first = new AttachmentWriter(store);
    await first.append(bytes);
    const meta = await first.finish({ id: '1', filename: 'f' });
    const puts = store.calls.filter((c) => c.operation === 'put').length;
    const second = new AttachmentWriter(store);
    await second.append(bytes);
    expect(await second.finish({ id: '1', filename: 'f' })).toEqual(meta);
    expect(second.bytesWritten).toBe(0);
    expect(store.calls.filter((c) => c.operation === 'put').length).toBe(puts);
  });
});

describe('readRecords', () => {
  it('fetches each pack once however the entries are ordered', async () => {
    const store = memoryStore(16 * 1024);
    const records = Array.from({ length: 120 }, (_, i) => issueRecord('RR', i + 1, `S ${'text '.repeat(60)}`));
    const written = await writeRecords(store, records);
    expect(written.packs.length).toBeGreaterThan(2);
    const shuffled = [...written.entries].sort((a, b) => (a.sha256 < b.sha256 ? -1 : 1));
    const start = store.calls.length;
    let count = 0;
    for await (const item of readRecords(store, shuffled)) {
      expect(item.record.id).toBe(item.entry.id);
      count++;
    }
    expect(count).toBe(120);
    expect(store.calls.slice(start).filter((c) => c.operation === 'get').length).toBe(written.packs.length);
  });
});
