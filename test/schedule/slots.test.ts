import type { Weekday } from '../../src/core/plans/plan';
import { dueSlots, isoWeekOf, nextRun, nextRunAt } from '../../src/core/schedule';
import { plan } from './plan-fixture';

const t = (iso: string) => Date.parse(iso);
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

describe('nextRun across daylight-saving changes', () => {
  it.each([
    // zone, days, time, now, expected instant, expected slot id, resolution
    ['Europe/Berlin', 'daily', '02:30', '2026-03-28T12:00:00Z', '2026-03-29T01:00:00.000Z', 'nightly:2026-03-29T02:30', 'after-gap'],
    ['Europe/Berlin', 'daily', '02:30', '2026-03-29T01:00:00Z', '2026-03-30T00:30:00.000Z', 'nightly:2026-03-30T02:30', 'exact'],
    ['Europe/Berlin', 'daily', '02:30', '2026-10-24T12:00:00Z', '2026-10-25T00:30:00.000Z', 'nightly:2026-10-25T02:30', 'first-of-repeated'],
    // After the first 02:30 of the repeated hour, the next run is tomorrow, not the second 02:30 an hour later.
    ['Europe/Berlin', 'daily', '02:30', '2026-10-25T00:30:00Z', '2026-10-26T01:30:00.000Z', 'nightly:2026-10-26T02:30', 'exact'],
    ['Europe/Berlin', ['mon', 'wed'], '09:00', '2026-03-28T12:00:00Z', '2026-03-30T07:00:00.000Z', 'nightly:2026-03-30T09:00', 'exact'],
    ['America/New_York', 'daily', '02:15', '2026-03-07T06:00:00Z', '2026-03-07T07:15:00.000Z', 'nightly:2026-03-07T02:15', 'exact'],
    ['America/New_York', 'daily', '02:15', '2026-03-07T08:00:00Z', '2026-03-08T07:00:00.000Z', 'nightly:2026-03-08T02:15', 'after-gap'],
    ['America/New_York', 'daily', '01:30', '2026-10-31T12:00:00Z', '2026-11-01T05:30:00.000Z', 'nightly:2026-11-01T01:30', 'first-of-repeated'],
    ['America/New_York', 'daily', '01:30', '2026-11-01T05:30:00Z', '2026-11-02T06:30:00.000Z', 'nightly:2026-11-02T01:30', 'exact'],
    ['Australia/Sydney', 'daily', '02:30', '2026-10-03T12:00:00Z', '2026-10-03T16:00:00.000Z', 'nightly:2026-10-04T02:30', 'after-gap'],
    ['Australia/Sydney', 'daily', '02:30', '2026-04-04T12:00:00Z', '2026-04-04T15:30:00.000Z', 'nightly:2026-04-05T02:30', 'first-of-repeated'],
    ['Australia/Sydney', ['sun'], '23:00', '2026-04-05T13:30:00Z', '2026-04-12T13:00:00.000Z', 'nightly:2026-04-12T23:00', 'exact'],
    ['UTC', 'daily', '00:00', '2026-01-01T00:00:00Z', '2026-01-02T00:00:00.000Z', 'nightly:2026-01-02T00:00', 'exact'],
  ] as const)('%s %j at %s, now %s → %s', (zone, days, time, now, expectedAt, expectedSlotId, resolution) => {
    const next = nextRun(plan({ schedule: { days: days as 'daily' | Weekday[], time } }), zone, t(now));
    expect(iso(next?.at)).toBe(expectedAt);
    expect(next?.slotId).toBe(expectedSlotId);
    expect(next?.resolution).toBe(resolution);
  });

  it('has no next run for a disabled plan', () => {
    expect(nextRun(plan({ enabled: false }), 'UTC', t('2026-01-01T00:00:00Z'))).toBeUndefined();
  });

  it('refuses an unknown time zone with a clear message', () => {
    expect(() => nextRun(plan(), 'Europe/Atlantis', 0)).toThrow(/Unknown time zone "Europe\/Atlantis"/);
  });
});

