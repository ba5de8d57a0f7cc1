import type { JobEvent } from '../ports';

/** Runs one step of a restore job (kinds starting with `restore.`). Filled in by the restore work. */
export async function handleRestoreEvent(event: JobEvent): Promise<void> {
  throw new Error(`Restore step ${event.kind} is not available in this build.`);
}
