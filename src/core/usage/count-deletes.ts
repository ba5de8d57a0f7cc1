import type { BackupStore, StoredObject } from '../../ports';

export interface Freed {
  bytes: number;
  objects: number;
}

/**
 * The same store, counting what its delete() calls actually removed, so a deletion can correct the cached usage
 * figure exactly. Sizes come from the stat() the format layer makes before every delete (deleteSnapshot stats the
 * manifest and each object first), so counting costs no extra request; a delete without a prior stat asks once.
 */
export function countDeletes(store: BackupStore): { store: BackupStore; freed: () => Freed } {
  const sizes = new Map<string, number>();
  const freed: Freed = { bytes: 0, objects: 0 };
  const counting: BackupStore = {
    properties: store.properties,
    put: (path, data, sha256) => {
      sizes.delete(path);
      return store.put(path, data, sha256);
    },
    get: (path) => store.get(path),
    async stat(path): Promise<StoredObject | undefined> {
      const found = await store.stat(path);
      if (found) sizes.set(path, found.size);
      else sizes.delete(path);
      return found;
    },
    list: (prefix) => store.list(prefix),
    async delete(path) {
      const size = sizes.has(path) ? sizes.get(path) : (await store.stat(path))?.size;
      await store.delete(path);
      sizes.delete(path);
      // Deleting an absent object succeeds and frees nothing.
      if (size !== undefined) {
        freed.bytes += size;
        freed.objects += 1;
      }
    },
    usage: () => store.usage(),
  };
  return { store: counting, freed: () => ({ ...freed }) };
}
