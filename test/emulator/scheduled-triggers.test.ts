import { kvs } from '@forge/kvs';
import type { ForgePlatform } from '../../local/forge';
import { startFixture, T0 } from './start-fixture';

/** Scheduled triggers fired from manifest.yml's intervals by the platform clock. */
describe('scheduled triggers', () => {
  let platform: ForgePlatform;
  afterEach(() => platform.stop());

  it('fires an hourly trigger 5 minutes after start, then every hour, and never in between', async () => {
    platform = await startFixture();
    await platform.clock.advance(4 * 60_000 + 59_000);
    expect(platform.kvs.dump()['tick:runs']).toBeUndefined();
    const first = await platform.clock.advance(1_000);
    expect(first.triggersFired).toBe(1);
    expect(platform.kvs.dump()).toMatchObject({ 'tick:runs': 1, 'tick:module': 'fixture-tick' });
    await platform.clock.advance(59 * 60_000);
    expect(platform.kvs.dump()['tick:runs']).toBe(1);
    await platform.clock.advance(60_000);
    expect(platform.kvs.dump()['tick:runs']).toBe(2);
    const later = await platform.clock.set(T0 + 5 * 60_000 + 4 * 3600_000);
    expect(later.triggersFired).toBe(3);
    expect(platform.kvs.dump()['tick:runs']).toBe(5);
  });

  it('fires on demand with fireScheduledTriggers, without a user', async () => {
    platform = await startFixture();
    expect(await platform.fireScheduledTriggers()).toBe(1);
    expect(await platform.fireScheduledTriggers('fixture-tick')).toBe(1);
    expect(platform.kvs.dump()['tick:runs']).toBe(2);
    expect(platform.invocations.filter((i) => i.kind === 'scheduledTrigger').every((i) => i.accountId === undefined)).toBe(true);
    await expect(platform.fireScheduledTriggers('no-such-trigger')).rejects.toThrow(/No scheduledTrigger/);
  });

  it('never retries a failed trigger run', async () => {
    platform = await startFixture();
    await kvs.set('tick:fail', true);
    await platform.fireScheduledTriggers();
    await platform.runUntilIdle();
    expect(platform.invocations.filter((i) => i.kind === 'scheduledTrigger').map((i) => i.outcome)).toEqual(['error']);
    expect(platform.logs.join('\n')).toContain('not retried');
  });

  it('fires some runs twice in duplicate-delivery mode', async () => {
    platform = await startFixture({ duplicateDelivery: true, seed: 3 });
    let fired = 0;
    for (let i = 0; i < 10; i++) fired += await platform.fireScheduledTriggers();
    expect(fired).toBeGreaterThan(10);
    expect(fired).toBeLessThan(20);
    expect(platform.kvs.dump()['tick:runs']).toBe(fired);
  });
});
