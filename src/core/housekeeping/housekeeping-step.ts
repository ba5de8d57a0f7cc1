import { randomUUID } from 'node:crypto';
import type { BackupStore, Clock, JobQueue, KeyValue, KeyValuePage, Logger } from '../../ports';
import { claimLease, releaseLease } from '../backup/claims';
import { backupKeys } from '../backup/keys';
import type { BackupJob } from '../backup/types';
import { planningKeys, type PlanningRecord } from '../restore/planning-record';
import { GARBAGE_FIRST_SEEN_PREFIX } from '../retention/garbage-age';
import { tidyBackupJob } from './backup-leftovers';
import { DeleteBudget } from './delete-budget';
import { tidyGarbageNote } from './gc-notes';
import {
  HOUSEKEEPING_LAST_KEY, HOUSEKEEPING_LEASE_KEY, HOUSEKEEPING_PHASES, HOUSEKEEPING_RUN_KEY, housekeepingStepEvent,
  type HousekeepingLast, type HousekeepingPhase, type HousekeepingRun, type HousekeepingStepEvent,
} from './housekeeping-run';
import { tidyRestorePlanning } from './restore-leftovers';

export interface HousekeepingStepDeps {
  kv: KeyValue;
  clock: Clock;
  queue: JobQueue;
  /** The configured store, for garbage collection's age notes; absent or failing, that phase waits for the next run. */
  store?: () => Promise<BackupStore>;
  /** The key marking a finished restore as audited (src/entry/resolvers/restore-resolvers.ts owns it). */
  restoreAuditedMarker: (jobId: string) => string;
  /** Audits the end of a finished restore nobody looked at, before it is removed (restore-leftovers.ts). */
  auditRestoreEnd?: (jobId: string) => Promise<void>;
  logger?: Logger;
}

export interface HousekeepingLimits {
  /** KVS keys one step deletes at most. */
  maxDeletesPerStep: number;
  /** Time one step spends at most, and what it leaves of the invocation. */
  stepBudgetMs: number;
  stepMarginMs: number;
  /** Keys listed per query page (each listed key's value is read too). */
  pageSize: number;
  /** The pause before the next step: housekeeping is never urgent, other work goes first. */
  nextStepDelaySeconds: number;
}

export const DEFAULT_HOUSEKEEPING_LIMITS: HousekeepingLimits = {
  maxDeletesPerStep: 1_000,
  stepBudgetMs: 5 * 60_000,
  stepMarginMs: 60_000,
  pageSize: 20,
  nextStepDelaySeconds: 30,
};

export type HousekeepingStepOutcome =
  | { action: 'ignored'; reason: string }
  | { action: 'continued'; removed: number }
  | { action: 'finished'; last: HousekeepingLast };

/** What a phase lists, and what it does with each key it lists (false: the budget ran out on it). */
interface Phase {
  prefix: string;
  handle: (entry: { key: string; value: unknown }) => Promise<boolean>;
}

/**
 * One step of a housekeeping run (the worker's `maintenance.housekeeping` event). Goes through the phases in order,
 * each a listing of one key prefix in key order, and lets the phase's rules (backup-leftovers.ts,
 * restore-leftovers.ts, gc-notes.ts) decide per key what goes. Stops when the step's budget (keys deleted, time) is
 * spent, saves where it stopped (the page's query cursor and the last key handled) and queues the next step.
 * Safe to deliver twice or to crash anywhere: an event whose seq is no longer the run's is ignored, and every rule
 * deletes in an order that a redone step finds again (a key already gone is simply not listed).
 */
export async function runHousekeepingStep(
  deps: HousekeepingStepDeps,
  event: HousekeepingStepEvent,
  options: { remainingMs: number; limits?: Partial<HousekeepingLimits> },
): Promise<HousekeepingStepOutcome> {
  const { kv, clock } = deps;
  const limits = { ...DEFAULT_HOUSEKEEPING_LIMITS, ...options.limits };
  const startedAt = clock.now();
  const run = await kv.get<HousekeepingRun>(HOUSEKEEPING_RUN_KEY);
  if (!run || run.runId !== event.runId) return { action: 'ignored', reason: 'not the current run' };
  if (run.seq !== event.seq) return { action: 'ignored', reason: `step ${event.seq} is not the current step ${run.seq}` };

  const deadline = startedAt + Math.max(0, Math.min(limits.stepBudgetMs, options.remainingMs - limits.stepMarginMs));
  // One delivery of a step at a time (Forge may deliver an event twice, at once): two would count the same keys. A
  // holder that died keeps the claim until its deadline; the scheduler then sends the step again (housekeeping-schedule.ts).
  const owner = randomUUID();
  if (!(await claimLease(kv, HOUSEKEEPING_LEASE_KEY, { owner, until: deadline + limits.stepMarginMs }, startedAt))) {
    return { action: 'ignored', reason: 'another delivery is running this step' };
  }
  try {
    // Read again under the claim: the other delivery may have finished this step meanwhile.
    const current = await kv.get<HousekeepingRun>(HOUSEKEEPING_RUN_KEY);
    if (!current || current.runId !== event.runId || current.seq !== event.seq) return { action: 'ignored', reason: 'step already run by another delivery' };
    return await runClaimedStep(deps, limits, current, deadline);
  } finally {
    await releaseLease(kv, HOUSEKEEPING_LEASE_KEY, owner).catch(() => undefined);
  }
}

