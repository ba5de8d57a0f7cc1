/**
 * The BackupStore contract as jest tests, registered for one backend at a time. Every backend
 * (memory, managed through the emulator, FTP/FTPS/SFTP through the relay) runs exactly these cases,
 * so "the engine works on memory" means "the engine works everywhere".
 *
 * Call it inside a describe(); the factory gives each test a fresh, empty store (for a server
 * backend: the same server, a new folder), so tests neither see nor disturb each other.
 */
import { createHash, randomBytes } from 'node:crypto';
import { BackupStore, StoreError } from '../../src/ports/backup-store';

export interface ConformanceStore {
  store: BackupStore;
  /**
   * Every name the backend really holds under this store's root, temporaries included (e.g. a
   * recursive readdir of the FTP folder). Lets the suite prove that failed or finished uploads
   * leave no temporary behind. Omit where the backend has no separate raw view.
   */
  rawNames?: () => Promise<string[]>;
  /** Released after the test. */
  dispose?: () => Promise<void>;
}

export interface ConformanceOptions {
  /** Fresh empty store per test; `testId` is unique and path-safe. */
  makeStore: (testId: string) => Promise<ConformanceStore>;
  /** Bytes of the largest object the suite round-trips (default 3 MiB; kept below maxObjectBytes). */
  largeObjectBytes?: number;
  /** The quota usage() must report, or undefined where the backend has none. */
  expectedQuotaBytes?: number;
}

export function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export function bytes(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

async function expectStoreError(promise: Promise<unknown>, code: StoreError['code']): Promise<StoreError> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(StoreError);
  const storeError = caught as StoreError;
  expect({ code: storeError.code, message: storeError.message }).toEqual({ code, message: expect.any(String) });
  expect(storeError.message.length).toBeGreaterThan(10);
  return storeError;
}

const TEMPORARY = /(^|\/)\..*\.tmp-/;

