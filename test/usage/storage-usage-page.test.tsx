import '../frontend/install-bridge';
import React from 'react';
import { App } from '../../src/frontend/App';
import { createAdminResolver } from '../../src/entry/resolvers/create-resolver';
import { storeGauge } from '../../src/entry/resolvers/store-gauge';
import { MemoryStore } from '../../src/adapters/storage/memory-store';
import { sha256Hex } from '../../src/adapters/storage/sha256';
import { recountUsage, usageChangedOperation } from '../../src/core/usage';
import { fakeAdminWorld } from '../admin/fakes';
import { invokeAs } from '../resolvers/invoke';
import { ForgeUiHost } from '../frontend/forge-ui-host';

/**
 * The storage box of the control panel, rendered through @forge/react's reconciler, over the real gauge reading the
 * figure from KVS: "being measured" before any count, the bar with "as of" (in the site's zone) after one, the note
 * while a new count is due, and a server without a quota.
 */
describe('control panel: storage use "as of"', () => {
  const GB = 1024 ** 3;

  async function storageText(world: ReturnType<typeof fakeAdminWorld>): Promise<{ host: ForgeUiHost; text: string }> {
    const resolver = createAdminResolver(({ accountId }) => world.app(accountId), { logError: () => {} });
    const host = new ForgeUiHost((key, payload) => invokeAs(resolver, 'admin-1', key, payload));
    await host.render(<App pollIntervalMs={0} />);
    return { host, text: host.text(host.byTestId('storage-usage')) };
  }

  async function storeWith(store: MemoryStore, sizes: number[]): Promise<void> {
    for (const [i, size] of sizes.entries()) {
      const data = new Uint8Array(size).fill(i);
      await store.put(`data/${i}`, data, sha256Hex(data));
    }
  }

  it('says the use is being measured (with the quota) until the first count, then shows the bar and when it was counted', async () => {
    const world = fakeAdminWorld({ now: Date.UTC(2026, 10, 26, 16, 45) });
    const store = new MemoryStore({ description: 'Managed storage' });
    await storeWith(store, [1024, 2048]);
    Object.assign(world.gauge, storeGauge(store, world.kv, 20 * GB)); // the real gauge in place of the fake

    const before = await storageText(world);
    expect(before.text).toBe('Storage Managed storage Storage use is being measured; it shows here within a few minutes. The quota is 20.0 GB.');
    expect(before.host.ofType('ProgressBar')).toEqual([]);
    expect(before.host.byTestId('storage-as-of')).toBeUndefined();

    await recountUsage({ store, kv: world.kv, clock: world.clock });
    const after = await storageText(world);
    expect(after.host.ofType('ProgressBar', after.host.byTestId('storage-usage'))).toHaveLength(1);
    expect(after.text).toContain('3.0 KB of 20.0 GB used (0%)');
    // 16:45 UTC is 17:45 in Europe/Berlin, the site's zone in this world.
    expect(after.host.text(after.host.byTestId('storage-as-of'))).toBe('Storage use as of 2026-11-26 17:45');

    // A backup finished since: the figure stays, and the page says a new count is on its way.
    await world.kv.transact([usageChangedOperation('Managed storage', world.clock.now())]);
    const marked = await storageText(world);
    expect(marked.host.text(marked.host.byTestId('storage-as-of'))).toBe('Storage use as of 2026-11-26 17:45 (being counted again after the latest backup)');
  });

  it('a server without a quota shows its use and the time, no bar', async () => {
    const world = fakeAdminWorld({ now: Date.UTC(2026, 10, 26, 9, 5), timeZone: 'UTC' });
    const store = new MemoryStore({ description: 'SFTP sftp.example.com:22:/backups' });
    await storeWith(store, [1536]);
    Object.assign(world.gauge, storeGauge(store, world.kv));
    await recountUsage({ store, kv: world.kv, clock: world.clock });
    const { host, text } = await storageText(world);
    expect(text).toBe('Storage SFTP sftp.example.com:22:/backups 1.5 KB used (the server sets no quota) Storage use as of 2026-11-26 09:05');
    expect(host.ofType('ProgressBar', host.byTestId('storage-usage'))).toEqual([]);
  });
});
