import { Queue, TooManyEventsError, PayloadTooBigError, InvalidPushSettingsError, InternalServerError } from '@forge/events';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ForgePlatform } from '../../local/forge';
import { EmulatorConfigError } from '../../local/forge';
import { startFixture, T0 } from './start-fixture';

/** Async events pushed with the real @forge/events package and delivered to the manifest's consumers. */
describe('async events', () => {
  let platform: ForgePlatform;
  afterEach(() => platform?.stop());

  it('delivers pushed events to the consumer of their queue, as AsyncEvents', async () => {
    platform = await startFixture();
    const { jobId } = await platform.invoke<{ jobId: string }>('resolver', 'enqueue', { events: [{ kind: 'record', id: 'a' }, { kind: 'record', id: 'b' }] });
    expect(platform.events.pending()).toHaveLength(2);
    const report = await platform.runUntilIdle();
    expect(report).toMatchObject({ delivered: 2, retried: 0, dropped: 0 });
    expect(platform.kvs.dump()).toEqual({ 'seen:a': [0], 'seen:b': [0] });
    const stats = await new Queue({ key: 'fixture-jobs' }).getJob(jobId).getStats();
    expect(stats).toEqual({ success: 2, inProgress: 0, failed: 0 });
  });

  it('delivers to a resolver-style consumer (resolver: {function, method}) with the event as payload', async () => {
    platform = await startFixture();
    await platform.invoke('resolver', 'pushTo', { queue: 'resolver-jobs', events: [{ hello: 'world' }] });
    await platform.runUntilIdle();
    expect(platform.kvs.dump()['resolver-consumer:last']).toMatchObject({ body: { hello: 'world' }, queueName: 'resolver-jobs' });
  });

  it('holds delayed events until the platform clock reaches them', async () => {
    platform = await startFixture();
    await platform.invoke('resolver', 'enqueue', { events: [{ kind: 'record', id: 'later' }], delayInSeconds: 120 });
    await platform.clock.advance(119_000);
    expect(platform.kvs.dump()).toEqual({});
    await platform.clock.advance(1_000);
    expect(platform.kvs.dump()).toEqual({ 'seen:later': [0] });
  });

  it('retries a failing consumer with growing backoff and a retryContext', async () => {
    platform = await startFixture();
    await platform.invoke('resolver', 'enqueue', { events: [{ kind: 'fail-times', id: 'f', times: 3 }] });
    const report = await platform.runUntilIdle();
    expect(report).toMatchObject({ delivered: 1, retried: 3 });
    expect(platform.kvs.dump()['attempts:f']).toBe(4);
    expect(platform.kvs.dump()['retryContext:f']).toMatchObject({ retryCount: 3, retryReason: 'FUNCTION_PLATFORM_UNKNOWN_ERROR' });
    // backoff 10 s, 20 s, 40 s: the last attempt ran 70 s after the push
    expect(platform.clock.now()).toBe(T0 + 70_000);
  });

  it('honours an InvocationError retryAfter and passes retryData back', async () => {
    platform = await startFixture();
    await platform.invoke('resolver', 'enqueue', { events: [{ kind: 'retry-request', id: 'r', retryAfter: 300 }] });
    await platform.clock.advance(299_000);
    expect(platform.kvs.dump()['retried:r']).toBeUndefined();
    await platform.clock.advance(1_000);
    expect(platform.kvs.dump()['retried:r']).toMatchObject({
      retryCount: 1,
      retryReason: 'FUNCTION_UPSTREAM_RATE_LIMITED',
      retryData: { cursor: 'page-2' },
    });
  });

  it('drops an event that keeps failing once the 24 h retention window ends', async () => {
    platform = await startFixture();
    await platform.invoke('resolver', 'enqueue', { events: [{ kind: 'fail-times', id: 'never', times: 1e9 }] });
    const report = await platform.runUntilIdle();
    expect(report.dropped).toBe(1);
    expect(platform.events.deadLetters).toHaveLength(1);
    expect(platform.clock.now() - T0).toBeLessThanOrEqual(24 * 3600_000);
    expect(platform.kvs.dump()['attempts:never']).toBeGreaterThan(90); // ~15-minute retries for a day
  });

  it('delivers some events twice in duplicate-delivery mode', async () => {
    platform = await startFixture({ duplicateDelivery: true, seed: 7 });
    const events = Array.from({ length: 20 }, (_, i) => ({ kind: 'record', id: `d${i}` }));
    await platform.invoke('resolver', 'enqueue', { events });
    await platform.runUntilIdle();
    const counts = Object.values(platform.kvs.dump()).map((seen) => (seen as number[]).length);
    expect(counts).toHaveLength(20);
    expect(counts.filter((c) => c === 2).length).toBeGreaterThan(0);
    expect(counts.filter((c) => c === 1).length).toBeGreaterThan(0);
    expect(counts.every((c) => c === 1 || c === 2)).toBe(true);
  });

  describe('rejects what Forge rejects, with the SDK raising its own errors', () => {
    beforeEach(async () => {
      platform = await startFixture();
    });
    const queue = () => new Queue({ key: 'fixture-jobs' });

    it('more than 50 events in a push', async () => {
      const events = Array.from({ length: 51 }, () => ({ body: { kind: 'record' } }));
      await expect(queue().push(events)).rejects.toThrow(TooManyEventsError);
    });

    it('more than 200 KB in a push', async () => {
      const events = Array.from({ length: 3 }, () => ({ body: { pad: 'x'.repeat(70 * 1024) } }));
      await expect(queue().push(events)).rejects.toThrow(PayloadTooBigError);
    });

    it('an event over 100 KB for a consumer with timeoutSeconds over 55, but not for a 55 s one', async () => {
      const big = { body: { pad: 'x'.repeat(101 * 1024) } };
      await expect(queue().push(big)).rejects.toThrow(PayloadTooBigError);
      await expect(queue().push(big)).rejects.toThrow(/100KB/);
      await expect(new Queue({ key: 'short-jobs' }).push(big)).resolves.toMatchObject({ jobId: expect.any(String) });
    });

    it('delayInSeconds over 900', async () => {
      await expect(queue().push({ body: { kind: 'record' }, delayInSeconds: 901 })).rejects.toThrow(InvalidPushSettingsError);
    });

    it('a queue no consumer listens to', async () => {
      await expect(new Queue({ key: 'nobody-listens' }).push({ body: {} })).rejects.toThrow(InternalServerError);
    });
  });

  it('stops an invocation chain at 1,000 pushes with InvocationLimitReachedError', async () => {
    platform = await startFixture();
    await platform.invoke('resolver', 'enqueue', { events: [{ kind: 'chain', depth: 1 }] });
    await platform.runUntilIdle({ maxDeliveries: 2_000 });
    // the resolver's push was the chain's first; consumer n pushes the (n+1)th, so consumer 999 pushes the 1,000th
    expect(platform.kvs.dump()['chain:depth']).toBe(1000);
    expect(platform.kvs.dump()['chain:stoppedBy']).toBe('InvocationLimitReachedError');
    expect(platform.invocations.filter((i) => i.kind === 'consumer')).toHaveLength(1000);
  });

  it('starts a new chain for each resolver call', async () => {
    platform = await startFixture();
    for (let i = 0; i < 3; i++) await platform.invoke('resolver', 'enqueue', { events: [{ kind: 'record', id: `c${i}` }] });
    const chains = new Set(platform.events.pending().map((q) => q.chain.id));
    expect(chains.size).toBe(3);
    expect(platform.events.pending().every((q) => q.chain.pushes === 1 && q.chainDepth === 1)).toBe(true);
  });

  it('runs due events one at a time by default, and side by side with eventConcurrency', async () => {
    const events = Array.from({ length: 8 }, () => ({ kind: 'overlap' }));
    platform = await startFixture();
    await platform.invoke('resolver', 'enqueue', { events });
    await platform.runUntilIdle();
    expect(platform.kvs.dump()['overlap:max']).toBe(1);
    await platform.stop();

    platform = await startFixture({ eventConcurrency: 4 });
    await platform.invoke('resolver', 'enqueue', { events });
    expect(await platform.runUntilIdle()).toMatchObject({ delivered: 8 });
    expect(platform.kvs.dump()['overlap:max']).toBe(4);
  });

  it("delivers by itself on the wall clock in 'system' clock mode (npm start)", async () => {
    platform = await startFixture({ clock: 'system' });
    await platform.invoke('resolver', 'enqueue', { events: [{ kind: 'record', id: 'auto' }] });
    for (let waited = 0; waited < 3_000 && !platform.kvs.dump()['seen:auto']; waited += 50) await new Promise((r) => setTimeout(r, 50));
    expect(platform.kvs.dump()['seen:auto']).toEqual([0]);
    expect(Math.abs(platform.clock.now() - Date.now())).toBeLessThan(1_000);
  });

  it('keeps queued events and job stats in a data directory across a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'forge-emulator-events-'));
    try {
      platform = await startFixture({ dataDir });
      const { jobId } = await platform.invoke<{ jobId: string }>('resolver', 'enqueue', { events: [{ kind: 'record', id: 'p1' }, { kind: 'record', id: 'p2' }], delayInSeconds: 60 });
      await platform.stop();

      platform = await startFixture({ dataDir });
      expect(platform.events.pending().map((q) => q.event.body.id)).toEqual(['p1', 'p2']);
      expect(await platform.runUntilIdle()).toMatchObject({ delivered: 2 });
      expect(await new Queue({ key: 'fixture-jobs' }).getJob(jobId).getStats()).toEqual({ success: 2, inProgress: 0, failed: 0 });
      await platform.stop();

      platform = await startFixture({ dataDir });
      expect(platform.events.pending()).toEqual([]);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('redelivers an event whose consumer was running when the process died (at least once)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'forge-emulator-crash-'));
    const crashed = mkdtempSync(join(tmpdir(), 'forge-emulator-crashed-'));
    try {
      platform = await startFixture({ dataDir });
      await platform.invoke('resolver', 'pushTo', { queue: 'slow-jobs', events: [{ n: 1 }] });
      const running = platform.runUntilIdle();
      await new Promise((resolve) => setTimeout(resolve, 300)); // the consumer is mid-run now
      cpSync(dataDir, crashed, { recursive: true }); // the data directory as a crash at this instant leaves it
      await running;
      await platform.stop();

      platform = await startFixture({ dataDir: crashed });
      expect(platform.events.pending().map((q) => q.event.body)).toEqual([{ n: 1 }]);
      await platform.runUntilIdle();
      expect(platform.kvs.dump()).toMatchObject({ 'slow:attempts': 2, 'slow:done': null });
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(crashed, { recursive: true, force: true });
    }
  });

  it('stops with a clear error, keeping the event, when the consumer handler is missing from src/', async () => {
    platform = await startFixture();
    await platform.invoke('resolver', 'pushTo', { queue: 'broken-jobs', events: [{ n: 1 }] });
    const error = await platform.runUntilIdle().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmulatorConfigError);
    expect((error as Error).message).toMatch(/no exported function 'doesNotExist'/);
    expect(platform.events.pending()).toHaveLength(1);
  });

  it('cancels a job: its pending events are not delivered', async () => {
    platform = await startFixture();
    const { jobId } = await platform.invoke<{ jobId: string }>('resolver', 'enqueue', { events: [{ kind: 'record', id: 'x' }], delayInSeconds: 60 });
    await new Queue({ key: 'fixture-jobs' }).cancel(jobId);
    await platform.runUntilIdle();
    expect(platform.kvs.dump()).toEqual({});
  });
});
