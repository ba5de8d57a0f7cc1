import { addDays, offsetMinutesAt, resolveLocalTime, zonedDateTime, type CivilDate } from '../../src/core/schedule';

/**
 * Every wall time on every transition day of 2026 in zones with unusual changes (30-minute DST, midnight switches,
 * a 45-minute offset, southern hemisphere) maps to an instant with the promised property:
 * exact/first-of-repeated → the instant reads as that wall time (and for a repeated time, it is the earlier one);
 * after-gap → the instant reads at or after the wall time and one minute earlier reads before it (the gap's end).
 */
const ZONES = [
  'Europe/Berlin', 'Europe/London', 'America/New_York', 'America/Havana', 'America/Santiago', 'Asia/Jerusalem',
  'Australia/Sydney', 'Australia/Lord_Howe', 'Pacific/Chatham', 'Pacific/Auckland', 'Asia/Beirut', 'Africa/Casablanca',
  'America/Godthab', 'Antarctica/Troll', 'Asia/Gaza', 'America/St_Johns',
];
const MINUTE = 60_000;
const wallAsUtc = (ms: number, zone: string) => { const w = zonedDateTime(ms, zone); return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute); };

function transitionDays(zone: string): CivilDate[] {
  const days: CivilDate[] = [];
  let date: CivilDate = { year: 2026, month: 1, day: 1 };
  for (let i = 0; i < 365; i++, date = addDays(date, 1)) {
    const start = Date.UTC(date.year, date.month - 1, date.day) - 14 * 3_600_000;
    if (offsetMinutesAt(start, zone) !== offsetMinutesAt(start + 40 * 3_600_000, zone)) days.push(date);
  }
  return days;
}

describe.each(ZONES)('wall times on the 2026 transition days of %s', (zone) => {
  it('resolve to instants with the promised property', () => {
    const days = transitionDays(zone);
    expect(days.length).toBeGreaterThanOrEqual(2); // the zone really changes twice in 2026
    for (const date of days) {
      for (let minutes = 0; minutes < 24 * 60; minutes += 15) {
        const hour = Math.floor(minutes / 60), minute = minutes % 60;
        const wall = Date.UTC(date.year, date.month - 1, date.day, hour, minute);
        const { at, resolution } = resolveLocalTime(zone, date, hour, minute);
        const where = `${zone} ${JSON.stringify(date)} ${hour}:${minute}`;
        if (resolution === 'after-gap') {
          expect({ where, ok: wallAsUtc(at, zone) >= wall && wallAsUtc(at - MINUTE, zone) < wall }).toEqual({ where, ok: true });
        } else {
          expect({ where, reads: wallAsUtc(at, zone) }).toEqual({ where, reads: wall });
          // Nothing earlier reads the same wall time: the first occurrence was chosen.
          expect({ where, earlier: wallAsUtc(at - 3_600_000, zone) === wall || wallAsUtc(at - 1_800_000, zone) === wall }).toEqual({ where, earlier: false });
        }
      }
    }
  });
});
