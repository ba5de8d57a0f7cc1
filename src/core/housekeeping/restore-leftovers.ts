import { diffKeys } from '../restore/diff-store';
import { restoreJobKeys, type RestoreJob } from '../restore/job-state';
import { planKeys } from '../restore/plan-store';
import { planningKeys, type PlanningRecord } from '../restore/planning-record';
import type { TidyContext } from './backup-leftovers';
import { RESTORE_JOB_AGE_MS, WORKING_KEYS_AGE_MS } from './housekeeping-run';

export interface RestoreTidyContext extends TidyContext {
  /**
   * The key that marks a finished restore as audited (`restore.finished`, written by the first status read after it
   * ended: src/entry/resolvers/restore-resolvers.ts). A finished restore without it is kept: removing its record would
   * lose that audit entry.
   */
  auditedMarker: (jobId: string) => string;
  /** Writes the `restore.finished` entry (and the marker) of a finished restore nobody looked at; absent: such a restore is kept. */
  auditRestoreEnd?: (jobId: string) => Promise<void>;
}

/**
 * One planning (a dry run or a "what changed" comparison, `restore-planning:<id>`) and what hangs off its id: the stored
 * plan or diff, and the restore job started from that plan (a job's id is its plan's id).
 * - A restore job that is running or waiting: everything is kept (its steps read the plan).
 * - A finished restore job: kept with its plan and planning (its status and report read them) until it finished
 *   RESTORE_JOB_AGE_MS ago and its end is audited (by `auditRestoreEnd` if nobody opened its status after it ended);
 *   then its per-issue results, record, plan and planning go.
 * - No restore job: the planning, its plan or diff go once the planning was last touched WORKING_KEYS_AGE_MS ago.
 * The id map (`restore-map:`, `restore-map-any:`) is never touched: it makes a rerun of the same restore find what the
 * earlier run created instead of creating it twice. Issues carry their origin in Jira itself.
 * True when the planning is done with, false when the budget ran out.
 */
export async function tidyRestorePlanning(ctx: RestoreTidyContext, record: PlanningRecord): Promise<boolean> {
  const { kv, budget, now } = ctx;
  const id = record.id;
  const job = await kv.get<RestoreJob>(restoreJobKeys.record(id));
  if (job) {
    if (job.status === 'running' || job.status === 'waiting') return true;
    const finished = job.finishedAt ?? job.updatedAt;
    if (!(finished <= now && now - finished >= RESTORE_JOB_AGE_MS)) return true;
    if ((await kv.get(ctx.auditedMarker(id))) === undefined) {
      await ctx.auditRestoreEnd?.(id);
      if ((await kv.get(ctx.auditedMarker(id))) === undefined) return true;
    }
    // Results before the record: a step that stops in between finds the job again and finishes it next time.
    if (!(await budget.deletePrefix(restoreJobKeys.resultPrefix(id)))) return false;
    if (!(await budget.delete([restoreJobKeys.record(id)]))) return false;
    if (!(await budget.deleteIfPresent(ctx.auditedMarker(id)))) return false;
  } else {
    const touched = record.updatedAt ?? record.createdAt;
    if (!(touched <= now && now - touched >= WORKING_KEYS_AGE_MS)) return true;
    // Started from this plan between our look and now? (restoreStart needs the whole plan; it then says it is gone.)
    if ((await kv.get(restoreJobKeys.record(id))) !== undefined) return true;
  }
  // Chunks before headers, headers before the planning record: what is left is always found again from the record.
  return (
    (await budget.deletePrefix(planKeys.chunkPrefix(id), 5)) &&
    (await budget.deleteIfPresent(planKeys.header(id))) &&
    (await budget.deletePrefix(diffKeys.chunkPrefix(id), 5)) &&
    (await budget.deleteIfPresent(diffKeys.header(id))) &&
    (await budget.deleteIfPresent(planningKeys.queued(id))) &&
    (await budget.deleteIfPresent(planningKeys.lease(id))) &&
    (await budget.delete([planningKeys.record(id)]))
  );
}
