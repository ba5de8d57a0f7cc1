/**
 * The state of store-wide garbage collection in KVS: the run in progress (its cursor, so a run spread over many worker
 * steps resumes where it stopped), the last finished run, and the requests that make the next run due.
 *
 * Garbage is every content-addressed object no committed snapshot references: merged step index parts, what a failed
 * or cancelled run wrote, what an interrupted deletion left. The rules that keep it safe are in garbage-step.ts.
 */
import type { KeyValue } from '../../ports';
import { runStepEvents, type RunStepEvent } from '../maintenance/run-step-event';

export const GARBAGE_EVENT = 'maintenance.gc';
export const GARBAGE_RUN_KEY = 'maintenance:gc:run';
export const GARBAGE_LAST_KEY = 'maintenance:gc:last';
export const GARBAGE_DUE_KEY = 'maintenance:gc:due';
export const GARBAGE_SEEN_KEY = 'maintenance:gc:seen-snapshots';
export const GARBAGE_YIELD_KEY = 'maintenance:gc:yield';

const HOUR = 3_600_000;
/** Objects written this recently are never collected, referenced or not: a backup we cannot see may still need them. */
export const GARBAGE_MARGIN_MS = 24 * HOUR;
/** Without a request, a run is due this long after the last one started. */
export const GARBAGE_INTERVAL_MS = 24 * HOUR;
/** A run no step has touched for this long lost its event (or its step crashed): the scheduler sends it again. */
export const GARBAGE_STALE_MS = 20 * 60_000;
/** How long a scheduled backup that found the store locked keeps collection away (its retry comes at the next tick). */
export const GARBAGE_YIELD_MS = 15 * 60_000;

/** Where the sweep stands: the object kind (index into GARBAGE_PREFIXES) and the last path handled in it. */
export interface GarbageCursor {
  kind: number;
  after?: string;
}

/**
 * The order the sweep goes through the repository: data before the index parts and lists that describe it. Project
 * lists (format 2) come last so the cursor (an index into this list) of a sweep started before them still means the same.
 */
export const GARBAGE_PREFIXES = ['packs/', 'blobs/', 'indexes/', 'checksums/', 'projects/'] as const;

export interface GarbageRun {
  runId: string;
  /** The step the next event must carry; an event with another number is a duplicate or stale. */
  seq: number;
  startedAt: number;
  updatedAt: number;
  /** Why the run started (snapshots deleted, a failed backup's leftovers aged, daily). */
  reason: string;
  cursor: GarbageCursor;
  deletedObjects: number;
  freedBytes: number;
  /** Set when a step stood back; the scheduler sends the step again once nothing is in the way. */
  waiting?: 'backup-running' | 'backup-wants-to-start';
}

export interface GarbageLast {
  runId: string;
  startedAt: number;
  finishedAt: number;
  reason: string;
  deletedObjects: number;
  freedBytes: number;
  /** Why the run deleted nothing and stopped: a kept snapshot could not be read, so what it needs is unknown. */
  refused?: string;
}

export interface GarbageDue {
  /** Epoch ms from which a run is due. */
  at: number;
  reason: string;
}

export type GarbageStepEvent = RunStepEvent<typeof GARBAGE_EVENT>;

const garbageStepEvents = runStepEvents(GARBAGE_EVENT);
export const isGarbageStepEvent = garbageStepEvents.is;
export const garbageStepEvent = garbageStepEvents.of;

/**
 * Asks for a run from `at` on (now after snapshots were deleted; a day after a failed run, when what it wrote is old
 * enough to collect). The earliest request wins; a later one is then served by that run or by the daily one.
 */
export async function requestGarbageCollection(kv: KeyValue, at: number, reason: string): Promise<void> {
  const due = await kv.get<GarbageDue>(GARBAGE_DUE_KEY);
  if (due && due.at <= at) return;
  await kv.set<GarbageDue>(GARBAGE_DUE_KEY, { at, reason });
}

/** Why a run is due at `now`, or undefined. */
export async function garbageDueReason(kv: KeyValue, now: number): Promise<string | undefined> {
  const [due, last] = await Promise.all([kv.get<GarbageDue>(GARBAGE_DUE_KEY), kv.get<GarbageLast>(GARBAGE_LAST_KEY)]);
  if (due && due.at <= now) return due.reason;
  if (!last) return 'never collected';
  // A last run dated in the future means the clock moved back: run rather than wait for it.
  if (now - last.startedAt >= GARBAGE_INTERVAL_MS || last.startedAt > now) return 'daily';
  return undefined;
}

/** A scheduled backup was refused because the store was locked: collection stands back until it has started. */
export async function askGarbageCollectionToYield(kv: KeyValue, now: number): Promise<void> {
  await kv.set(GARBAGE_YIELD_KEY, { until: now + GARBAGE_YIELD_MS });
}

export async function clearGarbageYield(kv: KeyValue): Promise<void> {
  await kv.delete(GARBAGE_YIELD_KEY);
}

export async function garbageYieldRequested(kv: KeyValue, now: number): Promise<boolean> {
  const held = await kv.get<{ until: number }>(GARBAGE_YIELD_KEY);
  return !!held && held.until > now;
}
