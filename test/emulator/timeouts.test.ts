import { InvocationTimeoutError } from '../../local/forge';
import type { ForgePlatform } from '../../local/forge';
import { startFixture } from './start-fixture';

/** Invocation time limits from manifest.yml's timeoutSeconds, and the emulated kill of an invocation. */
describe('invocation timeouts', () => {
  let platform: ForgePlatform;
  afterEach(() => platform.stop());

  it('fails a consumer that outlives timeoutSeconds, retries the event, and blocks the abandoned run', async () => {
    platform = await startFixture();
    await platform.invoke('resolver', 'pushTo', { queue: 'slow-jobs', events: [{ n: 1 }] });
    const started = Date.now();
    const report = await platform.runUntilIdle();
    const elapsed = Date.now() - started;
    expect(report).toMatchObject({ delivered: 1, retried: 1 });
    expect(elapsed).toBeGreaterThanOrEqual(950);
    expect(elapsed).toBeLessThan(1_450); // it did not wait for the 1.5 s the first run wanted
    expect(platform.invocations.filter((i) => i.functionKey === 'slow-worker').map((i) => i.outcome)).toEqual(['timeout', 'ok']);
    expect(platform.kvs.dump()['slow:done']).toMatchObject({ retryCount: 1, retryReason: 'FUNCTION_TIME_OUT' });

    // the first run wakes up after its deadline: its KVS write must fail, as if Forge had killed it
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect((globalThis as { __fixtureLateError?: unknown }).__fixtureLateError).toBeInstanceOf(InvocationTimeoutError);
    expect(platform.kvs.dump()['slow:late-write']).toBeUndefined();
  });

  it('reports the remaining time of a 900 s consumer through getAppContext', async () => {
    platform = await startFixture();
    await platform.invoke('resolver', 'enqueue', { events: [{ kind: 'remaining' }] });
    await platform.runUntilIdle();
    const remaining = platform.kvs.dump()['remaining:ms'] as number;
    expect(remaining).toBeGreaterThan(890_000);
    expect(remaining).toBeLessThanOrEqual(900_000);
  });
});
