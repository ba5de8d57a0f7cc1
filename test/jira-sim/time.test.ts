/** Time zone offsets and Jira's timestamp format, across DST switches and odd offsets. */
import { formatJiraTime, offsetMinutes, parseJiraTime, wallClockToUtc } from '../../local/jira-sim/time';

test.each([
  ['Europe/Berlin', Date.UTC(2026, 2, 29, 0, 59), '2026-03-29T01:59:00.000+0100'],
  ['Europe/Berlin', Date.UTC(2026, 2, 29, 1, 0), '2026-03-29T03:00:00.000+0200'],
  ['Australia/Lord_Howe', Date.UTC(2026, 3, 4, 14, 59), '2026-04-05T01:59:00.000+1100'],
  ['Australia/Lord_Howe', Date.UTC(2026, 3, 4, 15, 0), '2026-04-05T01:30:00.000+1030'],
  ['Pacific/Chatham', Date.UTC(2026, 0, 1), '2026-01-01T13:45:00.000+1345'],
  ['America/Los_Angeles', Date.UTC(2026, 0, 1, 7, 59, 59, 123), '2025-12-31T23:59:59.123-0800'],
  ['UTC', Date.UTC(2026, 0, 1), '2026-01-01T00:00:00.000+0000'],
])('%s at %d → %s', (zone, ms, text) => {
  expect(formatJiraTime(ms, zone)).toBe(text);
  expect(parseJiraTime(text)).toBe(ms);
});

test('the same instant read twice (cached) gives the same offset', () => {
  const ms = Date.UTC(2026, 9, 25, 0, 30); // Berlin switches back at 01:00 UTC that day
  expect(offsetMinutes('Europe/Berlin', ms)).toBe(120);
  expect(offsetMinutes('Europe/Berlin', ms + 3_600_000)).toBe(60);
  expect(offsetMinutes('Europe/Berlin', ms)).toBe(120);
});

test('wall-clock times resolve in the zone, including just after a DST jump', () => {
  expect(wallClockToUtc('Europe/Berlin', 2026, 3, 29, 3, 30)).toBe(Date.UTC(2026, 2, 29, 1, 30));
  expect(wallClockToUtc('Asia/Kolkata', 2026, 1, 1, 5, 30)).toBe(Date.UTC(2026, 0, 1));
});
