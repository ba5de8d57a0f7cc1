/**
 * verify as a resumable job: a small JSON progress (fits a KVS checkpoint) advanced by bounded steps, so a
 * queue consumer can verify a large snapshot across invocations and the control panel can show how far it got.
 */
import type { BackupStore } from '../../ports/backup-store';
import { verifySnapshot, type VerifyProblem } from './verify';

/** Problems listed in the progress; the rest are counted (a damaged repository can have thousands). */
export const MAX_LISTED_VERIFY_PROBLEMS = 50;

export interface VerifyProgress {
  snapshotId: string;
  readData: boolean;
  cursor: number;
  done: boolean;
  ok: boolean;
  objectsTotal: number;
  objectsChecked: number;
  bytesChecked: number;
  recordsChecked: number;
  problemCount: number;
  problems: VerifyProblem[];
}

export function startVerify(snapshotId: string, options: { readData?: boolean } = {}): VerifyProgress {
  return {
    snapshotId, readData: options.readData !== false, cursor: 0, done: false, ok: true,
    objectsTotal: 0, objectsChecked: 0, bytesChecked: 0, recordsChecked: 0, problemCount: 0, problems: [],
  };
}

/** Checks up to `maxObjects` more packs/chunks and returns the updated progress (the input is not modified). */
export async function continueVerify(store: BackupStore, progress: VerifyProgress, maxObjects: number): Promise<VerifyProgress> {
  if (progress.done) return progress;
  const report = await verifySnapshot(store, progress.snapshotId, { cursor: progress.cursor, maxObjects, readData: progress.readData });
  // Problems found while reading the index are found again on every step: count them on the first step only.
  const fresh = progress.cursor === 0 ? report.problems : report.problems.filter((problem) => problem.stage === 'data');
  const listed = [...progress.problems, ...fresh].slice(0, MAX_LISTED_VERIFY_PROBLEMS);
  return {
    ...progress,
    cursor: report.nextCursor ?? report.objectsTotal,
    done: report.done,
    ok: progress.ok && report.ok,
    objectsTotal: report.objectsTotal,
    objectsChecked: progress.objectsChecked + report.objectsChecked,
    bytesChecked: progress.bytesChecked + report.bytesChecked,
    recordsChecked: progress.recordsChecked + report.recordsChecked,
    problemCount: progress.problemCount + fresh.length,
    problems: listed,
  };
}
