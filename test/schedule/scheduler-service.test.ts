import type { BackupPlan } from '../../src/core/plans/plan';
import {
  LAST_TICK_KEY, MAX_START_ATTEMPTS, runSchedulerTick, slotClaimKey, type ScheduledRunRequest, type SchedulerTickDeps,
} from '../../src/core/schedule';
import { FakeKeyValue } from './fake-key-value';
import { plan } from './plan-fixture';

const t = (iso: string) => Date.parse(iso);
const MINUTE = 60_000;

/** A scheduler world: fake KVS, a settable clock, plans, and a record of every start. */
function world(plans: BackupPlan[], timeZone = 'Europe/Berlin') {
  const kv = new FakeKeyValue();
  const starts: { planId: string; request: ScheduledRunRequest }[] = [];
  let now = 0;
  let tokens = 0;
  const failures = new Map<string, number>();
  const deps = (overrides: Partial<SchedulerTickDeps> = {}): SchedulerTickDeps => ({
    keyValue: kv,
    clock: { now: () => now },
    loadPlans: async () => plans,
    siteTimeZone: timeZone,
    newToken: () => `token-${++tokens}`,
    startBackup: async (p, request) => {
      const left = failures.get(p.id) ?? 0;
      if (left > 0) {
        failures.set(p.id, left - 1);
        throw new Error(`queue unavailable for ${p.id}`);
      }
      starts.push({ planId: p.id, request });
    },
    ...overrides,
  });
  return {
    kv, starts, deps,
    setNow: (iso: string | number) => { now = typeof iso === 'number' ? iso : t(iso); },
    failNext: (planId: string, times: number) => failures.set(planId, times),
    tick: (overrides?: Partial<SchedulerTickDeps>) => runSchedulerTick(deps(overrides)),
  };
}

