import { Queue } from '@forge/events';
import type { JobEvent, JobQueue } from '../../ports';

/** The queue manifest.yml's `backup-worker` consumer listens to. */
export const BACKUP_JOBS_QUEUE = 'backup-jobs';

/**
 * The JobQueue port on Forge async events: one push per call, each JobEvent as an event body. Forge's limits
 * apply as they are (≤ 50 events and 200 KB per push, ≤ 100 KB per event for the 900 s worker, delay ≤ 900 s,
 * ≤ 1,000 pushes per invocation chain) and fail with @forge/events' own errors.
 */
export function forgeJobQueue(queueKey: string = BACKUP_JOBS_QUEUE): JobQueue {
  const queue = new Queue({ key: queueKey });
  return {
    async push(events: JobEvent[], options: { delaySeconds?: number } = {}): Promise<void> {
      if (events.length === 0) return;
      const delay = options.delaySeconds;
      await queue.push(events.map((body) => ({ body, ...(delay !== undefined && delay > 0 ? { delayInSeconds: Math.ceil(delay) } : {}) })));
    },
  };
}
