import { randomUUID } from 'node:crypto';
import type { Clock, JobQueue, KeyValue, Logger } from '../../ports';
import { createOnce } from '../backup/claims';
import {
  HOUSEKEEPING_INTERVAL_MS, HOUSEKEEPING_LAST_KEY, HOUSEKEEPING_RUN_KEY, HOUSEKEEPING_STALE_MS, housekeepingStepEvent, noCounts,
  type HousekeepingLast, type HousekeepingRun,
} from './housekeeping-run';

export interface HousekeepingTickDeps {
  kv: KeyValue;
  clock: Clock;
  queue: JobQueue;
  newRunId?: () => string;
  logger?: Logger;
}

export type HousekeepingTickResult = { action: 'started' | 'resumed'; runId: string } | undefined;

/**
 * The scheduled trigger's part (every five minutes): starts a run a day after the last one started, and sends again
 * the step of a run that no step has touched for 20 minutes (its event was lost, or its step crashed past Forge's
 * retries). Costs two KVS reads when nothing is due. The run itself is the worker's (housekeeping-step.ts).
 */
export async function housekeepingTick(deps: HousekeepingTickDeps): Promise<HousekeepingTickResult> {
  const { kv, clock } = deps;
  const now = clock.now();
  const run = await kv.get<HousekeepingRun>(HOUSEKEEPING_RUN_KEY);
  if (run) {
    if (now - run.updatedAt <= HOUSEKEEPING_STALE_MS) return undefined;
    await kv.set<HousekeepingRun>(HOUSEKEEPING_RUN_KEY, { ...run, updatedAt: now });
    await deps.queue.push([housekeepingStepEvent(run)]);
    deps.logger?.info('housekeeping resumed', { runId: run.runId, seq: run.seq });
    return { action: 'resumed', runId: run.runId };
  }
  const last = await kv.get<HousekeepingLast>(HOUSEKEEPING_LAST_KEY);
  // A last run dated in the future means the clock moved back: run rather than wait for it.
  if (last && now - last.startedAt < HOUSEKEEPING_INTERVAL_MS && last.startedAt <= now) return undefined;
  const fresh: HousekeepingRun = { runId: (deps.newRunId ?? randomUUID)(), seq: 1, startedAt: now, updatedAt: now, phase: 0, removed: noCounts() };
  // Two ticks at once (Forge may run a trigger twice) start one run: the atomic create picks it.
  if (!(await createOnce(kv, HOUSEKEEPING_RUN_KEY, fresh))) return undefined;
  await deps.queue.push([housekeepingStepEvent(fresh)]);
  deps.logger?.info('housekeeping started', { runId: fresh.runId });
  return { action: 'started', runId: fresh.runId };
}
