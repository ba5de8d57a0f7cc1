import { MemoryStore } from '../../src/adapters/storage/memory-store';
import { StoreError } from '../../src/ports/backup-store';
import { bytes, registerBackupStoreConformance, sha256 } from './conformance';

describe('MemoryStore conformance', () => {
  registerBackupStoreConformance({ makeStore: async () => ({ store: new MemoryStore({ maxObjectBytes: 4 * 1024 * 1024 }) }) });
});

describe('MemoryStore extras used by engine tests', () => {
  test('quota refuses a put that would pass it, and keeps what was there', async () => {
    const store = new MemoryStore({ quotaBytes: 10 });
    const small = bytes('12345678');
    await store.put('a', small, sha256(small));
    const more = bytes('abc');
    await expect(store.put('b', more, sha256(more))).rejects.toMatchObject({ code: 'quota-exceeded' });
    expect(await store.usage()).toEqual({ usedBytes: 8, objectCount: 1, quotaBytes: 10 });
    // Replacing an object counts only the difference.
    const replacement = bytes('1234567890');
    await store.put('a', replacement, sha256(replacement));
    expect((await store.usage()).usedBytes).toBe(10);
  });

  test('failNext injects a fault for the next call of one operation only', async () => {
    const store = new MemoryStore();
    const data = bytes('x');
    store.failNext('put', new StoreError('transient', 'simulated outage'), 2);
    await expect(store.put('p', data, sha256(data))).rejects.toMatchObject({ code: 'transient', retryable: true });
    await expect(store.put('p', data, sha256(data))).rejects.toMatchObject({ code: 'transient' });
    await store.put('p', data, sha256(data));
    expect(store.calls.map((c) => c.operation)).toEqual(['put', 'put', 'put']);
  });

  test('bytes are copied in and out', async () => {
    const store = new MemoryStore();
    const data = bytes('abc');
    await store.put('c', data, sha256(data));
    data[0] = 0;
    const read = await store.get('c');
    read[1] = 0;
    expect(Buffer.from(await store.get('c')).toString()).toBe('abc');
  });

  test('modifiedAt comes from the clock when one is given', async () => {
    const store = new MemoryStore({ clock: { now: () => 1764115200000 } });
    const data = bytes('t');
    await store.put('t', data, sha256(data));
    expect(await store.stat('t')).toEqual({ path: 't', size: 1, sha256: sha256(data), modifiedAt: 1764115200000 });
  });
});
