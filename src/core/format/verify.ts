/**
 * `verify`: checks a snapshot end to end — the manifest's self-hash; its project lists (read by readSnapshot, so a
 * damaged one is reported with its path); every index part and checksum list; that
 * each checksum list names everything its index part references; that every pack and chunk exists and hashes to
 * its name; and that every record the index points at is in its pack with the right hash. Resumable: each call
 * downloads at most `maxObjects` packs/chunks and returns the cursor to continue from, so a large snapshot is
 * verified in bounded steps (the small index is re-read on every call).
 */
import type { BackupStore } from '../../ports/backup-store';
import { readSnapshot } from './catalog';
import { readChecksumList } from './checksums';
import { FormatError } from './errors';
import { findMissingObjects } from './existence';
import { fromUtf8, gunzip, splitLines } from './gzip';
import { sha256Hex } from './hashing';
import { objectsOf } from './index-parts';
import { snapshotManifestPath } from './layout';
import { getVerified } from './object-io';
import { collectContents, indexLists, type ReferencedObject } from './referenced';
import { isTombstone, type IndexEntry, type IndexLine, type IndexPartRef } from './types';

export type VerifyProblemKind = 'missing' | 'corrupt' | 'incomplete-checksums';

export interface VerifyProblem {
  kind: VerifyProblemKind;
  path: string;
  message: string;
  /** `index`: found reading the manifest, index parts and checksum lists (again on every resumed call); `data`: a pack or chunk. */
  stage: 'index' | 'data';
}

export interface VerifyOptions {
  /** Where a previous call stopped (its nextCursor); 0 or absent to start. */
  cursor?: number;
  /** Packs and chunks to check in this call; absent for all. */
  maxObjects?: number;
  /** false: only check that packs and chunks exist with the right size (no download). Default true. */
  readData?: boolean;
}

export interface VerifyReport {
  snapshotId: string;
  /** True when this call found nothing wrong. */
  ok: boolean;
  /** True when the last pack/chunk has been covered (by this call and the earlier ones). */
  done: boolean;
  nextCursor?: number;
  objectsChecked: number;
  bytesChecked: number;
  /** Record lines checked against their index entries (older versions still referenced by earlier layers included). */
  recordsChecked: number;
  /** Packs and chunks the snapshot references (the cursor runs over them, in path order). */
  objectsTotal: number;
  problems: VerifyProblem[];
}

type Fail = (kind: VerifyProblemKind, path: string, message: string) => void;
type Stage = VerifyProblem['stage'];

export async function verifySnapshot(store: BackupStore, snapshotId: string, options: VerifyOptions = {}): Promise<VerifyReport> {
  const report: VerifyReport = {
    snapshotId, ok: true, done: false, objectsChecked: 0, bytesChecked: 0, recordsChecked: 0, objectsTotal: 0, problems: [],
  };
  let stage: Stage = 'index';
  const fail: Fail = (kind, path, message) => {
    report.ok = false;
    report.problems.push({ kind, path, message, stage });
  };
  const failFrom = (error: unknown, path: string): void => {
    if (!(error instanceof FormatError)) throw error;
    fail(error.code === 'missing' ? 'missing' : 'corrupt', error.path ?? path, error.message);
  };

  // 1. The manifest, the index parts and their checksum lists: small, checked on every call.
  const entriesByPack = new Map<string, IndexEntry[]>();
  const linesByPart = new Map<IndexPartRef, IndexLine[]>();
  let objects: ReferencedObject[];
  try {
    const manifest = await readSnapshot(store, snapshotId);
    const contents = await collectContents(store, indexLists(manifest), (line, part) => {
      const partLines = linesByPart.get(part);
      if (partLines) partLines.push(line);
      else linesByPart.set(part, [line]);
      if (isTombstone(line)) return;
      const list = entriesByPack.get(line.pack);
      if (list) list.push(line);
      else entriesByPack.set(line.pack, [line]);
    });
    objects = [...contents.objects.values()].filter((o) => o.kind === 'pack' || o.kind === 'blob').sort((a, b) => (a.path < b.path ? -1 : 1));
    for (const part of indexLists(manifest).flat()) {
      try {
        await checkSumsCover(store, part, linesByPart.get(part) ?? [], snapshotId, fail);
      } catch (error) {
        failFrom(error, part.sums.path);
      }
    }
  } catch (error) {
    failFrom(error, snapshotManifestPath(snapshotId));
    report.done = true;
    return report;
  }

  // 2. Packs and chunks, from the cursor on, in path order.
  stage = 'data';
  report.objectsTotal = objects.length;
  const start = options.cursor ?? 0;
  const end = Math.min(objects.length, options.maxObjects === undefined ? objects.length : start + options.maxObjects);
  const slice = objects.slice(start, end);
  if (options.readData === false) {
    for (const object of await findMissingObjects(store, slice)) {
      fail('missing', object.path, `Snapshot ${snapshotId}: ${object.path} is missing or does not have its expected ${object.size} bytes.`);
    }
    report.objectsChecked += slice.length;
  } else {
    for (const { path, sha256, kind } of slice) {
      try {
        const bytes = await getVerified(store, path, sha256, `snapshot ${snapshotId}`);
        report.bytesChecked += bytes.byteLength;
        if (kind === 'pack') report.recordsChecked += checkRecords(bytes, path, entriesByPack.get(path) ?? [], snapshotId, fail);
      } catch (error) {
        failFrom(error, path);
      }
      report.objectsChecked++;
    }
  }
  report.done = end >= objects.length;
  if (!report.done) report.nextCursor = end;
  return report;
}

/** The part's checksum list must name every pack and chunk the part's lines use, with the same hash. */
async function checkSumsCover(store: BackupStore, part: IndexPartRef, lines: IndexLine[], snapshotId: string, fail: Fail): Promise<void> {
  const listed = new Map((await readChecksumList(store, part.sums)).map((line) => [line.path, line.sha256]));
  for (const object of lines.flatMap(objectsOf)) {
    if (listed.get(object.path) !== object.sha256) {
      fail('incomplete-checksums', part.sums.path, `Snapshot ${snapshotId}: ${object.path} is used by index part ${part.path} but not named in its checksum list ${part.sums.path}.`);
    }
  }
}

function checkRecords(bytes: Uint8Array, path: string, entries: IndexEntry[], snapshotId: string, fail: Fail): number {
  const lines = splitLines(fromUtf8(gunzip(bytes, path)));
  for (const entry of entries) {
    const line = lines[entry.line - 1];
    const name = `record ${entry.type}/${entry.id}${entry.key ? ` (${entry.key})` : ''}`;
    if (line === undefined) fail('corrupt', path, `Snapshot ${snapshotId}: ${name} should be line ${entry.line} of ${path}, which has ${lines.length} lines.`);
    else if (sha256Hex(line) !== entry.sha256) fail('corrupt', path, `Snapshot ${snapshotId}: ${name} at line ${entry.line} of ${path} does not hash to ${entry.sha256}.`);
  }
  return entries.length;
}
