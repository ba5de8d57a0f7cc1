/**
 * Managed storage through the local Forge platform: the real @forge/object-store and @forge/kvs
 * packages talk to the emulator (presigned URLs over real HTTP, KVS with Forge's key rules).
 */
import { join } from 'node:path';
import { ForgePlatform } from '../../local/forge';
import { ManagedStore } from '../../src/adapters/storage/managed-store';
import { DEFAULT_QUOTA_BYTES } from '../../src/core/plans/plan';
import { StoreError } from '../../src/ports/backup-store';
import { bytes, registerBackupStoreConformance, sha256 } from './conformance';

const APP_DIR = join(__dirname, '..', '..');
let platform: ForgePlatform;
beforeAll(async () => {
  platform = await ForgePlatform.start({ appDir: APP_DIR, dataDir: 'memory' });
});
afterAll(async () => platform?.stop());

describe('ManagedStore conformance (Object Store + KVS catalog, through the emulator)', () => {
  registerBackupStoreConformance({
    makeStore: async (testId) => ({
      store: new ManagedStore({ namespace: testId, maxObjectBytes: 4 * 1024 * 1024 }),
      // What the Object Store really holds for this namespace: bytes that never reached the catalog would show here.
      rawNames: async () => platform.objectStore.list().filter((o) => o.key.startsWith(`${testId}/`)).map((o) => o.key.slice(testId.length + 1)),
    }),
    expectedQuotaBytes: DEFAULT_QUOTA_BYTES,
  });
});

describe('ManagedStore quota and catalog', () => {
  test('the quota is checked before any byte is uploaded, with a message that says what to do', async () => {
    const store = new ManagedStore({ namespace: 'quota-a', quotaBytes: 100 });
    const first = new Uint8Array(80);
    await store.put('data/first', first, sha256(first));
    const second = new Uint8Array(30);
    let caught: unknown;
    try {
      await store.put('data/second', second, sha256(second));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(StoreError);
    expect(caught).toMatchObject({ code: 'quota-exceeded', retryable: false });
    expect((caught as Error).message).toMatch(/would use 110 bytes of the site's 100 bytes quota.*rotation.*Nothing was deleted/);
    expect(platform.objectStore.list().map((o) => o.key).filter((k) => k.startsWith('quota-a/'))).toEqual(['quota-a/data/first']);
    expect(await store.usage()).toEqual({ usedBytes: 80, quotaBytes: 100 });
    // Replacing an object counts only the difference; deleting frees space.
    const smaller = new Uint8Array(90);
    await expect(store.put('data/first', smaller, sha256(smaller))).resolves.toBeUndefined();
    await store.delete('data/first');
    await store.put('data/second', second, sha256(second));
    expect(await store.usage()).toEqual({ usedBytes: 30, quotaBytes: 100 });
  });

  test('catalog keys respect KVS rules ("/" mapped) and objects land in the Object Store under the namespace', async () => {
    const store = new ManagedStore({ namespace: 'keys' });
    const data = bytes('{"k":1}');
    await store.put('snapshots/2026-11-26T1200Z/manifest.json', data, sha256(data));
    const keys = Object.keys(platform.kvs.dump()).filter((k) => k.startsWith('backup-store:keys:'));
    expect(keys.sort()).toEqual(['backup-store:keys:o:snapshots#2026-11-26T1200Z#manifest.json', 'backup-store:keys:usage']);
    expect(platform.objectStore.read('keys/snapshots/2026-11-26T1200Z/manifest.json')?.toString()).toBe('{"k":1}');
  });

  test('downloadUrl gives a working link for catalogued objects only', async () => {
    const store = new ManagedStore({ namespace: 'links' });
    const data = bytes('download me');
    await store.put('snapshots/s1/manifest.json', data, sha256(data));
    const url = await store.downloadUrl('snapshots/s1/manifest.json');
    expect(await (await fetch(url)).text()).toBe('download me');
    await expect(store.downloadUrl('snapshots/s1/missing.json')).rejects.toMatchObject({ code: 'not-found' });
  });

  test('deleting an uncatalogued path removes bytes left by an interrupted delete or upload', async () => {
    const store = new ManagedStore({ namespace: 'orphans' });
    const data = bytes('orphan');
    await store.put('data/o', data, sha256(data));
    const { kvs } = await import('@forge/kvs');
    await kvs.delete('backup-store:orphans:o:data#o'); // a delete that stopped right after uncataloguing
    expect(await store.stat('data/o')).toBeUndefined();
    expect(platform.objectStore.read('orphans/data/o')).toBeDefined();
    await store.delete('data/o');
    expect(platform.objectStore.read('orphans/data/o')).toBeUndefined();
  });

  test('a catalogued object whose bytes vanished is reported, not returned empty', async () => {
    const store = new ManagedStore({ namespace: 'vanish' });
    const data = bytes('gone soon');
    await store.put('data/x', data, sha256(data));
    const { objectStore } = await import('@forge/object-store');
    await objectStore.delete('vanish/data/x');
    await expect(store.get('data/x')).rejects.toMatchObject({ code: 'not-found', message: expect.stringMatching(/bytes are missing/) });
  });
});
