import { kvs, WhereConditions, ForgeKvsAPIError } from '@forge/kvs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ForgePlatform } from '../../local/forge';
import { startFixture } from './start-fixture';

/** KVS and secrets through the real @forge/kvs package: operations, cursors, limits and Forge's error codes. */
describe('emulated KVS through @forge/kvs', () => {
  let platform: ForgePlatform;
  beforeEach(async () => {
    platform = await startFixture();
  });
  afterEach(() => platform.stop());

  async function kvsError(action: () => Promise<unknown>): Promise<ForgeKvsAPIError> {
    const error = await action().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ForgeKvsAPIError);
    return error as ForgeKvsAPIError;
  }

  it('sets, gets and deletes JSON values; a missing key reads as undefined', async () => {
    await kvs.set('plan:1', { name: 'Nightly', keep: 7 });
    expect(await kvs.get('plan:1')).toEqual({ name: 'Nightly', keep: 7 });
    expect(await kvs.get('plan:2')).toBeUndefined();
    await kvs.delete('plan:1');
    expect(await kvs.get('plan:1')).toBeUndefined();
    await kvs.delete('plan:1'); // deleting an absent key succeeds
    expect(platform.kvs.dump()).toEqual({});
  });

  it('returns metadata and honours keyPolicy and returnValue', async () => {
    await kvs.set('k', 1);
    const withMeta = await kvs.get('k', { metadataFields: ['CREATED_AT' as never, 'UPDATED_AT' as never] });
    expect(withMeta).toMatchObject({ key: 'k', value: 1, createdAt: expect.any(Number), updatedAt: expect.any(Number) });
    const previous = await kvs.set('k', 2, { keyPolicy: 'OVERRIDE', returnValue: 'PREVIOUS' });
    expect(previous).toMatchObject({ key: 'k', value: 1 });
    const error = await kvsError(() => kvs.set('k', 3, { keyPolicy: 'FAIL_IF_EXISTS' }));
    expect(error.code).toBe('KEY_ALREADY_EXISTS');
    expect(await kvs.get('k')).toBe(2);
  });

  it('expires keys set with a ttl by the platform clock', async () => {
    await kvs.set('lease', 'mine', { ttl: { value: 30, unit: 'SECONDS' } });
    await platform.clock.advance(29_000);
    expect(await kvs.get('lease')).toBe('mine');
    await platform.clock.advance(2_000);
    expect(await kvs.get('lease')).toBeUndefined();
  });

  it('pages a beginsWith query with cursors, in key order', async () => {
    for (let i = 0; i < 25; i++) await kvs.set(`job:${String(i).padStart(2, '0')}`, i);
    await kvs.set('other:1', 'x');
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      let query = kvs.query().where('key', WhereConditions.beginsWith('job:')).limit(10);
      if (cursor) query = query.cursor(cursor);
      const page = await query.getMany();
      seen.push(...page.results.map((r) => r.key));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => `job:${String(i).padStart(2, '0')}`));
    const first = await kvs.query().where('key', WhereConditions.beginsWith('other')).getOne();
    expect(first).toEqual(expect.objectContaining({ key: 'other:1', value: 'x' }));
  });

  it('rejects a query page over 100 and a cursor it did not issue', async () => {
    expect((await kvsError(() => kvs.query().limit(101).getMany())).code).toBe('LIST_QUERY_LIMIT_EXCEEDED');
    expect((await kvsError(() => kvs.query().cursor('bogus').getMany())).code).toBe('INVALID_CURSOR');
  });

  it.each([
    { name: 'a key with a slash', key: 'backups/1', code: 'INVALID_KEY' },
    { name: 'a blank key', key: '   ', code: 'INVALID_KEY' },
    { name: 'an empty key', key: '', code: 'KEY_TOO_SHORT' },
    { name: 'a 501-character key', key: 'k'.repeat(501), code: 'KEY_TOO_LONG' },
  ])('rejects $name with Forge error $code', async ({ key, code }) => {
    const error = await kvsError(() => kvs.set(key, 1));
    expect(error.code).toBe(code);
    expect(error.responseDetails.status).toBe(400);
  });

  it('accepts a 500-character key of every allowed character class', async () => {
    const key = ('aZ09:._- #').repeat(50);
    expect(key).toHaveLength(500);
    await kvs.set(key, true);
    expect(await kvs.get(key)).toBe(true);
  });

  it('accepts a value of exactly 240 KiB of JSON and rejects one byte more (MAX_SIZE)', async () => {
    const fits = 'x'.repeat(240 * 1024 - 2); // the JSON quotes make up the rest
    await kvs.set('big', fits);
    expect(await kvs.get('big')).toHaveLength(fits.length);
    const error = await kvsError(() => kvs.set('big', fits + 'x'));
    expect(error.code).toBe('MAX_SIZE');
    expect(await kvs.get('big')).toHaveLength(fits.length);
  });

  it('rejects values nested deeper than Forge allows (MAX_DEPTH)', async () => {
    let deep: unknown = 1;
    for (let i = 0; i < 40; i++) deep = { d: deep };
    expect((await kvsError(() => kvs.set('deep', deep))).code).toBe('MAX_DEPTH');
  });

  it('batches up to 25 keys, reporting bad keys per item, and rejects 26', async () => {
    const items = Array.from({ length: 24 }, (_, i) => ({ key: `b:${i}`, value: i }));
    const result = await kvs.batchSet([...items, { key: 'bad/key', value: 0 }]);
    expect(result.successfulKeys).toHaveLength(24);
    expect(result.failedKeys).toEqual([{ key: 'bad/key', error: expect.objectContaining({ code: 'INVALID_KEY' }) }]);
    const got = await kvs.batchGet([{ key: 'b:0' }, { key: 'b:1' }, { key: 'missing' }]);
    expect(got.successfulKeys.map((r) => r.value)).toEqual([0, 1]);
    expect(got.failedKeys.map((r) => r.key)).toEqual(['missing']);
    const tooMany = Array.from({ length: 26 }, (_, i) => ({ key: `c:${i}`, value: i }));
    expect((await kvsError(() => kvs.batchSet(tooMany))).code).toBe('BATCH_LIMIT_EXCEEDED');
    const deleted = await kvs.batchDelete(items.map(({ key }) => ({ key })));
    expect(deleted.successfulKeys).toHaveLength(24);
    expect(platform.kvs.dump()).toEqual({});
  });

  it('applies a transaction all together, and nothing of one that breaks a limit', async () => {
    await kvs.set('old', 1);
    await kvs.transact().set('a', 1).set('b', 2).delete('old').execute();
    expect(platform.kvs.dump()).toEqual({ a: 1, b: 2 });

    const tooBig = kvs.transact().set('c', 3).set('d', 'x'.repeat(250 * 1024));
    expect((await kvsError(() => tooBig.execute())).code).toBe('MAX_SIZE');
    expect(platform.kvs.dump()).toEqual({ a: 1, b: 2 });

    let tx = kvs.transact();
    for (let i = 0; i < 26; i++) tx = tx.set(`t:${i}`, i);
    expect((await kvsError(() => tx.execute())).code).toBe('TRANSACTION_LIMIT_EXCEEDED');
    let ok = kvs.transact();
    for (let i = 0; i < 25; i++) ok = ok.set(`t:${i}`, i);
    await ok.execute();
    expect(Object.keys(platform.kvs.dump())).toHaveLength(27);

    expect((await kvsError(() => kvs.transact().set('a', 5).delete('a').execute())).code).toBe('DUPLICATE_KEYS');
  });

  it('keeps secrets apart from data', async () => {
    await kvs.setSecret('ftp:password', 's3cret');
    await kvs.set('ftp:password', 'not the secret');
    expect(await kvs.getSecret('ftp:password')).toBe('s3cret');
    expect(platform.kvs.secrets()).toEqual({ 'ftp:password': 's3cret' });
    await kvs.deleteSecret('ftp:password');
    expect(await kvs.getSecret('ftp:password')).toBeUndefined();
    expect(await kvs.get('ftp:password')).toBe('not the secret');
    expect((await kvsError(() => kvs.setSecret('bad/key', 'x'))).code).toBe('INVALID_KEY');
  });
});

describe('KVS persistence in a data directory', () => {
  it('keeps data and secrets across a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'forge-emulator-'));
    try {
      const first = await startFixture({ dataDir });
      await kvs.set('persisted', { n: 1 });
      await kvs.transact().set('t1', 1).set('t2', 2).execute();
      await kvs.delete('t1');
      await kvs.setSecret('s', 'x');
      await first.stop();

      const second = await startFixture({ dataDir });
      expect(second.kvs.dump()).toEqual({ persisted: { n: 1 }, t2: 2 });
      expect(await kvs.getSecret('s')).toBe('x');
      await second.stop();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
