import { randomUUID } from 'node:crypto';
import type { BackupStore, Clock, JobQueue, KeyValue, Logger } from '../../ports';
import { releaseMaintenanceLock, takeMaintenanceLock } from '../backup/claims';
import { listSnapshotIds } from '../format/catalog';
import { FormatError } from '../format/errors';
import { parseObjectPath } from '../format/layout';
import { referencedObjects } from '../format/rotation';
import { ageOf, forgetFirstSeen } from './garbage-age';
import {
  GARBAGE_DUE_KEY, GARBAGE_LAST_KEY, GARBAGE_MARGIN_MS, GARBAGE_PREFIXES, GARBAGE_RUN_KEY, garbageStepEvent, garbageYieldRequested,
  type GarbageCursor, type GarbageDue, type GarbageLast, type GarbageRun, type GarbageStepEvent,
} from './garbage-run';

export interface GarbageStepDeps {
  store: BackupStore;
  kv: KeyValue;
  clock: Clock;
  queue: JobQueue;
  /**
   * True while any backup job is running or paused. A running backup may reuse (deduplicate) an object no committed
   * snapshot references yet, so nothing is collected while one runs.
   */
  backupRunning: () => Promise<boolean>;
  logger?: Logger;
}

export interface GarbageLimits {
  /** Objects one step deletes at most. */
  maxDeletesPerStep: number;
  /** How long one step holds the maintenance lock deleting: backups cannot start meanwhile. */
  lockWindowMs: number;
  /** The lock's lease: a step that crashed holding it keeps backups out this long at most. */
  lockTtlMs: number;
  /** Time one step spends at most (listing, reading the index, deleting), and what it leaves of the invocation. */
  stepBudgetMs: number;
  stepMarginMs: number;
  /** The pause between steps, in which a backup can start (the next step then waits for it). */
  nextStepDelaySeconds: number;
}

export const DEFAULT_GARBAGE_LIMITS: GarbageLimits = {
  maxDeletesPerStep: 500,
  lockWindowMs: 60_000,
  lockTtlMs: 10 * 60_000,
  stepBudgetMs: 10 * 60_000,
  stepMarginMs: 60_000,
  nextStepDelaySeconds: 60,
};

/** Deleting stops this long before the lock's lease ends, so a backup never starts while we still delete. */
const LEASE_SAFETY_MS = 2 * 60_000;

export type GarbageStepOutcome =
  | { action: 'ignored'; reason: string }
  /** The maintenance lock is held (rotation, an admin's delete, another delivery of this step): try this event later. */
  | { action: 'retry-later'; afterSeconds: number }
  /** Stood back for a backup; the scheduler sends the step again when none runs. */
  | { action: 'waiting'; reason: NonNullable<GarbageRun['waiting']> }
  | { action: 'continued'; deletedObjects: number; freedBytes: number }
  | { action: 'finished'; last: GarbageLast };

interface Candidate {
  path: string;
  size: number;
  kind: number;
  /** Its age is known from a note in KVS (the store gives none): the note goes with it. */
  noted: boolean;
}

/**
 * One step of a garbage collection run (the worker's `maintenance.gc` event):
 * 1. Stand back while a backup runs or a scheduled one wants to start.
 * 2. Without the lock: read what every snapshot references (the slow part on a large FTP repository), and list the
 *    repository from the run's cursor for objects older than the margin (24 h, garbage-age.ts) that none references.
 * 3. Only when there are some: take the store's maintenance lock (atomic create), look for running backups AGAIN (a
 *    backup marks itself running before it checks the lock, so of the two at least one stands back), recompute the
 *    referenced set from the snapshots committed now (manifests re-read; checksum lists reused from step 2, see
 *    referencedObjects), and delete the candidates it does not name, for at most a short window.
 * 4. Release the lock, save the cursor and queue the next step after a pause, or finish the run.
 * Safe to deliver twice: an event whose seq is no longer the run's is ignored, and two deliveries of the same step
 * cannot both hold the lock. Deletion is idempotent, so a step that crashed is simply redone from the saved cursor.
 */
