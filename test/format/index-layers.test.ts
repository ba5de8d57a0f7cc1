import { appendIndexLayer, readIndexEntries, writeRecords, type IndexPartRef } from '../../src/core/format';
import { issueRecord, memoryStore } from './fixtures';

describe('appendIndexLayer (index built step by step with a small checkpoint)', () => {
  it('keeps the list of parts short and resolves to every entry appended, later steps winning', async () => {
    const store = memoryStore();
    let parts: IndexPartRef[] = [];
    let longest = 0;
    let bytesWritten = 0;
    for (let step = 0; step < 100; step++) {
      const records = Array.from({ length: 10 }, (_, i) => issueRecord('L', step * 10 + i + 1));
      const written = await writeRecords(store, records);
      const result = await appendIndexLayer(store, parts, written.entries, { fanIn: 4, stepEntries: 10 });
      parts = result.parts;
      bytesWritten += result.bytesWritten;
      longest = Math.max(longest, parts.length);
    }
    // A re-delivered step re-appends the same issue with new content: the later entry wins.
    const redo = await writeRecords(store, [issueRecord('L', 5, 'second delivery')]);
    parts = (await appendIndexLayer(store, parts, redo.entries, { fanIn: 4, stepEntries: 10 })).parts;

    expect(longest).toBeLessThanOrEqual(4 * 4); // fanIn × tiers for 100 steps
    const entries = await readIndexEntries(store, parts);
    expect(entries).toHaveLength(1000);
    expect(entries.find((e) => e.key === 'L-5')).toEqual(redo.entries[0]);
    // Each entry is rewritten about log_fanIn(steps) times, not once per step.
    const oneCopy = parts.reduce((n, p) => n + p.size + p.sums.size, 0);
    expect(bytesWritten).toBeLessThan(oneCopy * 6);
  });

  it('appending nothing changes nothing', async () => {
    const store = memoryStore();
    expect(await appendIndexLayer(store, [], [])).toEqual({ parts: [], bytesWritten: 0 });
  });
});
