import type { JobEvent, KeyValue } from '../../ports';
import type { RestoreRequest } from './plan-types';
import type { RestoreDeps } from './restore-deps';
import { createOnce } from '../backup/claims';

/**
 * A queued dry run or project diff ("planning"). Both read the backup and the live site issue by issue, which for a
 * project of thousands of issues outlasts the 25 s a UI resolver gets: the resolver stores this record and queues a
 * `restore.plan` event, the worker (900 s) does the reading, and the page polls the record until it is done.
 * The planning id is also the id of its result: the stored plan (plan-store.ts) or the stored diff (diff-store.ts).
 */

export const RESTORE_PLAN_KIND = 'restore.plan';

export interface PlanningEvent extends JobEvent {
  kind: typeof RESTORE_PLAN_KIND;
  planningId: string;
}

export type PlanningTask =
  | { kind: 'preview'; request: RestoreRequest }
  | { kind: 'diff'; snapshotId: string; projectKey: string };

/** Why a planning ended without a result, as the page shows it (same codes as the resolvers' errors). */
export interface PlanningFailure {
  code: 'invalid' | 'not-found' | 'unavailable';
  message: string;
  fields?: { field: string; message: string }[];
}

export interface PlanningRecord {
  id: string;
  task: PlanningTask;
  /** queued: waiting for the worker (also between retries); running: a worker is reading; done / failed: final. */
  state: 'queued' | 'running' | 'done' | 'failed';
  createdAt: number;
  updatedAt: number;
  /** Issues read from the backup, and issues read from (compared with) the site, so far. */
  issuesRead: number;
  issuesCompared: number;
  /** Deliveries that started planning; more than a few means each was cut off (see planning-job.ts). */
  attempts: number;
  error?: PlanningFailure;
}

const recordKey = (planningId: string) => `restore-planning:${planningId}`;
/** Kept apart from the record: only the resolver writes it, so it never overwrites the worker's progress. */
const queuedKey = (planningId: string) => `restore-planning:${planningId}:queued`;
export const leaseKey = (planningId: string) => `restore-planning:${planningId}:lease`;

const MAX_TASK_CHARS = 100_000;

/** Ids the page makes up per click; checked so they are safe inside KVS keys (no '/', bounded length). */
export const PLANNING_ID = /^[A-Za-z0-9_-]{8,64}$/;

export function loadPlanning(kv: KeyValue, planningId: string): Promise<PlanningRecord | undefined> {
  return kv.get<PlanningRecord>(recordKey(planningId));
}

export function savePlanning(kv: KeyValue, record: PlanningRecord): Promise<void> {
  return kv.set(recordKey(record.id), record);
}

export function planningEvent(planningId: string): PlanningEvent {
  return { kind: RESTORE_PLAN_KIND, planningId };
}

/** A resolver call lives at most 25 s: a record older than this whose event was never queued lost its creator. */
const CREATOR_GONE_MS = 30_000;

/**
 * Stores the planning and queues its event, once per id: only the call whose atomic create won queues it, so a
 * retried (or doubled) call with the same id and task queues nothing more. If the winner stopped between storing
 * and queueing, a retry after its 25 s are certainly over queues it instead. The same id with another task is
 * refused: the page makes a new id for every new dry run.
 */
export async function queuePlanning(deps: Pick<RestoreDeps, 'kv' | 'queue' | 'clock'>, planningId: string, task: PlanningTask): Promise<PlanningRecord> {
  if (!PLANNING_ID.test(planningId)) throw new Error(`"${planningId.slice(0, 80)}" is not a valid request id: 8–64 letters, digits, "-" or "_".`);
  // The record must fit one KVS value (240 KiB) with room to spare; the page's requests are far smaller.
  const size = JSON.stringify(task).length;
  if (size > MAX_TASK_CHARS) throw new Error(`This request is too large to queue (${size} characters); choose fewer issues, or restore the whole project.`);
  const now = deps.clock.now();
  const fresh: PlanningRecord = { id: planningId, task, state: 'queued', createdAt: now, updatedAt: now, issuesRead: 0, issuesCompared: 0, attempts: 0 };
  const created = await createOnce(deps.kv, recordKey(planningId), fresh);
  const record = created ? fresh : await loadPlanning(deps.kv, planningId);
  if (!record) throw new Error(`The request ${planningId} could not be stored; try again.`);
  if (JSON.stringify(record.task) !== JSON.stringify(task)) {
    throw new Error(`The request id ${planningId} was already used for another request; reload the page and try again.`);
  }
  const creatorGone = !created && now - record.createdAt > CREATOR_GONE_MS && !(await deps.kv.get<boolean>(queuedKey(planningId)));
  if (created || creatorGone) {
    // Should the marker's write fail after the push, a later retry queues a second event; the worker plans each id
    // once (planning-job.ts), so that costs a delivery, never a second plan.
    await deps.queue.push([planningEvent(planningId)]);
    await deps.kv.set(queuedKey(planningId), true);
  }
  return record;
}

/** A planning's keys, for housekeeping (src/core/housekeeping). Planning ids hold no ':' (PLANNING_ID), so a key under
 * the prefix with a ':' after the id is one of its markers, not a record. */
export const planningKeys = { prefix: 'restore-planning:', record: recordKey, queued: queuedKey, lease: leaseKey };
