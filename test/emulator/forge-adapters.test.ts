import { ForgeKvsAPIError } from '@forge/kvs';
import { TooManyEventsError } from '@forge/events';
import type { ForgePlatform } from '../../local/forge';
import { EMULATOR_ACCOUNT_HEADER } from '../../local/forge';
import {
  BACKUP_JOBS_QUEUE, consoleLogger, forgeCreateIfAbsent, forgeJiraClient, forgeJobQueue, forgeKeyValue, forgeSecrets, jiraPathWithQuery,
} from '../../src/adapters/forge';
import { EchoServer, startEchoServer } from './echo-server';
import { startFixture, T0 } from './start-fixture';

/** src/adapters/forge: the ports on the real @forge/* packages, exercised on the emulator. */
describe('Forge adapters of the ports', () => {
  let platform: ForgePlatform;
  let jira: EchoServer;
  beforeAll(async () => {
    jira = await startEchoServer();
    platform = await startFixture({ jira: { baseUrl: jira.url } });
  });
  afterAll(async () => {
    await platform.stop();
    await jira.close();
  });
  beforeEach(() => platform.kvs.clear());

  describe('KeyValue (forgeKeyValue)', () => {
    const store = forgeKeyValue();

    it('gets, sets and deletes, with undefined for a missing key', async () => {
      await store.set('config:site', { tz: 'Europe/Berlin' });
      expect(await store.get('config:site')).toEqual({ tz: 'Europe/Berlin' });
      await store.delete('config:site');
      expect(await store.get('config:site')).toBeUndefined();
    });

    it('lists a prefix in key order, page by page, and everything for an empty prefix', async () => {
      for (let i = 0; i < 230; i++) await store.set(`cat:${String(i).padStart(3, '0')}`, i);
      await store.set('zzz', 'other');
      const keys: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await store.list<number>('cat:', { cursor });
        keys.push(...page.entries.map((e) => e.key));
        cursor = page.nextCursor;
        pages++;
      } while (cursor);
      expect(pages).toBe(3);
      expect(keys).toHaveLength(230);
      expect(keys).toEqual([...keys].sort());
      const small = await store.list('cat:', { limit: 5 });
      expect(small.entries.map((e) => e.value)).toEqual([0, 1, 2, 3, 4]);
      const all = await store.list('', { limit: 100 });
      expect(all.entries).toHaveLength(100);
      expect(all.nextCursor).toBeDefined();
    });

    it('transacts atomically, and surfaces Forge errors as ForgeKvsAPIError', async () => {
      await store.set('gone', 1);
      await store.transact([{ op: 'set', key: 'a', value: 1 }, { op: 'delete', key: 'gone' }]);
      expect(platform.kvs.dump()).toEqual({ a: 1 });
      const ops = Array.from({ length: 26 }, (_, i) => ({ op: 'set' as const, key: `t${i}`, value: i }));
      await expect(store.transact(ops)).rejects.toBeInstanceOf(ForgeKvsAPIError);
      await expect(store.set('no/slashes', 1)).rejects.toMatchObject({ code: 'INVALID_KEY' });
      expect(platform.kvs.dump()).toEqual({ a: 1 });
    });

    it('creates a key only when absent (forgeCreateIfAbsent)', async () => {
      expect(await forgeCreateIfAbsent('claim:slot-1', { by: 'run-a' })).toBe(true);
      expect(await forgeCreateIfAbsent('claim:slot-1', { by: 'run-b' })).toBe(false);
      expect(platform.kvs.dump()['claim:slot-1']).toEqual({ by: 'run-a' });
    });

    it('offers the atomic create on the port too (KeyValue.createIfAbsent), one winner of concurrent creates', async () => {
      expect(store.createIfAbsent).toBeDefined();
      const results = await Promise.all(['run-a', 'run-b', 'run-c'].map((by) => store.createIfAbsent!('claim:lock-1', { by })));
      expect(results.filter(Boolean)).toHaveLength(1);
      const winner = ['run-a', 'run-b', 'run-c'][results.indexOf(true)];
      expect(await store.get('claim:lock-1')).toEqual({ by: winner });
      await store.delete('claim:lock-1');
      expect(await store.createIfAbsent!('claim:lock-1', { by: 'run-d' })).toBe(true);
    });
  });

  it('Secrets (forgeSecrets) round-trips through secret storage only', async () => {
    const secrets = forgeSecrets();
    await secrets.set('sftp:key', '-----BEGIN KEY-----');
    expect(await secrets.get('sftp:key')).toBe('-----BEGIN KEY-----');
    expect(platform.kvs.dump()).toEqual({});
    await secrets.delete('sftp:key');
    expect(await secrets.get('sftp:key')).toBeUndefined();
  });

  describe('JobQueue (forgeJobQueue)', () => {
    it("targets the manifest's backup-jobs queue by default", () => {
      expect(BACKUP_JOBS_QUEUE).toBe('backup-jobs');
    });

    it('pushes JobEvents as event bodies, with the delay, and the consumer gets them', async () => {
      const queue = forgeJobQueue('fixture-jobs');
      await queue.push([{ kind: 'record', id: 'q1' }, { kind: 'record', id: 'q2' }], { delaySeconds: 30 });
      const pending = platform.events.pending();
      expect(pending.map((p) => p.event.body)).toEqual([{ kind: 'record', id: 'q1' }, { kind: 'record', id: 'q2' }]);
      expect(pending.every((p) => p.dueAt === platform.clock.now() + 30_000)).toBe(true);
      await platform.runUntilIdle();
      expect(platform.kvs.dump()).toEqual({ 'seen:q1': [0], 'seen:q2': [0] });
      expect(platform.clock.now()).toBeGreaterThanOrEqual(T0 + 30_000);
    });

    it("fails with @forge/events' own error over 50 events", async () => {
      const events = Array.from({ length: 51 }, (_, i) => ({ kind: 'record', id: `x${i}` }));
      await expect(forgeJobQueue('fixture-jobs').push(events)).rejects.toBeInstanceOf(TooManyEventsError);
    });
  });

  describe('JiraClient (forgeJiraClient)', () => {
    it('sends method, path, encoded query and JSON body as the app', async () => {
      const client = forgeJiraClient();
      const response = await client.request({
        method: 'POST',
        path: '/rest/api/3/search/jql',
        query: { maxResults: 100, fields: 'summary,status', skipped: undefined },
        json: { jql: 'project = TEST' },
      });
      expect(response.status).toBe(200);
      const seen = await response.json<{ method: string; url: string; body: string; headers: Record<string, string> }>();
      expect(seen.method).toBe('POST');
      expect(seen.url).toBe('/rest/api/3/search/jql?maxResults=100&fields=summary%2Cstatus');
      expect(JSON.parse(seen.body)).toEqual({ jql: 'project = TEST' });
      expect(seen.headers['content-type']).toBe('application/json');
      expect(seen.headers[EMULATOR_ACCOUNT_HEADER]).toBeUndefined();
      expect(JSON.parse(await response.text())).toEqual(seen); // the body can be read again
      expect(response.headers['content-type']).toBe('application/json');
    });

    it('sends raw bytes with their content type, and asUser carries the user', async () => {
      const client = forgeJiraClient({ as: 'user', accountId: 'user-42' });
      const response = await client.request({
        method: 'PUT',
        path: '/rest/api/3/issue/10001',
        body: new Uint8Array([104, 105]),
        headers: { 'content-type': 'text/plain' },
      });
      const seen = await response.json<{ body: string; headers: Record<string, string> }>();
      expect(seen.body).toBe('hi');
      expect(seen.headers['content-type']).toBe('text/plain');
      expect(seen.headers[EMULATOR_ACCOUNT_HEADER]).toBe('user-42');
    });

    it.each(['/wiki/api', '/rest/api/3/../admin', '/rest/api/3/issue?x=1'])('refuses the path %s', (path) => {
      expect(() => jiraPathWithQuery({ path })).toThrow(/must start with \/rest\//);
    });
  });

  it('Logger (consoleLogger) writes one JSON line per entry', () => {
    const lines: string[][] = [];
    const sink = { info: (l: string) => lines.push(['info', l]), warn: (l: string) => lines.push(['warn', l]), error: (l: string) => lines.push(['error', l]) };
    const logger = consoleLogger('worker', sink as unknown as Console);
    logger.info('step done', { runId: 'r1' });
    logger.error('step failed', { error: new Error('boom') });
    expect(lines.map(([level, l]) => [level, JSON.parse(l)])).toEqual([
      ['info', { scope: 'worker', message: 'step done', runId: 'r1' }],
      ['error', { scope: 'worker', message: 'step failed', error: { name: 'Error', message: 'boom' } }],
    ]);
  });
});
