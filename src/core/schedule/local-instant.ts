import type { CivilDate } from './civil-date';
import { offsetMinutesAt, zonedDateTime } from './time-zone';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/**
 * How a wall-clock time mapped onto a real instant:
 * - `exact`: the time exists once that day;
 * - `after-gap`: the time was skipped by a spring-forward change, so the instant is the first one after the gap
 *   (02:30 in Berlin on the last Sunday of March runs at 03:00 CEST);
 * - `first-of-repeated`: the time happened twice (fall back), and the first occurrence is used, so it runs once.
 */
export type LocalTimeResolution = 'exact' | 'after-gap' | 'first-of-repeated';

export interface ResolvedLocalTime {
  at: number;
  resolution: LocalTimeResolution;
}

/** The instant at which the wall clock in `timeZone` reads `date` `hour`:`minute`. */
export function resolveLocalTime(timeZone: string, date: CivilDate, hour: number, minute: number): ResolvedLocalTime {
  const wallAsUtc = Date.UTC(date.year, date.month - 1, date.day, hour, minute);
  // Offsets a day either side of the wall time bracket any change happening that day (zones change at most once a day).
  const offsetBefore = offsetMinutesAt(wallAsUtc - DAY_MS, timeZone);
  const offsetAfter = offsetMinutesAt(wallAsUtc + DAY_MS, timeZone);
  const matches = [...new Set([wallAsUtc - offsetBefore * MINUTE_MS, wallAsUtc - offsetAfter * MINUTE_MS])]
    .filter((candidate) => readsAs(candidate, timeZone, wallAsUtc))
    .sort((a, b) => a - b);
  if (matches.length === 2) return { at: matches[0], resolution: 'first-of-repeated' };
  if (matches.length === 1) return { at: matches[0], resolution: 'exact' };
  if (offsetBefore === offsetAfter) {
    throw new Error(`Could not place ${hour}:${minute} on ${date.year}-${date.month}-${date.day} in ${timeZone}: the zone data looks inconsistent.`);
  }
  return { at: firstInstantAtOrAfterWallTime(timeZone, wallAsUtc, offsetBefore, offsetAfter), resolution: 'after-gap' };
}

function readsAs(candidate: number, timeZone: string, wallAsUtc: number): boolean {
  const wall = zonedDateTime(candidate, timeZone);
  return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second) === wallAsUtc;
}

/**
 * The wall time falls in a gap: find the first minute whose wall reading is at or past it (the end of the gap).
 * Local wall time only moves forward across a gap, so a binary search over minutes is exact.
 */
function firstInstantAtOrAfterWallTime(timeZone: string, wallAsUtc: number, offsetBefore: number, offsetAfter: number): number {
  let low = (wallAsUtc - Math.max(offsetBefore, offsetAfter) * MINUTE_MS) / MINUTE_MS; // reads before the wall time
  let high = (wallAsUtc - Math.min(offsetBefore, offsetAfter) * MINUTE_MS) / MINUTE_MS; // reads after it
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    const reading = middle * MINUTE_MS + offsetMinutesAt(middle * MINUTE_MS, timeZone) * MINUTE_MS;
    if (reading >= wallAsUtc) high = middle;
    else low = middle;
  }
  return high * MINUTE_MS;
}