async function runClaimedStep(deps: HousekeepingStepDeps, limits: HousekeepingLimits, run: HousekeepingRun, deadline: number): Promise<HousekeepingStepOutcome> {
  const { kv, clock } = deps;
  const startedAt = clock.now();
  const state: HousekeepingRun = { ...run, removed: { ...run.removed } };
  // Each group of deletes is written together with the run's new count (its position stays before the key in hand,
  // so a crashed step redoes that key and finds what it already removed gone).
  const budget = new DeleteBudget(kv, clock, limits.maxDeletesPerStep, deadline, (deleted) => {
    state.removed[HOUSEKEEPING_PHASES[state.phase]] += deleted;
    return { op: 'set', key: HOUSEKEEPING_RUN_KEY, value: { ...state, removed: { ...state.removed }, updatedAt: clock.now() } satisfies HousekeepingRun };
  });

  while (state.phase < HOUSEKEEPING_PHASES.length && !budget.spent) {
    const name = HOUSEKEEPING_PHASES[state.phase];
    const phase = await phaseOf(deps, name, budget, startedAt);
    const page = phase ? await listFrom(deps, phase.prefix, state, limits.pageSize, name) : { entries: [] };
    let stopped = false;
    for (const entry of page.entries) {
      if (state.after !== undefined && entry.key <= state.after) continue;
      if (budget.spent || !(await phase!.handle(entry))) {
        stopped = true;
        break;
      }
      state.after = entry.key;
    }
    if (stopped) break;
    if (page.nextCursor) {
      state.pageCursor = page.nextCursor;
    } else {
      state.phase++;
      state.pageCursor = undefined;
      state.after = undefined;
    }
  }

  if (state.phase >= HOUSEKEEPING_PHASES.length) return finish(deps, state);
  const next: HousekeepingRun = { ...state, seq: run.seq + 1, updatedAt: clock.now() };
  await kv.set(HOUSEKEEPING_RUN_KEY, next);
  await deps.queue.push([housekeepingStepEvent(next)], { delaySeconds: limits.nextStepDelaySeconds });
  deps.logger?.info('housekeeping step done', { runId: run.runId, seq: run.seq, removed: budget.deleted, phase: HOUSEKEEPING_PHASES[next.phase] });
  return { action: 'continued', removed: budget.deleted };
}

async function phaseOf(deps: HousekeepingStepDeps, name: HousekeepingPhase, budget: DeleteBudget, startedAt: number): Promise<Phase | undefined> {
  const ctx = { kv: deps.kv, now: startedAt, budget };
  switch (name) {
    case 'backup-jobs':
      return { prefix: backupKeys.jobPrefix, handle: ({ value }) => tidyBackupJob(ctx, value as BackupJob) };
    case 'restore-plannings':
      return {
        prefix: planningKeys.prefix,
        // Markers (`<id>:queued`, `<id>:lease`) go with their record: ids hold no ':'.
        handle: async ({ key, value }) =>
          key.slice(planningKeys.prefix.length).includes(':') ? true : tidyRestorePlanning({ ...ctx, auditedMarker: deps.restoreAuditedMarker, auditRestoreEnd: deps.auditRestoreEnd }, value as PlanningRecord),
      };
    case 'gc-notes': {
      let store: BackupStore | undefined;
      try {
        store = await deps.store?.();
      } catch (error) {
        deps.logger?.warn('housekeeping: storage unavailable, age notes are looked at next time', { error: (error as Error).message });
      }
      if (!store) return undefined;
      const opened = store;
      return { prefix: GARBAGE_FIRST_SEEN_PREFIX, handle: ({ key }) => tidyGarbageNote(opened, budget, key) };
    }
  }
}

/**
 * The page in hand: fetched again with the cursor that first fetched it (keys up to `after` are then skipped). A cursor
 * KVS no longer accepts (it is opaque and may expire between steps) restarts the phase's listing from its first key;
 * `after` still skips what was handled.
 */
async function listFrom(deps: HousekeepingStepDeps, prefix: string, state: HousekeepingRun, limit: number, phase: string): Promise<KeyValuePage<unknown>> {
  if (state.pageCursor === undefined) return deps.kv.list(prefix, { limit });
  try {
    return await deps.kv.list(prefix, { cursor: state.pageCursor, limit });
  } catch (error) {
    deps.logger?.warn('housekeeping: saved cursor refused, listing the phase again from its start', { phase, error: (error as Error).message });
    state.pageCursor = undefined;
    return deps.kv.list(prefix, { limit });
  }
}

/** Ends the run: the last-run record replaces it. */
async function finish(deps: HousekeepingStepDeps, run: HousekeepingRun): Promise<HousekeepingStepOutcome> {
  const last: HousekeepingLast = { runId: run.runId, startedAt: run.startedAt, finishedAt: deps.clock.now(), removed: run.removed };
  await deps.kv.transact([
    { op: 'set', key: HOUSEKEEPING_LAST_KEY, value: last },
    { op: 'delete', key: HOUSEKEEPING_RUN_KEY },
  ]);
  deps.logger?.info('housekeeping finished', { ...last });
  return { action: 'finished', last };
}
