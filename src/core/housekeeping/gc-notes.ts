import type { BackupStore } from '../../ports';
import { GARBAGE_FIRST_SEEN_PREFIX } from '../retention/garbage-age';
import type { DeleteBudget } from './delete-budget';

/**
 * One of garbage collection's age notes (`maintenance:gc:first-seen:<path>`, garbage-age.ts): when a run first found an
 * object of unknown age unreferenced. Collection drops the note when it deletes the object; an object that went another
 * way (someone on the FTP server, a storage change) leaves its note behind. The note goes once its object is gone from
 * the configured store. Removing a note is always safe: at worst an object found again waits another day.
 */
export async function tidyGarbageNote(store: BackupStore, budget: DeleteBudget, key: string): Promise<boolean> {
  const path = key.slice(GARBAGE_FIRST_SEEN_PREFIX.length).replace(/#/g, '/');
  if (await store.stat(path)) return true;
  return budget.delete([key]);
}
