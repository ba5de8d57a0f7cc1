/**
 * Measures the format alone (no Jira, no network): a full snapshot of N issues written the way the engine does
 * (steps of 100 issues, one index part per step, merged at the end), then an incremental snapshot after 1% of
 * issues changed and 0.1% were deleted, then verify. Prints a table and, last, one JSON line.
 *   npx tsx test/format/format-bench.ts [issues=100000]
 */
import { MemoryStore } from '../../src/adapters/storage/memory-store';
import {
  appendIndexLayer, carryOver, commitSnapshot, initRepository, mergeIndexParts, readIndex, recordKey, snapshotIdFor, verifySnapshot,
  writeIndexParts, writeRecords, type IndexEntry, type IndexPartRef, type SnapshotRecord,
} from '../../src/core/format';

const ISSUES = Number(process.argv[2] ?? 100_000);
const STEP = 100;
const T0 = Date.UTC(2026, 10, 26, 2, 0, 0);

function issue(n: number, version: number): SnapshotRecord {
  const words = ['login', 'checkout', 'timeout', 'render', 'crash', 'slow', 'typo', 'button', 'report', 'export'];
  const text = (k: number): string => Array.from({ length: 40 }, (_, i) => words[(n * 7 + i * k + version) % words.length]).join(' ');
  return {
    type: 'issue', id: String(10000 + n), key: `ENG-${n}`, project: 'ENG', updated: `2026-11-2${version}T10:00:00.000+0000`,
    data: {
      fields: { summary: `Issue ${n} v${version}`, description: text(3), labels: ['a', `l${n % 13}`], customfield_10019: `0|i${n.toString(36)}:`, storyPoints: n % 8 },
      comments: Array.from({ length: 3 }, (_, c) => ({ id: String(n * 10 + c), body: text(c + 5), author: { accountId: `u${(n + c) % 50}` }, created: '2026-11-20T09:00:00.000+0000' })),
      changelog: Array.from({ length: 4 }, (_, h) => ({ id: String(n * 10 + h), items: [{ field: 'status', from: String(h), to: String(h + 1) }] })),
      worklogs: [], remoteLinks: [], watchers: { watchCount: 2 }, votes: { votes: n % 3 }, properties: {}, attachments: [],
    },
  };
}

async function run(): Promise<void> {
  const store = new MemoryStore({ maxObjectBytes: 4 * 1024 * 1024 });
  await initRepository(store);
  let peakRss = 0;
  const sample = (): void => { peakRss = Math.max(peakRss, process.memoryUsage().rss); };

  // Full run.
  let started = performance.now();
  let bytes = 0;
  let stepParts: IndexPartRef[] = [];
  let maxCheckpointRefs = 0;
  for (let first = 1; first <= ISSUES; first += STEP) {
    const records = Array.from({ length: Math.min(STEP, ISSUES - first + 1) }, (_, i) => issue(first + i, 1));
    const written = await writeRecords(store, records);
    const index = await appendIndexLayer(store, stepParts, written.entries);
    bytes += written.bytesWritten + index.bytesWritten;
    stepParts = index.parts;
    maxCheckpointRefs = Math.max(maxCheckpointRefs, stepParts.length);
    sample();
  }
  const merged = await mergeIndexParts(store, stepParts);
  bytes += merged.bytesWritten;
  const draft = (id: string, parts: IndexPartRef[], written: number, from?: string) => ({
    id, planId: 'bench', planName: 'Bench', kind: 'basic' as const, startedAt: T0, finishedAt: T0 + 1, state: 'complete' as const, incrementalFrom: from,
    projects: [{ key: 'ENG', id: '1', name: 'ENG', state: 'complete' as const, issueCount: ISSUES, indexParts: parts }],
    globalIndexParts: [], skippedAttachments: [], skippedAttachmentCount: 0, bytesWritten: written,
  });
  const firstId = snapshotIdFor(T0, 'bench');
  const full = await commitSnapshot(store, draft(firstId, merged.parts, bytes));
  const fullMs = performance.now() - started;
  sample();

  // Incremental run: 1% changed, 0.1% deleted.
  started = performance.now();
  const previous = new Map<string, IndexEntry>((await readIndex(store, full, { project: 'ENG' })).map((e) => [recordKey(e), e]));
  const changed = Array.from({ length: Math.floor(ISSUES / 100) }, (_, i) => 1 + i * 100);
  const deleted = Array.from({ length: Math.floor(ISSUES / 1000) }, (_, i) => 50 + i * 1000).map((n) => `issue/${10000 + n}`);
  let incBytes = 0;
  stepParts = [];
  for (let i = 0; i < changed.length; i += STEP) {
    const written = await writeRecords(store, changed.slice(i, i + STEP).map((n) => issue(n, 2)), { previousEntry: (k) => previous.get(k) });
    const part = await writeIndexParts(store, written.entries);
    incBytes += written.bytesWritten + part.bytesWritten;
    stepParts.push(...part.parts);
    sample();
  }
  const index = await carryOver(store, full.projects[0].indexParts, { changedParts: stepParts, deletedKeys: deleted });
  incBytes += index.bytesWritten;
  const secondId = snapshotIdFor(T0 + 86_400_000, 'bench');
  const inc = await commitSnapshot(store, { ...draft(secondId, index.parts, incBytes, firstId), startedAt: T0 + 86_400_000, finishedAt: T0 + 86_400_001 });
  const incMs = performance.now() - started;
  sample();

  started = performance.now();
  const report = await verifySnapshot(store, secondId);
  const verifyMs = performance.now() - started;
  sample();

  const figures = {
    issues: ISSUES,
    fullMs: Math.round(fullMs), fullMaxCheckpointRefs: maxCheckpointRefs, fullCheckpointBytes: JSON.stringify(stepParts).length, fullBytesWritten: full.totals.bytesWritten, fullObjects: full.totals.objects, fullIssuesPerMinute: Math.round(ISSUES / (fullMs / 60_000)),
    incrementalMs: Math.round(incMs), incrementalBytesWritten: inc.totals.bytesWritten, incrementalCompacted: index.compacted,
    incrementalShareOfFull: Number((inc.totals.bytesWritten / full.totals.bytesWritten).toFixed(4)),
    verifyMs: Math.round(verifyMs), verifyOk: report.ok, verifyRecords: report.recordsChecked, verifyBytes: report.bytesChecked,
    peakRssMiB: Math.round(peakRss / 1024 / 1024),
  };
  console.log(`issues                 ${figures.issues}`);
  console.log(`full: time / written   ${figures.fullMs} ms / ${figures.fullBytesWritten} bytes in ${figures.fullObjects} objects (${figures.fullIssuesPerMinute} issues/min)`);
  console.log(`index refs in checkpoint ${figures.fullMaxCheckpointRefs} at most (${figures.fullCheckpointBytes} bytes of JSON at the end)`);
  console.log(`incremental (1%)       ${figures.incrementalMs} ms / ${figures.incrementalBytesWritten} bytes (${(figures.incrementalShareOfFull * 100).toFixed(2)}% of full, compacted=${figures.incrementalCompacted})`);
  console.log(`verify incremental     ${figures.verifyMs} ms, ok=${figures.verifyOk}, ${figures.verifyRecords} records, ${figures.verifyBytes} bytes`);
  console.log(`peak RSS               ${figures.peakRssMiB} MiB`);
  console.log(JSON.stringify(figures));
}

run().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
