import type { StorageGauge, StorageUse } from '../../core/admin';
import { readCachedUsage } from '../../core/usage';
import type { BackupStore, KeyValue } from '../../ports';

/**
 * Storage use for the panel from the figure kept in KVS (src/core/usage): two KVS reads, never a call to the store,
 * so a large repository on an FTP server costs the page nothing. The store is only asked its description (which
 * storage the settings point at, so a figure for other storage is not shown). The quota is the configured one —
 * managed storage only; servers have none — and is shown also while the use is still being measured.
 */
export function storeGauge(store: BackupStore, kv: KeyValue, quotaBytes?: number): StorageGauge {
  return {
    async usage() {
      const description = store.properties.description;
      const cached = await readCachedUsage(kv, description);
      const use: StorageUse = { description };
      if (quotaBytes !== undefined) use.quotaBytes = quotaBytes;
      if (cached.state === 'measured') {
        Object.assign(use, { usedBytes: cached.usedBytes, objectCount: cached.objectCount, asOf: cached.asOf });
        if (cached.changedSince) use.recounting = true;
      }
      return use;
    },
  };
}