export async function runGarbageStep(
  deps: GarbageStepDeps,
  event: GarbageStepEvent,
  options: { remainingMs: number; limits?: Partial<GarbageLimits> },
): Promise<GarbageStepOutcome> {
  const { kv, clock, store } = deps;
  const limits = { ...DEFAULT_GARBAGE_LIMITS, ...options.limits };
  const startedAt = clock.now();
  const deadline = startedAt + Math.max(0, Math.min(limits.stepBudgetMs, options.remainingMs - limits.stepMarginMs));

  const run = await kv.get<GarbageRun>(GARBAGE_RUN_KEY);
  if (!run || run.runId !== event.runId) return { action: 'ignored', reason: 'not the current run' };
  if (run.seq !== event.seq) return { action: 'ignored', reason: `step ${event.seq} is not the current step ${run.seq}` };
  const busy = await standBackReason(deps, startedAt);
  if (busy) return wait(kv, run, busy, startedAt);

  const cutoff = startedAt - GARBAGE_MARGIN_MS;
  const lists = new Map<string, string[]>();
  const known = await referencedLeniently(store, lists);
  const scan = await findCandidates({ store, kv, clock }, run.cursor, known, cutoff, limits.maxDeletesPerStep, deadline);

  let cursor = scan.end;
  let deletedObjects = 0;
  let freedBytes = 0;
  if (scan.candidates.length > 0) {
    const owner = `gc-${run.runId}-${run.seq}-${randomUUID().slice(0, 8)}`;
    const lockedAt = clock.now();
    if (!(await takeMaintenanceLock(kv, owner, lockedAt, limits.lockTtlMs))) return { action: 'retry-later', afterSeconds: 60 };
    try {
      if (await deps.backupRunning()) return await wait(kv, run, 'backup-running', clock.now());
      let keep: Set<string>;
      try {
        keep = await referencedObjects(store, await listSnapshotIds(store), lists);
      } catch (error) {
        if (error instanceof FormatError) return await finish(deps, run, { refused: error.message });
        throw error;
      }
      const stopAt = Math.min(deadline, lockedAt + limits.lockWindowMs, lockedAt + limits.lockTtlMs - LEASE_SAFETY_MS);
      let handled = 0;
      for (const candidate of scan.candidates) {
        if (clock.now() >= stopAt) break;
        if (!keep.has(candidate.path)) {
          await store.delete(candidate.path);
          deletedObjects++;
          freedBytes += candidate.size;
        }
        if (candidate.noted) await forgetFirstSeen(kv, candidate.path);
        handled++;
        cursor = { kind: candidate.kind, after: candidate.path };
      }
      if (handled === scan.candidates.length) cursor = scan.end;
    } finally {
      await releaseMaintenanceLock(kv, owner);
    }
  }

  const next: GarbageRun = {
    ...run, cursor, seq: run.seq + 1, updatedAt: clock.now(), waiting: undefined,
    deletedObjects: run.deletedObjects + deletedObjects, freedBytes: run.freedBytes + freedBytes,
  };
  if (cursor.kind >= GARBAGE_PREFIXES.length) return finish(deps, next);
  await kv.set(GARBAGE_RUN_KEY, next);
  await deps.queue.push([garbageStepEvent(next)], { delaySeconds: limits.nextStepDelaySeconds });
  deps.logger?.info('garbage collection step done', { runId: run.runId, seq: run.seq, deletedObjects, freedBytes, cursor });
  return { action: 'continued', deletedObjects, freedBytes };
}

async function standBackReason(deps: GarbageStepDeps, now: number): Promise<GarbageRun['waiting']> {
  if (await garbageYieldRequested(deps.kv, now)) return 'backup-wants-to-start';
  if (await deps.backupRunning()) return 'backup-running';
  return undefined;
}

async function wait(kv: KeyValue, run: GarbageRun, reason: NonNullable<GarbageRun['waiting']>, now: number): Promise<GarbageStepOutcome> {
  await kv.set<GarbageRun>(GARBAGE_RUN_KEY, { ...run, waiting: reason, updatedAt: now });
  return { action: 'waiting', reason };
}

/**
 * What the snapshots reference, read without the lock. Only a first sieve: a snapshot deleted (or half-deleted) while
 * we read it is skipped, which can only make more objects look unreferenced — the locked recount decides.
 */
async function referencedLeniently(store: BackupStore, lists: Map<string, string[]>): Promise<Set<string>> {
  const paths = new Set<string>();
  for (const id of await listSnapshotIds(store)) {
    try {
      for (const path of await referencedObjects(store, [id], lists)) paths.add(path);
    } catch (error) {
      if (!(error instanceof FormatError)) throw error;
    }
  }
  return paths;
}

/** Unreferenced objects older than `cutoff` from `cursor` on, up to `max`; `end` is where the listing stopped. */
async function findCandidates(
  { store, kv, clock }: { store: BackupStore; kv: KeyValue; clock: Clock },
  cursor: GarbageCursor, known: Set<string>, cutoff: number, max: number, deadline: number,
): Promise<{ candidates: Candidate[]; end: GarbageCursor }> {
  const candidates: Candidate[] = [];
  for (let kind = cursor.kind; kind < GARBAGE_PREFIXES.length; kind++) {
    const after = kind === cursor.kind ? cursor.after : undefined;
    let last = after;
    for (const object of await store.list(GARBAGE_PREFIXES[kind])) {
      if (after !== undefined && object.path <= after) continue;
      if (candidates.length >= max || clock.now() >= deadline) return { candidates, end: { kind, after: last } };
      last = object.path;
      // Kept: other files (config.json…), referenced objects, and objects younger than the margin (garbage-age.ts).
      if (!parseObjectPath(object.path) || known.has(object.path)) continue;
      const age = await ageOf(kv, object, cutoff, clock.now());
      if (age === 'young') continue;
      candidates.push({ path: object.path, size: object.size, kind, noted: age === 'old-noted' });
    }
  }
  return { candidates, end: { kind: GARBAGE_PREFIXES.length } };
}

/** Ends the run: the last-run record replaces it, and requests it served (made before it started) are cleared. */
async function finish(deps: GarbageStepDeps, run: GarbageRun, problem: { refused?: string } = {}): Promise<GarbageStepOutcome> {
  const { kv, clock } = deps;
  const last: GarbageLast = {
    runId: run.runId, startedAt: run.startedAt, finishedAt: clock.now(), reason: run.reason,
    deletedObjects: run.deletedObjects, freedBytes: run.freedBytes, ...(problem.refused ? { refused: problem.refused } : {}),
  };
  const due = await kv.get<GarbageDue>(GARBAGE_DUE_KEY);
  await kv.transact([
    { op: 'set', key: GARBAGE_LAST_KEY, value: last },
    { op: 'delete', key: GARBAGE_RUN_KEY },
    ...(due && due.at <= run.startedAt ? [{ op: 'delete' as const, key: GARBAGE_DUE_KEY }] : []),
  ]);
  if (problem.refused) deps.logger?.warn('garbage collection refused: a snapshot could not be read', { runId: run.runId, error: problem.refused });
  else deps.logger?.info('garbage collection finished', { ...last });
  return { action: 'finished', last };
}
