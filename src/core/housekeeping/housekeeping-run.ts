/**
 * The state of KVS housekeeping: the run in progress (its phase and cursor, so a run spread over many worker steps
 * resumes where it stopped) and the last finished run. What a run removes, and what it must keep, is in README.md.
 */
import { runStepEvents, type RunStepEvent } from '../maintenance/run-step-event';

export const HOUSEKEEPING_EVENT = 'maintenance.housekeeping';
export const HOUSEKEEPING_RUN_KEY = 'maintenance:housekeeping:run';
export const HOUSEKEEPING_LAST_KEY = 'maintenance:housekeeping:last';
/** Held by the delivery running a step (`{owner, until}`, claims.ts). */
export const HOUSEKEEPING_LEASE_KEY = 'maintenance:housekeeping:lease';

const DAY = 24 * 3_600_000;
/** A run is due this long after the last one started: storage grows by a few jobs a day, so daily is plenty. */
export const HOUSEKEEPING_INTERVAL_MS = DAY;
/** A run no step has touched for this long lost its event (or its step crashed): the scheduler sends it again. */
export const HOUSEKEEPING_STALE_MS = 20 * 60_000;
/**
 * Finished backup jobs' working keys, and dry runs and comparisons no restore uses, go this long after they were last
 * touched: long enough for an admin to come back to a result, short enough that KVS stays small.
 */
export const WORKING_KEYS_AGE_MS = 7 * DAY;
/** A finished restore's record and per-issue results (its report) are kept this long after it finished. */
export const RESTORE_JOB_AGE_MS = 30 * DAY;

/** The order a run goes through KVS; each phase lists one key prefix (housekeeping-step.ts). */
export const HOUSEKEEPING_PHASES = ['backup-jobs', 'restore-plannings', 'gc-notes'] as const;
export type HousekeepingPhase = (typeof HOUSEKEEPING_PHASES)[number];

/** Keys removed, by what they belonged to. */
export type HousekeepingCounts = Record<HousekeepingPhase, number>;

export const noCounts = (): HousekeepingCounts => ({ 'backup-jobs': 0, 'restore-plannings': 0, 'gc-notes': 0 });

export interface HousekeepingRun {
  runId: string;
  /** The step the next event must carry; an event with another number is a duplicate or stale. */
  seq: number;
  startedAt: number;
  updatedAt: number;
  /** Index into HOUSEKEEPING_PHASES; HOUSEKEEPING_PHASES.length once every phase is done. */
  phase: number;
  /** The KVS query cursor that fetched the page in hand (absent: the phase's first page). */
  pageCursor?: string;
  /** The last key of the phase fully handled: a resumed step skips keys up to it (key order is stable). */
  after?: string;
  removed: HousekeepingCounts;
}

export interface HousekeepingLast {
  runId: string;
  startedAt: number;
  finishedAt: number;
  removed: HousekeepingCounts;
}

export type HousekeepingStepEvent = RunStepEvent<typeof HOUSEKEEPING_EVENT>;

const housekeepingStepEvents = runStepEvents(HOUSEKEEPING_EVENT);
export const isHousekeepingStepEvent = housekeepingStepEvents.is;
export const housekeepingStepEvent = housekeepingStepEvents.of;

export function totalRemoved(counts: HousekeepingCounts): number {
  return HOUSEKEEPING_PHASES.reduce((sum, phase) => sum + counts[phase], 0);
}
