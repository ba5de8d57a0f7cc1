import { applyRetention } from '../../src/core/retention';
import { epochMs, readGolden } from './golden-file';

/**
 * Checks the ported cases against what restic itself keeps (its golden files policy_keep_snapshots_1/13/15/39),
 * written here as literal timestamps so that regenerating our golden files can never hide a departure from restic.
 */
const resticSnapshots = readGolden('restic-daily3-weekly4.json').snapshots.map((s) => ({ ...s, startedAt: epochMs(s.startedAt) }));
const context = { timeZone: 'UTC', now: epochMs('2016-02-01T00:00:00Z') };
const gfs = (counts: Partial<Record<'last' | 'daily' | 'weekly' | 'monthly' | 'yearly', number>>) => ({
  mode: 'gfs' as const, last: 0, daily: 0, weekly: 0, monthly: 0, yearly: 0, ...counts,
});
const keptTimes = (policy: Parameters<typeof applyRetention>[1]) => {
  const byId = new Map(resticSnapshots.map((s) => [s.id, new Date(s.startedAt).toISOString()]));
  return applyRetention(resticSnapshots, policy, context).keep.map((k) => byId.get(k.id));
};

describe("restic's forget semantics", () => {
  it('{daily 3, weekly 4} keeps 4 snapshots: a snapshot uses a slot in every counter it matches', () => {
    const result = applyRetention(resticSnapshots, gfs({ daily: 3, weekly: 4 }), context);
    expect(keptTimes(gfs({ daily: 3, weekly: 4 }))).toEqual([
      '2016-01-18T12:02:03.000Z', '2016-01-12T21:08:03.000Z', '2016-01-09T21:02:03.000Z', '2016-01-03T07:02:03.000Z',
    ]);
    expect(result.keep.map((k) => k.reasons.map((r) => r.split(' ')[0]))).toEqual([
      ['daily', 'weekly'], ['daily', 'weekly'], ['daily', 'weekly'], ['weekly'],
    ]);
  });

  it('{daily 2, weekly 2, monthly 6} skips months without snapshots (Dec 2015 and Dec 2014 – Jul 2015)', () => {
    expect(keptTimes(gfs({ daily: 2, weekly: 2, monthly: 6 }))).toEqual([
      '2016-01-18T12:02:03.000Z', '2016-01-12T21:08:03.000Z', '2015-11-22T10:20:30.000Z', '2015-10-22T10:20:30.000Z',
      '2015-09-22T10:20:30.000Z', '2015-08-22T10:20:30.000Z', '2014-11-22T10:20:30.000Z',
    ]);
  });

  it('-1 is unlimited, and the oldest snapshot is kept while unlimited counters remain', () => {
    const result = applyRetention(resticSnapshots, gfs({ daily: 3, weekly: 2, monthly: -1, yearly: -1 }), context);
    expect(result.keep).toHaveLength(12);
    const oldest = result.keep[result.keep.length - 1];
    expect(new Date(resticSnapshots.find((s) => s.id === oldest.id)!.startedAt).toISOString()).toBe('2014-08-08T10:20:30.000Z');
    expect(oldest.reasons.map((r) => r.split(':')[0])).toEqual(['oldest monthly snapshot', 'oldest yearly snapshot']);
  });

  it('keep last 10 keeps exactly the 10 newest', () => {
    const times = keptTimes({ mode: 'count', keep: 10 });
    expect(times).toHaveLength(10);
    expect(times[9]).toBe('2016-01-04T12:30:03.000Z');
  });

  it('keeps the oldest snapshot when slots are left over (daily 200 over 103 snapshots on fewer days)', () => {
    const result = applyRetention(resticSnapshots, gfs({ daily: 200 }), context);
    const oldestId = [...resticSnapshots].sort((a, b) => a.startedAt - b.startedAt)[0].id;
    expect(result.keep.map((k) => k.id)).toContain(oldestId);
  });
});