describe('runSchedulerTick', () => {
  it('starts a plan whose slot passed since the last tick, with the slot id and kind', async () => {
    const w = world([plan({ content: 'combined' })]);
    w.setNow('2026-06-07T00:28:00Z');
    await w.tick();
    w.setNow('2026-06-07T00:33:00Z'); // 02:33 CEST on Sunday 7 June
    const result = await w.tick();
    expect(w.starts).toEqual([{ planId: 'nightly', request: { trigger: 'schedule', slotId: 'nightly:2026-06-07T02:30', kind: 'extended', slotAt: t('2026-06-07T00:30:00Z'), timeZone: 'Europe/Berlin' } }]);
    expect(result.started).toEqual([{ planId: 'nightly', slotId: 'nightly:2026-06-07T02:30', kind: 'extended' }]);
    expect(await w.kv.get(LAST_TICK_KEY)).toEqual({ at: t('2026-06-07T00:33:00Z') });
  });

  it('starts a slot once when the trigger fires twice', async () => {
    const w = world([plan()]);
    w.setNow('2026-06-07T00:31:00Z');
    await w.tick();
    const second = await w.tick();
    expect(w.starts).toHaveLength(1);
    expect(second.started).toEqual([]);
  });

  it('starts a slot once when a late duplicate delivery still sees the old window', async () => {
    const w = world([plan()]);
    await w.kv.set(LAST_TICK_KEY, { at: t('2026-06-07T00:25:00Z') });
    w.setNow('2026-06-07T00:31:00Z');
    await w.tick();
    await w.kv.set(LAST_TICK_KEY, { at: t('2026-06-07T00:25:00Z') }); // as if the duplicate read the old value
    const duplicate = await w.tick();
    expect(w.starts).toHaveLength(1);
    expect(duplicate.skipped).toEqual([expect.objectContaining({ slotId: 'nightly:2026-06-07T02:30', reason: 'already started by an earlier tick' })]);
  });

  it('starts a slot once when two ticks run concurrently (read-back claim)', async () => {
    const w = world([plan(), plan({ id: 'second', schedule: { days: 'daily', time: '02:29' } })]);
    await w.kv.set(LAST_TICK_KEY, { at: t('2026-06-07T00:25:00Z') });
    w.setNow('2026-06-07T00:31:00Z');
    const results = await Promise.all([w.tick(), w.tick(), w.tick()]);
    expect(w.starts.map((s) => s.request.slotId).sort()).toEqual(['nightly:2026-06-07T02:30', 'second:2026-06-07T02:29']);
    expect(results.flatMap((r) => r.skipped).every((s) => s.reason === 'claimed by a concurrent tick' || s.reason.startsWith('already'))).toBe(true);
  });

  it('starts a slot once when two ticks run concurrently (atomic create-if-absent)', async () => {
    const w = world([plan()]);
    await w.kv.set(LAST_TICK_KEY, { at: t('2026-06-07T00:25:00Z') });
    w.setNow('2026-06-07T00:31:00Z');
    await Promise.all([w.tick({ createIfAbsent: w.kv.createIfAbsent }), w.tick({ createIfAbsent: w.kv.createIfAbsent })]);
    expect(w.starts).toHaveLength(1);
  });

  it('after an outage starts only the newest missed slot, at most a day back', async () => {
    const w = world([plan()]);
    await w.kv.set(LAST_TICK_KEY, { at: t('2026-06-01T00:00:00Z') });
    w.setNow('2026-06-05T12:00:00Z');
    const result = await w.tick();
    expect(w.starts.map((s) => s.request.slotId)).toEqual(['nightly:2026-06-05T02:30']);
    expect(result.from).toBe(t('2026-06-04T12:00:00Z'));
  });

  it('catches up at most one slot per plan: a day-long window holds one daily slot', async () => {
    const w = world([plan({ schedule: { days: 'daily', time: '23:00' } })]);
    await w.kv.set(LAST_TICK_KEY, { at: t('2026-06-01T20:00:00Z') });
    w.setNow('2026-06-05T21:30:00Z'); // 23:30 Berlin on 5 June; the 4 June slot (21:00Z) is older than a day
    const result = await w.tick();
    expect(result.started.map((s) => s.slotId)).toEqual(['nightly:2026-06-05T23:00']);
    expect(result.skipped).toEqual([]);
  });

  it('reports an older slot in the window as superseded (a 23-hour DST day fits two 03:00 slots in a day)', async () => {
    const w = world([plan({ schedule: { days: 'daily', time: '03:00' } })]);
    await w.kv.set(LAST_TICK_KEY, { at: t('2026-03-27T12:00:00Z') });
    w.setNow('2026-03-29T01:30:00Z');
    const result = await w.tick();
    expect(result.started.map((s) => s.slotId)).toEqual(['nightly:2026-03-29T03:00']);
    expect(result.skipped).toEqual([
      expect.objectContaining({ slotId: 'nightly:2026-03-28T03:00', reason: 'superseded by the newer slot nightly:2026-03-29T03:00' }),
    ]);
  });

  it('on the first tick ever looks back only one trigger interval', async () => {
    const w = world([plan({ schedule: { days: 'daily', time: '01:00' } })]);
    w.setNow('2026-06-07T00:30:00Z'); // 02:30 Berlin: 01:00 was 90 minutes ago
    const result = await w.tick();
    expect(w.starts).toEqual([]);
    expect(result.from).toBe(t('2026-06-07T00:20:00Z'));
  });

  it('retries a failed start on the next ticks and then gives up', async () => {
    const w = world([plan()]);
    await w.kv.set(LAST_TICK_KEY, { at: t('2026-06-07T00:25:00Z') });
    w.failNext('nightly', 2);
    w.setNow('2026-06-07T00:31:00Z');
    const first = await w.tick();
    expect(first.failed).toEqual([expect.objectContaining({ error: 'queue unavailable for nightly', willRetry: true })]);
    expect(await w.kv.get(LAST_TICK_KEY)).toEqual({ at: t('2026-06-07T00:30:00Z') - 1 }); // window held back
    w.setNow('2026-06-07T00:36:00Z');
    expect((await w.tick()).failed).toHaveLength(1);
    w.setNow('2026-06-07T00:41:00Z');
    const third = await w.tick();
    expect(third.started.map((s) => s.slotId)).toEqual(['nightly:2026-06-07T02:30']);
    expect(w.starts).toHaveLength(1);
    expect(await w.kv.get(slotClaimKey('nightly:2026-06-07T02:30'))).toEqual(expect.objectContaining({ state: 'started', attempts: 3 }));
  });

  it(`gives a slot up after ${MAX_START_ATTEMPTS} failed starts`, async () => {
    const w = world([plan()]);
    await w.kv.set(LAST_TICK_KEY, { at: t('2026-06-07T00:25:00Z') });
    w.failNext('nightly', 10);
    for (const [i, minute] of [31, 36, 41, 46].entries()) {
      w.setNow(t('2026-06-07T00:00:00Z') + minute * MINUTE);
      // After giving up the window moves on; replay the old window (a late duplicate) to see the slot refused.
      if (i === 3) await w.kv.set(LAST_TICK_KEY, { at: t('2026-06-07T00:25:00Z') });
      const result = await w.tick();
      if (i < 2) expect(result.failed[0].willRetry).toBe(true);
      if (i === 2) expect(result.failed[0].willRetry).toBe(false);
      if (i === 3) expect(result.skipped[0].reason).toMatch(/given up \(last error: queue unavailable for nightly\)/);
    }
    expect(w.starts).toEqual([]);
    expect(await w.kv.get(LAST_TICK_KEY)).toEqual({ at: t('2026-06-07T00:46:00Z') });
  });

  it('one plan with a broken schedule does not stop the others', async () => {
    const w = world([plan({ id: 'broken', schedule: { days: 'daily', time: '2:30' } }), plan()]);
    await w.kv.set(LAST_TICK_KEY, { at: t('2026-06-07T00:25:00Z') });
    w.setNow('2026-06-07T00:31:00Z');
    const result = await w.tick();
    expect(result.planErrors).toEqual([{ planId: 'broken', error: expect.stringMatching(/"2:30" is not a 24-hour HH:MM time/) }]);
    expect(w.starts.map((s) => s.planId)).toEqual(['nightly']);
  });

  it('skips disabled plans', async () => {
    const w = world([plan({ enabled: false })]);
    await w.kv.set(LAST_TICK_KEY, { at: t('2026-06-07T00:25:00Z') });
    w.setNow('2026-06-07T00:31:00Z');
    await w.tick();
    expect(w.starts).toEqual([]);
  });

  it('resumes stalled jobs every tick, and a failure there does not stop scheduling', async () => {
    const w = world([plan()]);
    await w.kv.set(LAST_TICK_KEY, { at: t('2026-06-07T00:25:00Z') });
    w.setNow('2026-06-07T00:31:00Z');
    let resumed = 0;
    const result = await w.tick({ resumeStalledJobs: async () => { resumed++; throw new Error('chain lost'); } });
    expect(resumed).toBe(1);
    expect(result.resumeError).toBe('chain lost');
    expect(w.starts).toHaveLength(1);
  });

  it('fetches the site time zone when given a function, and refuses an unknown one', async () => {
    const w = world([plan({ schedule: { days: 'daily', time: '08:00' } })]);
    await w.kv.set(LAST_TICK_KEY, { at: t('2026-06-14T19:58:00Z') });
    w.setNow('2026-06-14T20:01:00Z');
    await w.tick({ siteTimeZone: async () => 'Pacific/Auckland' });
    expect(w.starts.map((s) => s.request.slotId)).toEqual(['nightly:2026-06-15T08:00']);
    await expect(w.tick({ siteTimeZone: 'Nowhere/Land' })).rejects.toThrow(/Unknown time zone "Nowhere\/Land"/);
  });

  it('deletes slot claims older than a week', async () => {
    const w = world([plan()]);
    await w.kv.set(slotClaimKey('nightly:2026-05-01T02:30'), { slotId: 'nightly:2026-05-01T02:30', planId: 'nightly', slotAt: t('2026-05-01T00:30:00Z'), state: 'started', token: 'x', attempts: 1, claimedAt: 0 });
    await w.kv.set(slotClaimKey('nightly:2026-06-06T02:30'), { slotId: 'nightly:2026-06-06T02:30', planId: 'nightly', slotAt: t('2026-06-06T00:30:00Z'), state: 'started', token: 'y', attempts: 1, claimedAt: 0 });
    w.setNow('2026-06-07T12:00:00Z');
    await w.tick();
    expect([...w.kv.data.keys()].filter((k) => k.startsWith('scheduler:slot:'))).toEqual([slotClaimKey('nightly:2026-06-06T02:30')]);
  });

  it('keeps claim keys inside the KVS key alphabet', () => {
    expect(slotClaimKey('plan/ä b:2026-06-07T02:30')).toBe('scheduler:slot:plan#2f#c3#a4#20b:2026-06-07T02:30');
    expect(slotClaimKey('a#b:x')).not.toBe(slotClaimKey('a/b:x'));
  });

  it('every five minutes across the Berlin spring-forward weekend starts each nightly slot exactly once', async () => {
    const w = world([plan({ content: 'combined' })]);
    w.setNow('2026-03-27T12:00:00Z');
    await w.tick();
    for (let now = t('2026-03-27T12:05:00Z'); now <= t('2026-03-30T12:00:00Z'); now += 5 * MINUTE) {
      w.setNow(now);
      await w.tick();
      if (now % (60 * MINUTE) === 0) await w.tick(); // duplicate deliveries now and then
    }
    expect(w.starts.map((s) => [s.request.slotId, s.request.kind])).toEqual([
      ['nightly:2026-03-28T02:30', 'basic'], ['nightly:2026-03-29T02:30', 'extended'], ['nightly:2026-03-30T02:30', 'basic'],
    ]);
  });
});
