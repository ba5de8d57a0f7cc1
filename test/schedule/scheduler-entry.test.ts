import { provideSchedulerDeps, scheduler } from '../../src/entry/scheduler';
import { LAST_TICK_KEY } from '../../src/core/schedule';
import { FakeKeyValue } from './fake-key-value';
import { plan } from './plan-fixture';

describe('scheduler entry (Forge scheduled trigger handler)', () => {
  afterEach(() => provideSchedulerDeps(undefined));

  it('runs a tick with the provided collaborators', async () => {
    const kv = new FakeKeyValue();
    await kv.set(LAST_TICK_KEY, { at: Date.parse('2026-06-07T00:25:00Z') });
    const started: string[] = [];
    provideSchedulerDeps(() => ({
      keyValue: kv,
      clock: { now: () => Date.parse('2026-06-07T00:31:00Z') },
      loadPlans: async () => [plan()],
      siteTimeZone: 'Europe/Berlin',
      startBackup: async (_plan, request) => { started.push(request.slotId); },
    }));
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    await scheduler();
    await scheduler(); // Forge may deliver the trigger twice
    log.mockRestore();
    expect(started).toEqual(['nightly:2026-06-07T02:30']);
  });

  it('logs instead of throwing when a tick fails (Forge never retries a trigger)', async () => {
    provideSchedulerDeps(() => ({
      keyValue: new FakeKeyValue(),
      clock: { now: () => 0 },
      loadPlans: async () => { throw new Error('KVS unavailable'); },
      siteTimeZone: 'UTC',
      startBackup: async () => undefined,
    }));
    const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    await expect(scheduler()).resolves.toBeUndefined();
    expect(error).toHaveBeenCalledWith('Backup scheduler tick failed: KVS unavailable');
    provideSchedulerDeps(undefined);
    await scheduler();
    expect(error).toHaveBeenLastCalledWith(expect.stringMatching(/not wired/));
    error.mockRestore();
  });
});
