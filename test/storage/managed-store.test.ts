/**
 * Managed storage through the local Forge platform: the real @forge/object-store and @forge/kvs
 * packages talk to the emulator (presigned URLs over real HTTP, KVS with Forge's key rules).
 */
import { join } from 'node:path';
import { ForgePlatform } from '../../local/forge';
import { ManagedStore } from '../../src/adapters/storage/managed-store';
import { DEFAULT_QUOTA_BYTES } from '../../src/core/plans/plan';
import { StoreError } from '../../src/ports/backup-store';
import { USAGE_KEY } from '../../src/core/usage';
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
    expect(await store.usage()).toEqual({ usedBytes: 80, objectCount: 1, quotaBytes: 100 });
    // Replacing an object counts only the difference; deleting frees space.
    const smaller = new Uint8Array(90);
    await expect(store.put('data/first', smaller, sha256(smaller))).resolves.toBeUndefined();
    await store.delete('data/first');
    await store.put('data/second', second, sha256(second));
    expect(await store.usage()).toEqual({ usedBytes: 30, objectCount: 1, quotaBytes: 100 });
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

  test('the quota check reads the per-put counter, not the control panel\'s cached figure, which may be stale', async () => {
    const { kvs } = await import('@forge/kvs');
    const store = new ManagedStore({ namespace: 'quota-cache', quotaBytes: 100 });
    const first = new Uint8Array(80);
    await store.put('data/first', first, sha256(first));
    // A panel figure from before that put (as of a day ago, say): 0 bytes used.
    await kvs.set(USAGE_KEY, { target: 'Managed storage', usedBytes: 0, objectCount: 0, measuredAt: 1, updatedAt: 1 });
    const second = new Uint8Array(30);
    await expect(store.put('data/second', second, sha256(second))).rejects.toMatchObject({ code: 'quota-exceeded' });
  });

  test('a full count repairs a drifted quota counter, but not when a put landed while it read the catalog', async () => {
    const { kvs } = await import('@forge/kvs');
    const store = new ManagedStore({ namespace: 'repair' });
    const a = bytes('aaaaaaaaaa');
    await store.put('data/a', a, sha256(a));
    // Two puts that raced and lost an addition leave the counter low.
    await kvs.set('backup-store:repair:usage', { usedBytes: 3 });
    expect(await store.usage()).toMatchObject({ usedBytes: 10, objectCount: 1 });
    expect(await kvs.get('backup-store:repair:usage')).toEqual({ usedBytes: 10 });

    // Now another invocation stores an object while the count pages through the catalog: the count may miss it, so
    // writing the count back could make the counter low again. The counter is left as the put set it.
    const other = new ManagedStore({ namespace: 'repair' });
    const b = bytes('bbbbb');
    const counting = new ManagedStore({ namespace: 'repair' });
    const list = counting.list.bind(counting);
    counting.list = async (prefix) => {
      const listed = await list(prefix);
      await other.put('data/b', b, sha256(b));
      return listed;
    };
    expect(await counting.usage()).toMatchObject({ usedBytes: 10, objectCount: 1 });
    expect(await kvs.get('backup-store:repair:usage')).toEqual({ usedBytes: 15 });
  });
});
