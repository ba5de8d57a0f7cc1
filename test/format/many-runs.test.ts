/**
 * Many incremental runs with random edits, deletions and new issues, rotation keeping the last three snapshots
 * and garbage collection: after every run each kept snapshot must read back exactly as the site was when it was
 * taken, and verify must pass. Exercises layering, compaction, tombstones and reference counting together.
 */
import {
  canonicalJson, carryOver, collectGarbage, commitSnapshot, deleteSnapshot, listSnapshotIds, readIndex, readRecords, recordKey,
  readSnapshot, snapshotIdFor, verifySnapshot, writeRecords, type IndexEntry, type SnapshotManifest, type SnapshotRecord,
} from '../../src/core/format';
import type { MemoryStore } from '../../src/adapters/storage/memory-store';
import { draft, issueRecord, memoryStore, T0 } from './fixtures';

function random(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
}

async function contentOf(store: MemoryStore, manifest: SnapshotManifest): Promise<Map<string, string>> {
  const content = new Map<string, string>();
  for await (const { record } of readRecords(store, await readIndex(store, manifest))) content.set(recordKey(record), canonicalJson(record.data));
  return content;
}

describe('twelve incremental runs with rotation', () => {
  it('keeps every retained snapshot exactly as the site was', async () => {
    const store = memoryStore(256 * 1024);
    const next = random(2026);
    const site = new Map<number, SnapshotRecord>();
    for (let n = 1; n <= 200; n++) site.set(n, issueRecord('R', n));
    let nextNumber = 201;
    const expected = new Map<string, Map<string, string>>();
    let previous: SnapshotManifest | undefined;
    let compactions = 0;
    let layered = 0;

    for (let run = 0; run < 12; run++) {
      const changed: SnapshotRecord[] = [];
      const deletedKeys: string[] = [];
      if (previous) {
        for (const n of [...site.keys()]) {
          const roll = next();
          if (roll < 0.05) site.set(n, issueRecord('R', n, `run ${run} edit of ${n}`));
          else if (roll < 0.06) {
            site.delete(n);
            deletedKeys.push(`issue/${10000 + n}`);
          } else continue;
          if (site.has(n)) changed.push(site.get(n)!);
        }
        for (let k = 0; k < 4; k++) {
          site.set(nextNumber, issueRecord('R', nextNumber));
          changed.push(site.get(nextNumber)!);
          nextNumber++;
        }
      }
      const records = previous ? changed : [...site.values()];
      const prevIndex = previous ? new Map<string, IndexEntry>((await readIndex(store, previous)).map((e) => [recordKey(e), e])) : undefined;
      const written = await writeRecords(store, records, { previousEntry: (key) => prevIndex?.get(key) });
      const index = await carryOver(store, previous?.projects[0].indexParts ?? [], { changedEntries: written.entries, deletedKeys });
      if (index.compacted && previous) compactions++;
      if (!index.compacted) layered++;
      const id = snapshotIdFor(T0 + run * 86_400_000, 'daily');
      previous = await commitSnapshot(store, {
        ...draft(id, [{ key: 'R', issueCount: site.size, indexParts: index.parts }], [], written.bytesWritten + index.bytesWritten, previous?.id),
        startedAt: T0 + run * 86_400_000,
        finishedAt: T0 + run * 86_400_000 + 1,
      });
      expect(previous.totals.records).toBe(site.size);
      expected.set(id, new Map([...site.values()].map((r) => [recordKey(r), canonicalJson(r.data)])));

      // Rotation: keep the newest three.
      const ids = await listSnapshotIds(store);
      const keep = ids.slice(-3);
      for (const old of ids.slice(0, -3)) {
        await deleteSnapshot(store, old, keep);
        expected.delete(old);
      }
      for (const keptId of keep) {
        const manifest = await readSnapshot(store, keptId);
        expect(await contentOf(store, manifest)).toEqual(expected.get(keptId));
        expect((await verifySnapshot(store, keptId)).problems).toEqual([]);
      }
    }
    expect(layered).toBeGreaterThan(0); // most runs appended a layer…
    expect(compactions).toBeGreaterThan(0); // …and the layers did pile up and were compacted

    await collectGarbage(store, { keepModifiedSince: Number.MAX_SAFE_INTEGER });
    for (const id of await listSnapshotIds(store)) expect((await verifySnapshot(store, id)).ok).toBe(true);
  });
});
