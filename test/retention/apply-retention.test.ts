import type { RetentionPolicy } from '../../src/core/plans/plan';
import { applyRetention, RetentionPolicyError, type RetentionSnapshot } from '../../src/core/retention';

const DAY = 86_400_000;
const START = Date.parse('2026-01-01T03:00:00Z');
const context = { timeZone: 'Europe/Berlin', now: Date.parse('2026-12-31T00:00:00Z') };
const daily = (count: number, state: RetentionSnapshot['state'] = 'complete'): RetentionSnapshot[] =>
  Array.from({ length: count }, (_, i) => ({ id: `s${String(i).padStart(3, '0')}`, startedAt: START + i * DAY, state }));
const gfs = (counts: Partial<Record<'last' | 'daily' | 'weekly' | 'monthly' | 'yearly', number>>): RetentionPolicy => ({
  mode: 'gfs', last: 0, daily: 0, weekly: 0, monthly: 0, yearly: 0, ...counts,
});

describe('applyRetention rules', () => {
  it('refuses an empty GFS policy instead of deleting everything', () => {
    expect(() => applyRetention(daily(3), gfs({}), context)).toThrow(RetentionPolicyError);
    expect(() => applyRetention(daily(3), gfs({}), context)).toThrow(/keeps nothing/);
  });

  it.each([
    [{ mode: 'count', keep: 0 }, /at least 1/],
    [{ mode: 'count', keep: 2.5 }, /whole number/],
    [gfs({ daily: -2 }), /-1 for unlimited/],
    [{ mode: 'weekly' }, /Unknown retention mode "weekly"/],
  ])('refuses the invalid policy %j', (policy, message) => {
    expect(() => applyRetention(daily(3), policy as RetentionPolicy, context)).toThrow(message);
  });

  it('refuses an unknown time zone with a message naming it', () => {
    expect(() => applyRetention(daily(1), { mode: 'forever' }, { ...context, timeZone: 'Mars/Olympus' })).toThrow(/Unknown time zone "Mars\/Olympus"/);
  });

  it('refuses duplicate ids and bad states', () => {
    expect(() => applyRetention([...daily(2), daily(1)[0]], { mode: 'forever' }, context)).toThrow(/appears twice/);
    expect(() => applyRetention([{ id: 'x', startedAt: START, state: 'done' as never }], { mode: 'forever' }, context)).toThrow(/state "done"/);
  });

  it('keep N keeps exactly the N newest complete snapshots', () => {
    const result = applyRetention(daily(15), { mode: 'count', keep: 10 }, context);
    expect(result.keep.map((k) => k.id)).toEqual(daily(15).slice(5).map((s) => s.id).reverse());
    expect(result.remove.every((r) => r.reason.includes('not among the newest 10'))).toBe(true);
  });

  it('does not depend on the order of the input', () => {
    const snapshots = daily(40);
    const shuffled = [...snapshots].sort((a, b) => (a.id.charCodeAt(3) % 7) - (b.id.charCodeAt(3) % 7) || b.startedAt - a.startedAt);
    const policy = gfs({ daily: 5, weekly: 3, monthly: 2 });
    expect(applyRetention(shuffled, policy, context)).toEqual(applyRetention(snapshots, policy, context));
  });

  it('never removes the newest complete snapshot, whatever the policy (deterministic random cases)', () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const states: RetentionSnapshot['state'][] = ['complete', 'partial', 'failed'];
    for (let run = 0; run < 300; run++) {
      const snapshots = Array.from({ length: 1 + Math.floor(random() * 30) }, (_, i) => ({
        id: `r${run}-${i}`,
        startedAt: START + Math.floor(random() * 400) * DAY + Math.floor(random() * DAY),
        state: states[Math.floor(random() * 3)],
      }));
      const counts = { last: 0, daily: 0, weekly: 0, monthly: 0, yearly: 0 };
      for (const key of Object.keys(counts) as (keyof typeof counts)[]) counts[key] = Math.floor(random() * 4) - 1;
      if (Object.values(counts).every((v) => v === 0)) counts.daily = 1;
      const now = START + 500 * DAY;
      const result = applyRetention(snapshots, { mode: 'gfs', ...counts }, { timeZone: 'America/New_York', now });
      const newestComplete = snapshots.filter((s) => s.state === 'complete').sort((a, b) => b.startedAt - a.startedAt)[0];
      if (newestComplete) expect(result.keep.map((k) => k.id)).toContain(newestComplete.id);
      expect(result.keep.length + result.remove.length).toBe(snapshots.length);
      for (const kept of result.keep) expect(kept.reasons.length).toBeGreaterThan(0);
    }
  });

  it('partial and failed snapshots use no slot and go once a newer complete snapshot exists', () => {
    const snapshots: RetentionSnapshot[] = [
      { id: 'old-partial', startedAt: START, state: 'partial' },
      { id: 'complete', startedAt: START + DAY, state: 'complete' },
      { id: 'new-failed', startedAt: START + 2 * DAY, state: 'failed' },
    ];
    const result = applyRetention(snapshots, { mode: 'count', keep: 1 }, context);
    expect(result.keep.map((k) => k.id)).toEqual(['new-failed', 'complete']);
    expect(result.remove).toEqual([{ id: 'old-partial', reason: expect.stringContaining('superseded by the complete snapshot complete') }]);
  });

  it('keeps everything when there is no complete snapshot yet', () => {
    const result = applyRetention(daily(3, 'partial'), { mode: 'count', keep: 1 }, context);
    expect(result.remove).toEqual([]);
    expect(result.keep).toHaveLength(3);
  });

  it('ignores future snapshots: they are kept and use no slot', () => {
    const snapshots = [...daily(3), { id: 'future', startedAt: context.now + DAY, state: 'complete' as const }];
    const result = applyRetention(snapshots, { mode: 'count', keep: 2 }, context);
    expect(result.keep.map((k) => k.id)).toEqual(['future', 's002', 's001']);
  });

  it('an empty list gives an empty result', () => {
    expect(applyRetention([], gfs({ daily: 7 }), context)).toEqual({ keep: [], remove: [] });
  });
});
