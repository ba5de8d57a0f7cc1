import { runSchedulerTick, type SchedulerTickDeps } from '../core/schedule/scheduler-service';
import { forgeSchedulerDeps } from './forge-scheduler-deps';

/**
 * Where the scheduled trigger gets its collaborators (Forge KVS, the clock, plans from the configuration store, the
 * site's time zone, the backup engine's start and resume). The Forge composition root installs this once at load
 * time; keeping it injectable lets the emulator and tests drive the real handler with their own ports.
 */
export type SchedulerDepsProvider = () => SchedulerTickDeps | Promise<SchedulerTickDeps>;

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
  try {
    const result = await runSchedulerTick(await provider());
    if (result.started.length + result.failed.length + result.skipped.length + result.planErrors.length > 0 || result.resumeError) {
      console.log(JSON.stringify({ message: 'Scheduler tick', ...result }));
    }
  } catch (error) {
    console.error(`Backup scheduler tick failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
