import { createHash } from 'node:crypto';
import type { ForgePlatform } from '../../local/forge';
import { startFixture } from './start-fixture';

/**
 * The whole path through the real SDK packages: the page's resolver call enqueues work, the consumer runs,
 * and the result lands in KVS and the Object Store (uploaded through a presigned URL over HTTP).
 */
describe('end to end: resolver → async event → consumer → KVS + Object Store', () => {
  let platform: ForgePlatform;
  beforeAll(async () => {
    platform = await startFixture();
  });
  afterAll(() => platform.stop());

  it('runs a requested backup to completion', async () => {
    const { runId, jobId } = await platform.invoke<{ runId: string; jobId: string }>('fixture-admin-page', 'startBackup', { runId: 'r1' }, { accountId: 'user-admin' });
    expect(runId).toBe('r1');
    expect(jobId).toEqual(expect.any(String));
    expect(platform.kvs.dump()['run:r1']).toEqual({ state: 'queued', requestedBy: 'user-admin' });

    const report = await platform.runUntilIdle();
    expect(report).toMatchObject({ delivered: 1, retried: 0, dropped: 0 });

    const run = platform.kvs.dump()['run:r1'] as { state: string; objectKey: string; bytes: number };
    expect(run).toMatchObject({ state: 'done', objectKey: 'snapshots/r1.json' });
    const [object] = platform.objectStore.list();
    expect(object).toMatchObject({ key: 'snapshots/r1.json', size: run.bytes, checksumType: 'SHA256' });
    const bytes = platform.objectStore.read('snapshots/r1.json')!;
    expect(JSON.parse(bytes.toString())).toEqual({ runId: 'r1', issues: ['TEST-1', 'TEST-2'] });
    expect(object.checksum).toBe(createHash('sha256').update(bytes).digest('base64'));
    expect(platform.invocations.map((i) => [i.kind, i.functionKey, i.outcome])).toEqual([
      ['resolver', 'resolver', 'ok'],
      ['consumer', 'worker', 'ok'],
    ]);
  });
});
