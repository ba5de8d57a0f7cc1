/**
 * Which of many objects are absent (or have the wrong size), with few store calls: a fan-out folder holding many
 * of them is listed once; scattered ones are stat'ed one by one.
 */
import type { BackupStore, StoredObject } from '../../ports/backup-store';

/**
 * From this many objects in one fan-out folder on, one list call replaces their stats. A folder listing is a
 * single request on every backend, and with 256 folders per kind the listings stay small.
 */
const LIST_THRESHOLD = 2;

export interface ExpectedObject {
  path: string;
  size: number;
}

export async function findMissingObjects<T extends ExpectedObject>(store: BackupStore, objects: Iterable<T>): Promise<T[]> {
  const byFolder = new Map<string, T[]>();
  for (const object of objects) {
    const folder = object.path.slice(0, object.path.lastIndexOf('/') + 1);
    const group = byFolder.get(folder);
    if (group) group.push(object);
    else byFolder.set(folder, [object]);
  }
  const missing: T[] = [];
  for (const [folder, group] of byFolder) {
    if (group.length >= LIST_THRESHOLD) {
      const present = new Map<string, StoredObject>();
      for (const stored of await store.list(folder)) present.set(stored.path, stored);
      for (const object of group) if (present.get(object.path)?.size !== object.size) missing.push(object);
    } else {
      for (const object of group) if ((await store.stat(object.path))?.size !== object.size) missing.push(object);
    }
  }
  return missing;
}
