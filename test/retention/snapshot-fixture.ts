import { MemoryStore } from '../../src/adapters/storage/memory-store';
import { commitSnapshot, initRepository, snapshotIdFor, writeIndexParts, writeRecords, type SnapshotRecord } from '../../src/core/format';

/** Real snapshots through the format layer, shared by the rotation tests. */
export const DAY = 86_400_000;
export const T0 = Date.parse('2026-11-01T02:00:00Z');

function issue(n: number, version: number): SnapshotRecord {
  return { type: 'issue', id: String(10000 + n), key: `ENG-${n}`, project: 'ENG', updated: `2026-11-0${version}T10:00:00.000+0000`, data: { fields: { summary: `Issue ${n} v${version}` } } };
}

/** A real snapshot through the format layer: most issues are shared with the other snapshots, issue 1 changes each day. */
export async function snapshot(store: MemoryStore, planId: string, day: number, state: 'complete' | 'partial' | 'failed' = 'complete') {
  await initRepository(store);
  const startedAt = T0 + day * DAY;
  const records = await writeRecords(store, [
    { type: 'project', id: '100', key: 'ENG', project: 'ENG', data: { key: 'ENG', name: 'Engineering' } },
    issue(1, day + 1), issue(2, 1), issue(3, 1),
  ]);
  const index = await writeIndexParts(store, records.entries);
  const id = snapshotIdFor(startedAt, planId);
  await commitSnapshot(store, {
    id, planId, planName: planId, kind: 'basic', startedAt, finishedAt: startedAt + 60_000, state,
    projects: [{ key: 'ENG', id: '100', name: 'Engineering', state: 'complete', issueCount: 3, indexParts: index.parts }],
    globalIndexParts: [], skippedAttachments: [], skippedAttachmentCount: 0, bytesWritten: records.bytesWritten + index.bytesWritten,
  });
  return id;
}

export async function site() {
  let now = T0;
  const store = new MemoryStore({ clock: { now: () => now++ } });
  const daily = [];
  for (let day = 0; day < 5; day++) daily.push(await snapshot(store, 'daily', day));
  const other = await snapshot(store, 'weekly', 0); // another plan sharing the same issue objects
  return { store, daily, other };
}

