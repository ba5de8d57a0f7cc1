import type { StorageGauge } from '../../core/admin';
import type { BackupStore } from '../../ports';

/** Storage use for the panel, straight from the store (managed storage knows its quota; servers do not). */
export function storeGauge(store: BackupStore): StorageGauge {
  return {
    async usage() {
      const usage = await store.usage();
      return { ...usage, description: store.properties.description };
    },
  };
}
