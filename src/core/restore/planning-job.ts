import { claimLease, releaseLease } from '../backup/claims';
import { diffProject } from './browse';
import { saveDiff, storedDiffOf } from './diff-store';
import { JiraCallError } from './jira-call';
import { planRestore } from './planner';
import type { PlanningProgress } from './planning-progress';
import { leaseKey, loadPlanning, planningEvent, savePlanning, type PlanningEvent, type PlanningFailure, type PlanningRecord } from './planning-record';
import { newIdFrom, type RestoreDeps } from './restore-deps';

/**
 * Runs one queued planning (a dry run or a project diff) in the worker. One planning is read in one go: the plan is
 * built from everything read, so it is not resumable; instead it gets the worker's budget (up to 15 minutes, not the
 * resolver's 25 s) and, past it, ends with a message saying so rather than being cut off silently.
 */

/** Deliveries that may start the same planning; more means each was cut off before it could record why. */
const MAX_ATTEMPTS = 3;
/** Progress is written to KVS every this many issues (a write per issue would cost more than the reading). */
const PROGRESS_EVERY = 200;
const DEFAULT_BUDGET_MS = 10 * 60_000;

export interface PlanningRunOptions {
  /** Planning stops (and fails with a clear message) once this much time has passed. */
  budgetMs?: number;
  /** How long this delivery can live (the invocation's remaining time): a duplicate delivery stands back that long. */
  leaseMs?: number;
  /** Turns an error into the message the page shows; undefined for unexpected errors, which the queue retries. */
  explain: (error: unknown) => PlanningFailure | undefined;
}

export type PlanningOutcome = 'done' | 'failed' | 'ignored' | 'requeued';

/** Thrown by the progress hook when the budget is spent; ends the planning as failed. */
class PlanningOutOfTime extends Error {}

export async function runPlanning(deps: RestoreDeps, event: PlanningEvent, options: PlanningRunOptions): Promise<PlanningOutcome> {
  const { kv, clock } = deps;
  const found = await loadPlanning(kv, event.planningId);
  if (!found) {
    deps.logger?.warn('restore planning event for an unknown planning ignored', { planningId: event.planningId });
    return 'ignored';
  }
  // At-least-once delivery: a planning that already ended is not planned again (its plan stays the one shown).
  if (found.state === 'done' || found.state === 'failed') return 'ignored';
  const startedAt = clock.now();
  const budgetMs = options.budgetMs ?? DEFAULT_BUDGET_MS;
  const owner = `planner-${newIdFrom(deps)}`;
  // One delivery at a time: a duplicate delivered while this one runs stands back. If this one dies, Forge
  // redelivers its event after the lease (this invocation's lifetime) has run out.
  if (!(await claimLease(kv, leaseKey(found.id), { owner, until: startedAt + Math.max(budgetMs, options.leaseMs ?? 0) }, startedAt))) return 'ignored';
  try {
    const record = (await loadPlanning(kv, found.id)) ?? found;
    if (record.state === 'done' || record.state === 'failed') return 'ignored';
    record.attempts += 1;
    if (record.attempts > MAX_ATTEMPTS) {
      return fail(deps, record, {
        code: 'unavailable',
        message: `The ${noun(record)} was stopped ${MAX_ATTEMPTS} times before it could finish (${readText(record)}). Try again later; for a very large project, restore its issues in batches.`,
      });
    }
    record.state = 'running';
    record.updatedAt = startedAt;
    await savePlanning(kv, record);
    try {
      await plan(deps, record, progressOf(deps, record, startedAt + budgetMs));
    } catch (error) {
      return await failed(deps, record, error, options, clock.now() - startedAt);
    }
    record.state = 'done';
    record.updatedAt = clock.now();
    await savePlanning(kv, record);
    return 'done';
  } finally {
    await releaseLease(kv, leaseKey(found.id), owner);
  }
}

async function plan(deps: RestoreDeps, record: PlanningRecord, progress: PlanningProgress): Promise<void> {
  const task = record.task;
  if (task.kind === 'preview') {
    // The plan's id is the planning's: a later delivery rewrites the same plan, it never makes a second one.
    await planRestore(deps, task.request, { planId: record.id, progress });
    return;
  }
  const diff = await diffProject(deps, task.snapshotId, task.projectKey, progress);
  await saveDiff(deps.kv, record.id, storedDiffOf(diff));
}

/** Counts what is read into the record (written every PROGRESS_EVERY issues) and stops the planning at the deadline. */
function progressOf(deps: RestoreDeps, record: PlanningRecord, deadline: number): PlanningProgress {
  let unsaved = 0;
  const tick = async (): Promise<void> => {
    if (deps.clock.now() > deadline) throw new PlanningOutOfTime();
    if (++unsaved < PROGRESS_EVERY) return;
    unsaved = 0;
    record.updatedAt = deps.clock.now();
    await savePlanning(deps.kv, record);
  };
  return {
    readFromBackup: async (count = 1) => {
      record.issuesRead += count;
      await tick();
    },
    readFromSite: async (count = 1) => {
      record.issuesCompared += count;
      await tick();
    },
  };
}

async function failed(deps: RestoreDeps, record: PlanningRecord, error: unknown, options: PlanningRunOptions, elapsedMs: number): Promise<PlanningOutcome> {
  if (error instanceof PlanningOutOfTime) {
    const minutes = Math.max(1, Math.round(elapsedMs / 60_000));
    return fail(deps, record, {
      code: 'unavailable',
      message:
        `The ${noun(record)} did not finish in the ${minutes} minute${minutes === 1 ? '' : 's'} a background task may run (${readText(record)}). ` +
        'Restore this project in parts: choose its issues in batches (search the backup, or add them from the list of changes) and run a dry run for each.',
    });
  }
  if (error instanceof JiraCallError && error.rateLimited && record.attempts < MAX_ATTEMPTS) {
    // Jira asked us to wait: plan again from the start once it lets us (nothing was stored yet).
    record.state = 'queued';
    record.issuesRead = 0;
    record.issuesCompared = 0;
    record.updatedAt = deps.clock.now();
    await savePlanning(deps.kv, record);
    await deps.queue.push([planningEvent(record.id)], { delaySeconds: Math.min(900, Math.max(1, Math.ceil(error.retryAfterSeconds ?? 30))) });
    return 'requeued';
  }
  const explained = options.explain(error);
  if (explained) return fail(deps, record, explained);
  if (record.attempts >= MAX_ATTEMPTS) {
    return fail(deps, record, { code: 'unavailable', message: `The ${noun(record)} failed: ${error instanceof Error ? error.message : String(error)}` });
  }
  record.state = 'queued';
  record.updatedAt = deps.clock.now();
  await savePlanning(deps.kv, record);
  throw error; // an unexpected error (KVS busy, a network fault): the queue redelivers the event and it plans again
}

async function fail(deps: RestoreDeps, record: PlanningRecord, error: PlanningFailure): Promise<'failed'> {
  record.state = 'failed';
  record.error = error;
  record.updatedAt = deps.clock.now();
  await savePlanning(deps.kv, record);
  return 'failed';
}

function noun(record: PlanningRecord): string {
  return record.task.kind === 'preview' ? 'dry run' : 'comparison with the site';
}

function readText(record: PlanningRecord): string {
  return `${record.issuesRead} issues read from the backup, ${record.issuesCompared} compared with the site`;
}