describe('dueSlots', () => {
  it('returns a slot whose time passed inside the window (lastCheckedAt, now]', () => {
    const slots = dueSlots(plan(), 'Europe/Berlin', t('2026-03-30T00:29:00Z'), t('2026-03-30T00:34:00Z'));
    expect(slots.map((s) => [s.slotId, iso(s.at)])).toEqual([['nightly:2026-03-30T02:30', '2026-03-30T00:30:00.000Z']]);
    expect(dueSlots(plan(), 'Europe/Berlin', t('2026-03-30T00:30:00Z'), t('2026-03-30T00:35:00Z'))).toEqual([]);
  });

  it('runs a skipped local time once, at the end of the gap', () => {
    const slots = dueSlots(plan(), 'Europe/Berlin', t('2026-03-28T23:00:00Z'), t('2026-03-29T03:00:00Z'));
    expect(slots.map((s) => [s.slotId, iso(s.at), s.resolution])).toEqual([['nightly:2026-03-29T02:30', '2026-03-29T01:00:00.000Z', 'after-gap']]);
  });

  it('runs a repeated local time once, at its first occurrence', () => {
    const slots = dueSlots(plan(), 'Europe/Berlin', t('2026-10-24T22:00:00Z'), t('2026-10-25T03:00:00Z'));
    expect(slots.map((s) => iso(s.at))).toEqual(['2026-10-25T00:30:00.000Z']);
  });

  it.each([
    // Windows run from local noon to local noon, so the expected local dates are plain to read.
    ['Europe/Berlin', '2026-03-27T11:00:00Z', '2026-04-01T10:00:00Z', ['03-28', '03-29', '03-30', '03-31', '04-01']],
    ['Europe/Berlin', '2026-10-23T10:00:00Z', '2026-10-28T11:00:00Z', ['10-24', '10-25', '10-26', '10-27', '10-28']],
    ['America/New_York', '2026-03-06T17:00:00Z', '2026-03-11T16:00:00Z', ['03-07', '03-08', '03-09', '03-10', '03-11']],
    ['America/New_York', '2026-10-30T16:00:00Z', '2026-11-04T17:00:00Z', ['10-31', '11-01', '11-02', '11-03', '11-04']],
    ['Australia/Sydney', '2026-10-01T02:00:00Z', '2026-10-06T01:00:00Z', ['10-02', '10-03', '10-04', '10-05', '10-06']],
    ['Australia/Sydney', '2026-04-02T01:00:00Z', '2026-04-07T02:00:00Z', ['04-03', '04-04', '04-05', '04-06', '04-07']],
  ])('five-minute ticks through the DST change in %s (%s → %s) start each local day exactly once', (zone, from, to, dates) => {
    for (const time of ['01:30', '02:00', '02:30', '03:00']) {
      const seen: string[] = [];
      for (let tick = t(from); tick < t(to); tick += 300_000) {
        seen.push(...dueSlots(plan({ schedule: { days: 'daily', time } }), zone, tick, tick + 300_000).map((s) => s.slotId));
      }
      expect(seen).toEqual(dates.map((date) => `nightly:2026-${date}T${time}`));
    }
  });

  it('takes only the chosen weekdays', () => {
    const slots = dueSlots(plan({ schedule: { days: ['mon', 'fri'], time: '18:00' } }), 'UTC', t('2026-06-01T00:00:00Z'), t('2026-06-15T00:00:00Z'));
    expect(slots.map((s) => s.localDate)).toEqual(['2026-06-01', '2026-06-05', '2026-06-08', '2026-06-12']);
    expect(slots.map((s) => s.weekday)).toEqual(['mon', 'fri', 'mon', 'fri']);
  });

  it('runs a combined plan as extended on its extended weekday (default Sunday) and basic otherwise', () => {
    const week = [t('2026-06-01T00:00:00Z'), t('2026-06-08T00:00:00Z')] as const;
    const kinds = (p: ReturnType<typeof plan>) => dueSlots(p, 'UTC', ...week).map((s) => `${s.weekday}:${s.kind}`);
    expect(kinds(plan({ content: 'combined' }))).toEqual(['mon:basic', 'tue:basic', 'wed:basic', 'thu:basic', 'fri:basic', 'sat:basic', 'sun:extended']);
    expect(kinds(plan({ content: 'combined', extendedWeekday: 'wed' }))).toContain('wed:extended');
    expect(kinds(plan({ content: 'combined', extendedWeekday: 'wed' }))).toContain('sun:basic');
    expect(new Set(kinds(plan({ content: 'extended' })).map((k) => k.split(':')[1]))).toEqual(new Set(['extended']));
  });

  it('reads the weekday on the site calendar: Monday 08:00 in Auckland is Sunday 20:00 UTC', () => {
    const slots = dueSlots(plan({ content: 'combined', schedule: { days: ['mon'], time: '08:00' } }), 'Pacific/Auckland',
      t('2026-06-14T00:00:00Z'), t('2026-06-15T00:00:00Z'));
    expect(slots.map((s) => [s.localDate, s.weekday, s.kind, iso(s.at)])).toEqual([['2026-06-15', 'mon', 'basic', '2026-06-14T20:00:00.000Z']]);
  });

  it('has nothing for a disabled plan or an empty window, and refuses a window of more than 400 days', () => {
    expect(dueSlots(plan({ enabled: false }), 'UTC', 0, t('2026-01-02T00:00:00Z') - t('2026-01-01T00:00:00Z'))).toEqual([]);
    expect(dueSlots(plan(), 'UTC', 1000, 1000)).toEqual([]);
    expect(() => dueSlots(plan(), 'UTC', 0, t('2026-01-01T00:00:00Z'))).toThrow(/clamp/);
  });
});

describe('ISO weeks', () => {
  it.each([
    [2020, 12, 31, 2020, 53], [2021, 1, 3, 2020, 53], [2021, 1, 4, 2021, 1], [2019, 12, 30, 2020, 1], [2026, 3, 29, 2026, 13], [2027, 1, 1, 2026, 53],
  ])('%i-%i-%i is ISO %i-W%i', (year, month, day, isoYear, week) => {
    expect(isoWeekOf({ year, month, day })).toEqual({ isoYear, week });
  });
});

describe('nextRunAt', () => {
  it('gives the instant of the next slot, or undefined for a disabled plan', () => {
    expect(nextRunAt(plan(), t('2026-03-28T12:00:00Z'), 'Europe/Berlin')).toBe(t('2026-03-29T01:00:00Z'));
    expect(nextRunAt(plan({ enabled: false }), t('2026-03-28T12:00:00Z'), 'Europe/Berlin')).toBeUndefined();
  });
});
