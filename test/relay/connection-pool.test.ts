/** Session reuse: same settings reuse an idle session, different settings (even only the password) never do, broken sessions are dropped. */
import { Readable, Writable } from 'node:stream';
import { ConnectionPool } from '../../relay/connection-pool';
import type { RelayConnection } from '../../relay/protocol';
import { RelayError } from '../../relay/relay-error';
import type { RemoteFileSystem } from '../../relay/remote-fs';

class FakeSession implements RemoteFileSystem {
  readonly root = '/r';
  alive = true;
  closed = false;
  constructor(readonly id: number) {}
  async upload(_s: Readable, _p: string) {}
  async download(_p: string, _w: Writable) {}
  async stat() {
    return undefined;
  }
  async list() {
    return [];
  }
  async rename() {}
  async remove() {}
  async ensureDir() {}
  async serverSha256() {
    return undefined;
  }
  async close() {
    this.closed = true;
    this.alive = false;
  }
  isAlive() {
    return this.alive;
  }
  classify(error: unknown) {
    return new RelayError('transient', String(error));
  }
}

const settings: RelayConnection = { protocol: 'ftp', host: 'h', port: 21, user: 'u', password: 'p', folder: '/r' };

function poolWithCounter(idleMs: number) {
  const opened: FakeSession[] = [];
  const pool = new ConnectionPool(async () => {
    const fs = new FakeSession(opened.length + 1);
    opened.push(fs);
    return { fs, facts: {} };
  }, idleMs);
  return { pool, opened };
}

test('a released healthy session is reused for identical settings', async () => {
  const { pool, opened } = poolWithCounter(10_000);
  const first = await pool.acquire(settings);
  await first.release(true);
  const second = await pool.acquire({ ...settings });
  expect(second.fs).toBe(first.fs);
  expect(opened).toHaveLength(1);
  await second.release(true);
  await pool.closeAll();
  expect(opened[0].closed).toBe(true);
});

test('a different password, folder or host never reuses the session', async () => {
  const { pool, opened } = poolWithCounter(10_000);
  await (await pool.acquire(settings)).release(true);
  for (const other of [{ ...settings, password: 'other' }, { ...settings, folder: '/x' }, { ...settings, host: 'h2' }]) {
    await (await pool.acquire(other)).release(true);
  }
  expect(opened).toHaveLength(4);
  await pool.closeAll();
});

test('a session released as broken, or found dead, is closed and not reused', async () => {
  const { pool, opened } = poolWithCounter(10_000);
  const lease = await pool.acquire(settings);
  await lease.release(false);
  expect(opened[0].closed).toBe(true);
  const next = await pool.acquire(settings);
  await next.release(true);
  (next.fs as FakeSession).alive = false; // the server hung up while idle
  const third = await pool.acquire(settings);
  expect(third.fs).not.toBe(next.fs);
  expect(opened).toHaveLength(3);
  await third.release(true);
  await pool.closeAll();
});

test('two concurrent requests get two sessions; with idle 0 nothing is kept', async () => {
  const { pool, opened } = poolWithCounter(0);
  const [a, b] = await Promise.all([pool.acquire(settings), pool.acquire(settings)]);
  expect(a.fs).not.toBe(b.fs);
  await a.release(true);
  await b.release(true);
  expect(pool.idleCount).toBe(0);
  expect(opened.every((s) => s.closed)).toBe(true);
});

test('idle sessions close themselves after the idle time', async () => {
  const { pool, opened } = poolWithCounter(30);
  await (await pool.acquire(settings)).release(true);
  expect(pool.idleCount).toBe(1);
  await new Promise((r) => setTimeout(r, 80));
  expect(pool.idleCount).toBe(0);
  expect(opened[0].closed).toBe(true);
});
