/**
 * `verify`: checks a snapshot end to end — the manifest's self-hash, every index part, that the checksum lists
 * name everything the index references, that every object exists and hashes to its name, and that every record
 * the index points at is in its pack with the right hash. Resumable: each call checks at most `maxObjects`
 * packs/chunks and returns the cursor to continue from, so a large snapshot is verified in bounded steps.
 */
import type { BackupStore } from '../../ports/backup-store';
import { readSnapshot } from './catalog';
import { readChecksumParts, type ChecksumLine } from './checksums';
import { FormatError } from './errors';
import { fromUtf8, gunzip, splitLines } from './gzip';
import { sha256Hex } from './hashing';
import { parseObjectPath, snapshotManifestPath } from './layout';
import { getVerified } from './object-io';
import { allIndexParts, collectContents } from './referenced';
import type { IndexEntry } from './types';

export type VerifyProblemKind = 'missing' | 'corrupt' | 'incomplete-checksums';

export interface VerifyProblem {
  kind: VerifyProblemKind;
  path: string;
  message: string;
}

export interface VerifyOptions {
  /** Where a previous call stopped (its nextCursor); 0 or absent to start. */
  cursor?: number;
  /** Packs and chunks to download in this call; absent for all. */
  maxObjects?: number;
  /** false: only check packs and chunks exist with the right size (cheap, no download). Default true. */
  readData?: boolean;
}

export interface VerifyReport {
  snapshotId: string;
  /** True when all checks so far found nothing wrong. */
  ok: boolean;
  /** True when the whole snapshot has been covered (with earlier calls' reports). */
  done: boolean;
  nextCursor?: number;
  objectsChecked: number;
  bytesChecked: number;
  recordsChecked: number;
  /** Objects the checksum lists name (the cursor runs over them). */
  objectsTotal: number;
  problems: VerifyProblem[];
}

export async function verifySnapshot(store: BackupStore, snapshotId: string, options: VerifyOptions = {}): Promise<VerifyReport> {
  const report: VerifyReport = {
    snapshotId, ok: true, done: false, objectsChecked: 0, bytesChecked: 0, recordsChecked: 0, objectsTotal: 0, problems: [],
  };
  const fail = (kind: VerifyProblemKind, path: string, message: string): void => {
    report.ok = false;
    report.problems.push({ kind, path, message });
  };
  const failFrom = (error: unknown, path: string): void => {
    if (!(error instanceof FormatError)) throw error;
    fail(error.code === 'missing' ? 'missing' : 'corrupt', error.path ?? path, error.message);
  };

  // 1. Manifest, index parts and checksum lists: small, checked on every call.
  let entriesByPack: Map<string, IndexEntry[]>;
  let listed: ChecksumLine[];
  try {
    const manifest = await readSnapshot(store, snapshotId);
    entriesByPack = new Map();
    const contents = await collectContents(store, allIndexParts(manifest), (entry) => {
      const list = entriesByPack.get(entry.pack);
      if (list) list.push(entry);
      else entriesByPack.set(entry.pack, [entry]);
    });
    listed = await readChecksumParts(store, manifest.checksums);
    const listedPaths = new Map(listed.map((line) => [line.path, line.sha256]));
    for (const object of contents.objects.values()) {
      if (listedPaths.get(object.path) !== object.sha256) {
        fail('incomplete-checksums', object.path, `Snapshot ${snapshotId}: ${object.path} is referenced by the index but not named in the snapshot's checksum lists.`);
      }
    }
  } catch (error) {
    failFrom(error, snapshotManifestPath(snapshotId));
    report.done = true;
    return report;
  }

  // 2. Packs and chunks, from the cursor on, in the checksum lists' (path) order.
  const objects = listed.filter((line) => parseObjectPath(line.path)?.kind !== 'index');
  report.objectsTotal = objects.length;
  const start = options.cursor ?? 0;
  const end = Math.min(objects.length, options.maxObjects === undefined ? objects.length : start + options.maxObjects);
  for (let i = start; i < end; i++) {
    const { path, sha256 } = objects[i];
    try {
      if (options.readData === false) await checkPresence(store, path);
      else {
        const bytes = await getVerified(store, path, sha256, `snapshot ${snapshotId}`);
        report.bytesChecked += bytes.byteLength;
        if (parseObjectPath(path)?.kind === 'pack') report.recordsChecked += checkRecords(bytes, path, entriesByPack.get(path) ?? [], snapshotId, fail);
      }
    } catch (error) {
      failFrom(error, path);
    }
    report.objectsChecked++;
  }
  report.done = end >= objects.length;
  if (!report.done) report.nextCursor = end;
  return report;
}

async function checkPresence(store: BackupStore, path: string): Promise<void> {
  if (!(await store.stat(path))) throw new FormatError('missing', `${path} is missing.`, path);
}

function checkRecords(
  bytes: Uint8Array,
  path: string,
  entries: IndexEntry[],
  snapshotId: string,
  fail: (kind: VerifyProblemKind, path: string, message: string) => void,
): number {
  const lines = splitLines(fromUtf8(gunzip(bytes, path), path));
  let checked = 0;
  for (const entry of entries) {
    const line = lines[entry.line - 1];
    const name = `record ${entry.type}/${entry.id}${entry.key ? ` (${entry.key})` : ''}`;
    if (line === undefined) fail('corrupt', path, `Snapshot ${snapshotId}: ${name} should be line ${entry.line} of ${path}, which has ${lines.length} lines.`);
    else if (sha256Hex(line) !== entry.sha256) fail('corrupt', path, `Snapshot ${snapshotId}: ${name} at line ${entry.line} of ${path} does not hash to ${entry.sha256}.`);
    checked++;
  }
  return checked;
}