export function registerBackupStoreConformance(options: ConformanceOptions): void {
  let counter = 0;
  let current: ConformanceStore | undefined;

  async function fresh(): Promise<ConformanceStore> {
    counter += 1;
    current = await options.makeStore(`t${counter}-${randomBytes(3).toString('hex')}`);
    return current;
  }

  afterEach(async () => {
    const disposing = current;
    current = undefined;
    await disposing?.dispose?.();
  });

  async function expectNoTemporaries(handle: ConformanceStore): Promise<void> {
    if (!handle.rawNames) return;
    const names = await handle.rawNames();
    expect(names.filter((name) => TEMPORARY.test(name))).toEqual([]);
  }

  test('put then get returns the same bytes, stat and list describe it', async () => {
    const handle = await fresh();
    const { store } = handle;
    const data = bytes('{"id":"10001","key":"ENG-1"}\n');
    await store.put('data/ab/ab12.jsonl', data, sha256(data));
    expect(Buffer.from(await store.get('data/ab/ab12.jsonl'))).toEqual(Buffer.from(data));
    const stat = await store.stat('data/ab/ab12.jsonl');
    expect(stat).toMatchObject({ path: 'data/ab/ab12.jsonl', size: data.byteLength });
    if (stat?.sha256 !== undefined) expect(stat.sha256).toBe(sha256(data));
    const listed = await store.list('data/');
    expect(listed.map((o) => [o.path, o.size])).toEqual([['data/ab/ab12.jsonl', data.byteLength]]);
    await expectNoTemporaries(handle);
  });

  test('every byte value and an empty object round-trip unchanged', async () => {
    const { store } = await fresh();
    const all = Uint8Array.from({ length: 512 }, (_, i) => i % 256);
    const empty = new Uint8Array(0);
    await store.put('bin/all-bytes', all, sha256(all));
    await store.put('bin/empty', empty, sha256(empty));
    expect(Buffer.from(await store.get('bin/all-bytes'))).toEqual(Buffer.from(all));
    expect((await store.get('bin/empty')).byteLength).toBe(0);
    expect((await store.stat('bin/empty'))?.size).toBe(0);
  });

  test('a large object round-trips with its exact size and hash', async () => {
    const { store } = await fresh();
    const size = options.largeObjectBytes ?? 3 * 1024 * 1024;
    expect(size).toBeLessThanOrEqual(store.properties.maxObjectBytes);
    const data = randomBytes(size);
    await store.put('data/big.bin', data, sha256(data));
    expect((await store.stat('data/big.bin'))?.size).toBe(size);
    expect(sha256(await store.get('data/big.bin'))).toBe(sha256(data));
  });

  test('putting the same bytes again succeeds and leaves one object (at-least-once delivery)', async () => {
    const handle = await fresh();
    const { store } = handle;
    const data = bytes('same content');
    await store.put('dup/object', data, sha256(data));
    await store.put('dup/object', data, sha256(data));
    expect((await store.list('dup/')).map((o) => o.path)).toEqual(['dup/object']);
    expect(Buffer.from(await store.get('dup/object'))).toEqual(Buffer.from(data));
    await expectNoTemporaries(handle);
  });

  test('putting different bytes replaces the whole object', async () => {
    const { store } = await fresh();
    const first = bytes('first version, longer than the second');
    const second = bytes('second');
    await store.put('snap/manifest.json', first, sha256(first));
    await store.put('snap/manifest.json', second, sha256(second));
    expect(Buffer.from(await store.get('snap/manifest.json')).toString()).toBe('second');
    expect((await store.stat('snap/manifest.json'))?.size).toBe(second.byteLength);
  });

  test('a checksum mismatch is refused and nothing becomes visible', async () => {
    const handle = await fresh();
    const { store } = handle;
    const data = bytes('payload whose hash we misstate');
    await expectStoreError(store.put('data/wrong', data, sha256(bytes('something else'))), 'checksum-mismatch');
    expect(await store.stat('data/wrong')).toBeUndefined();
    expect(await store.list('')).toEqual([]);
    await expectStoreError(store.get('data/wrong'), 'not-found');
    // Not even hidden bytes: the backend itself holds nothing for this fresh store.
    if (handle.rawNames) expect(await handle.rawNames()).toEqual([]);
  });

  test('a checksum mismatch over an existing object leaves the old object intact', async () => {
    const { store } = await fresh();
    const good = bytes('good');
    await store.put('keep/me', good, sha256(good));
    await expectStoreError(store.put('keep/me', bytes('evil'), sha256(bytes('other'))), 'checksum-mismatch');
    expect(Buffer.from(await store.get('keep/me')).toString()).toBe('good');
  });

  test('a checksum that is not lower-case hex SHA-256 is refused as invalid', async () => {
    const { store } = await fresh();
    const data = bytes('x');
    await expectStoreError(store.put('a/b', data, sha256(data).toUpperCase()), 'invalid');
    await expectStoreError(store.put('a/b', data, 'abc'), 'invalid');
  });

  test('an object larger than maxObjectBytes is refused as too-large', async () => {
    const { store } = await fresh();
    const data = new Uint8Array(store.properties.maxObjectBytes + 1);
    await expectStoreError(store.put('big/too', data, sha256(data)), 'too-large');
    expect(await store.stat('big/too')).toBeUndefined();
  });

  test('unsafe paths are refused as invalid', async () => {
    const { store } = await fresh();
    const data = bytes('x');
    for (const path of ['', '/abs', '../escape', 'a/../b', 'a//b', '.hidden', 'a/.tmp', 'trailing/', 'sp ace', 'back\\slash']) {
      await expectStoreError(store.put(path, data, sha256(data)), 'invalid');
    }
    await expectStoreError(store.get('../x'), 'invalid');
    await expectStoreError(store.list('../'), 'invalid');
  });

  test('get of a missing object is not-found; stat is undefined; delete succeeds', async () => {
    const { store } = await fresh();
    const error = await expectStoreError(store.get('missing/object'), 'not-found');
    expect(error.retryable).toBe(false);
    expect(await store.stat('missing/object')).toBeUndefined();
    await store.delete('missing/object');
  });

  test('delete removes the object; a second delete still succeeds', async () => {
    const handle = await fresh();
    const { store } = handle;
    const data = bytes('to delete');
    await store.put('del/one', data, sha256(data));
    await store.put('del/two', data, sha256(data));
    await store.delete('del/one');
    await store.delete('del/one');
    expect(await store.stat('del/one')).toBeUndefined();
    await expectStoreError(store.get('del/one'), 'not-found');
    expect((await store.list('del/')).map((o) => o.path)).toEqual(['del/two']);
  });

  test('list filters by prefix (including mid-name prefixes) and sorts by path', async () => {
    const { store } = await fresh();
    const paths = ['data/ff/ff01', 'data/ab/ab02', 'data/ab/ab01', 'data/abc', 'snapshots/2026-11-26/manifest.json', 'top'];
    for (const path of paths) {
      const data = bytes(path);
      await store.put(path, data, sha256(data));
    }
    expect((await store.list('')).map((o) => o.path)).toEqual([...paths].sort());
    expect((await store.list('data/ab')).map((o) => o.path)).toEqual(['data/ab/ab01', 'data/ab/ab02', 'data/abc']);
    expect((await store.list('data/ab/')).map((o) => o.path)).toEqual(['data/ab/ab01', 'data/ab/ab02']);
    expect((await store.list('snap')).map((o) => o.size)).toEqual([bytes('snapshots/2026-11-26/manifest.json').byteLength]);
    expect(await store.list('nothing-here/')).toEqual([]);
  });

  test('concurrent puts of different objects all land', async () => {
    const handle = await fresh();
    const { store } = handle;
    const items = Array.from({ length: 6 }, (_, i) => bytes(`object number ${i}`));
    await Promise.all(items.map((data, i) => store.put(`par/obj-${i}`, data, sha256(data))));
    const listed = await store.list('par/');
    expect(listed.map((o) => o.path)).toEqual(items.map((_, i) => `par/obj-${i}`));
    for (const [i, data] of items.entries()) expect(Buffer.from(await store.get(`par/obj-${i}`))).toEqual(Buffer.from(data));
    await expectNoTemporaries(handle);
  });

  test('usage counts stored bytes and objects and reports the quota', async () => {
    const { store } = await fresh();
    expect(await store.usage()).toEqual(
      options.expectedQuotaBytes === undefined ? { usedBytes: 0, objectCount: 0 } : { usedBytes: 0, objectCount: 0, quotaBytes: options.expectedQuotaBytes },
    );
    const a = randomBytes(1000);
    const b = randomBytes(234);
    await store.put('u/a', a, sha256(a));
    await store.put('u/b', b, sha256(b));
    await store.put('u/b', b, sha256(b));
    expect(await store.usage()).toMatchObject({ usedBytes: 1234, objectCount: 2 });
    await store.delete('u/a');
    expect(await store.usage()).toMatchObject({ usedBytes: 234, objectCount: 1 });
  });

  test('the store describes itself for messages', async () => {
    const { store } = await fresh();
    expect(store.properties.description.length).toBeGreaterThan(0);
    expect(store.properties.maxObjectBytes).toBeGreaterThan(0);
  });
}
