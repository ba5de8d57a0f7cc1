import { checkTimeZone, isValidTimeZone, offsetMinutesAt, zonedDateTime } from '../../src/core/schedule';

describe('time zone readings', () => {
  it.each([
    ['2026-03-29T01:00:00Z', 'Europe/Berlin', { year: 2026, month: 3, day: 29, hour: 3, minute: 0, second: 0 }, 120],
    ['2026-03-29T00:59:59Z', 'Europe/Berlin', { year: 2026, month: 3, day: 29, hour: 1, minute: 59, second: 59 }, 60],
    ['2026-06-14T13:00:00Z', 'Pacific/Auckland', { year: 2026, month: 6, day: 15, hour: 1, minute: 0, second: 0 }, 720],
    ['2026-11-01T06:30:00Z', 'America/New_York', { year: 2026, month: 11, day: 1, hour: 1, minute: 30, second: 0 }, -300],
    ['2026-01-01T00:00:00Z', 'Asia/Kathmandu', { year: 2026, month: 1, day: 1, hour: 5, minute: 45, second: 0 }, 345],
    ['0999-12-31T23:00:00Z', 'UTC', { year: 999, month: 12, day: 31, hour: 23, minute: 0, second: 0 }, 0],
  ])('%s in %s', (instant, zone, expected, offset) => {
    const ms = Date.parse(instant.startsWith('0999') ? '0999-12-31T23:00:00.000Z' : instant);
    expect(zonedDateTime(ms, zone)).toEqual(expected);
    expect(offsetMinutesAt(ms, zone)).toBe(offset);
  });

  it('knows valid zone names and explains an unknown one', () => {
    expect(isValidTimeZone('Australia/Sydney')).toBe(true);
    expect(isValidTimeZone('GMT+25')).toBe(false);
    expect(() => checkTimeZone('Berlin')).toThrow('Unknown time zone "Berlin". Use an IANA zone name such as "Europe/Berlin" or "UTC"');
  });
});
