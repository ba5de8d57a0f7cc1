import { runSchedulerTick, type SchedulerTickDeps } from '../core/schedule/scheduler-service';
import { forgeSchedulerDeps } from './forge-scheduler-deps';

/**
 * Where the scheduled trigger gets its collaborators (Forge KVS, the clock, plans from the configuration store, the
 * site's time zone, the backup engine's start and resume). The Forge composition root installs this once at load
 * time; keeping it injectable lets the emulator and tests drive the real handler with their own ports.
 */
export type SchedulerWiring = SchedulerTickDeps & {
  /** Applies the plans' retention once new snapshots landed (src/core/retention/rotation-sweep.ts). */
  rotate?: () => Promise<unknown>;
  /** Queues a background count of storage use when the panel's figure is missing, stale or for other storage (src/core/usage). */
  checkUsage?: () => Promise<unknown>;
  /** Starts or resumes garbage collection when due (src/core/retention/garbage-schedule.ts); the worker runs it. */
  collectGarbage?: () => Promise<unknown>;
  /** Starts KVS housekeeping once a day, or resumes a stalled run (src/core/housekeeping); the worker runs it. */
  keepHouse?: () => Promise<unknown>;
};

export type SchedulerDepsProvider = () => SchedulerWiring | Promise<SchedulerWiring>;

let provider: SchedulerDepsProvider | undefined = forgeSchedulerDeps;

export function provideSchedulerDeps(next: SchedulerDepsProvider | undefined): void {
  provider = next;
}

/**
 * Fired every five minutes by Forge (manifest `backup-scheduler`): starts due plans, each slot at most once, and
 * carries long backups forward. Forge never retries a trigger, so failures are logged, not thrown.
 */
export async function scheduler(): Promise<void> {
  if (!provider) {
    console.error('Backup scheduler is not wired: no dependencies were provided (provideSchedulerDeps). Nothing was started.');
    return;
  }
  let deps: SchedulerWiring;
  try {
    deps = await provider();
  } catch (error) {
    console.error(`Backup scheduler could not start: ${error instanceof Error ? error.message : String(error)}`);
    return;
  }
  // Rotation first: it only runs while no backup writes to the store, which is likelier before this tick starts one.
  try {
    const rotation = await deps.rotate?.();
    if (rotation) console.log(JSON.stringify({ message: 'Retention sweep', rotation }));
  } catch (error) {
    console.error(`Retention sweep failed; backups are kept until the next sweep: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    const result = await runSchedulerTick(deps);
    if (result.started.length + result.failed.length + result.skipped.length + result.planErrors.length > 0 || result.resumeError) {
      console.log(JSON.stringify({ message: 'Scheduler tick', ...result }));
    }
  } catch (error) {
    console.error(`Backup scheduler tick failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  // After the tick started the due backups (collection stands back while one runs); it only queues the worker's steps.
  try {
    const garbage = await deps.collectGarbage?.();
    if (garbage) console.log(JSON.stringify({ message: 'Garbage collection', garbage }));
  } catch (error) {
    console.error(`Garbage collection check failed; unused files stay until the next tick: ${error instanceof Error ? error.message : String(error)}`);
  }
  // Only queues the worker's steps, never touches a running job's keys: after the backups were started.
  try {
    const housekeeping = await deps.keepHouse?.();
    if (housekeeping) console.log(JSON.stringify({ message: 'Housekeeping', housekeeping }));
  } catch (error) {
    console.error(`Housekeeping check failed; stale records stay until the next tick: ${error instanceof Error ? error.message : String(error)}`);
  }
  // Last: only queues an event (the worker counts), so it never delays a backup's start.
  try {
    const reason = await deps.checkUsage?.();
    if (reason) console.log(JSON.stringify({ message: 'Storage use recount queued', reason }));
  } catch (error) {
    console.error(`Storage use check failed; the panel keeps its last figure: ${error instanceof Error ? error.message : String(error)}`);
  }
}
