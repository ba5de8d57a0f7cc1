import { ForgeKvsAPIError, kvs, WhereConditions } from '@forge/kvs';
import { join } from 'node:path';
import { ForgePlatform } from '../../local/forge';
import { LAST_TICK_KEY, runSchedulerTick, slotClaimKey, type CreateIfAbsent, type ScheduledRunRequest } from '../../src/core/schedule';
import type { KeyValue } from '../../src/ports';
import { plan } from './plan-fixture';

/**
 * The scheduler's claims against the real @forge/kvs package on the local Forge emulator: the keys are valid Forge
 * keys, and Forge's `keyPolicy: 'FAIL_IF_EXISTS'` is the atomic create-if-absent that closes the claim race.
 * The KeyValue below is a minimal test-only bridge (the production adapter lives in src/adapters/forge).
 */
const forgeKeyValue: KeyValue = {
  get: async <T>(key: string) => (await kvs.get(key)) as T | undefined,
  set: async (key, value) => { await kvs.set(key, value as never); },
  delete: (key) => kvs.delete(key),
  list: async <T>(prefix: string, options: { cursor?: string; limit?: number } = {}) => {
    let query = kvs.query().where('key', WhereConditions.beginsWith(prefix)).limit(options.limit ?? 10);
    if (options.cursor) query = query.cursor(options.cursor);
    const page = await query.getMany();
    return { entries: page.results.map((r) => ({ key: r.key, value: r.value as T })), nextCursor: page.nextCursor };
  },
  transact: async (operations) => {
    let tx = kvs.transact();
    for (const op of operations) tx = op.op === 'set' ? tx.set(op.key, op.value as never) : tx.delete(op.key);
    await tx.execute();
  },
};

const createIfAbsent: CreateIfAbsent = async (key, value) => {
  try {
    await kvs.set(key, value, { keyPolicy: 'FAIL_IF_EXISTS' });
    return true;
  } catch (error) {
    if (error instanceof ForgeKvsAPIError && error.code === 'KEY_ALREADY_EXISTS') return false;
    throw error;
  }
};

describe('scheduler claims on emulated Forge KVS', () => {
  let platform: ForgePlatform;
  beforeEach(async () => {
    platform = await ForgePlatform.start({ appDir: join(__dirname, '..', 'emulator', 'fixture-app'), dataDir: 'memory', clock: { startAt: Date.parse('2026-06-07T00:31:00Z') } });
  });
  afterEach(() => platform.stop());

  it('starts each slot once when four ticks run at the same time', async () => {
    await forgeKeyValue.set(LAST_TICK_KEY, { at: Date.parse('2026-06-07T00:25:00Z') });
    const starts: ScheduledRunRequest[] = [];
    let token = 0;
    const tick = () => runSchedulerTick({
      keyValue: forgeKeyValue,
      createIfAbsent,
      clock: { now: () => platform.clock.now() },
      loadPlans: async () => [plan(), plan({ id: 'ops', content: 'combined', schedule: { days: ['sun'], time: '02:28' } })],
      siteTimeZone: 'Europe/Berlin',
      newToken: () => `t${++token}`,
      startBackup: async (_plan, request) => { starts.push(request); },
    });
    await Promise.all([tick(), tick(), tick(), tick()]);
    expect(starts.map((s) => [s.slotId, s.kind]).sort()).toEqual([['nightly:2026-06-07T02:30', 'basic'], ['ops:2026-06-07T02:28', 'extended']]);
    expect(await kvs.get(slotClaimKey('nightly:2026-06-07T02:30'))).toEqual(expect.objectContaining({ state: 'started', attempts: 1 }));
    expect(await kvs.get(LAST_TICK_KEY)).toEqual({ at: Date.parse('2026-06-07T00:31:00Z') });
  });
});
