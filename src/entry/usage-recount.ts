import { recountUsage } from '../core/usage';
import type { BackupDeps } from '../core/backup';

/**
 * The worker's `usage.recount` event: counts the configured store in full and saves the figure the control panel
 * shows. A failure (server unreachable, relay down) is logged, not retried by the queue: the figure keeps its
 * "as of" time and the scheduler asks again within 15 minutes while it is still due.
 */
export async function handleUsageRecount(deps: Pick<BackupDeps, 'store' | 'kv' | 'clock' | 'logger'>): Promise<void> {
  try {
    const result = await recountUsage(deps);
    deps.logger?.info('storage use counted', { ...result });
  } catch (error) {
    deps.logger?.warn('storage use could not be counted; the panel keeps the last figure', { error: (error as Error).message });
  }
}
