import type { Weekday } from '../plans/plan';

/**
 * A calendar date with no time zone attached (what a wall calendar in the site's zone shows).
 * Arithmetic goes through Date.UTC so it is exact and never touches the wall clock.
 */
export interface CivilDate {
  year: number;
  /** 1–12 */
  month: number;
  /** 1–31 */
  day: number;
}

const DAY_MS = 86_400_000;
/** Index = JavaScript's getUTCDay() (0 = Sunday). */
const WEEKDAY_BY_JS_DAY: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

export function civilDateOrdinal(date: CivilDate): number {
  return Date.UTC(date.year, date.month - 1, date.day) / DAY_MS;
}

export function civilDateFromOrdinal(ordinal: number): CivilDate {
  const d = new Date(ordinal * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

export function addDays(date: CivilDate, days: number): CivilDate {
  return civilDateFromOrdinal(civilDateOrdinal(date) + days);
}

export function weekdayOf(date: CivilDate): Weekday {
  return WEEKDAY_BY_JS_DAY[new Date(civilDateOrdinal(date) * DAY_MS).getUTCDay()];
}

/** `YYYY-MM-DD`. */
export function formatCivilDate(date: CivilDate): string {
  return `${String(date.year).padStart(4, '0')}-${pad2(date.month)}-${pad2(date.day)}`;
}

/**
 * ISO 8601 week: weeks run Monday–Sunday and week 1 is the week holding the year's first Thursday,
 * so 1–3 January can belong to the previous ISO year (week 52/53) and 29–31 December to the next (week 1).
 */
export function isoWeekOf(date: CivilDate): { isoYear: number; week: number } {
  const ordinal = civilDateOrdinal(date);
  const isoDayOfWeek = ((new Date(ordinal * DAY_MS).getUTCDay() + 6) % 7) + 1; // Monday = 1 … Sunday = 7
  const thursday = civilDateFromOrdinal(ordinal + 4 - isoDayOfWeek);
  const firstOfThatYear = civilDateOrdinal({ year: thursday.year, month: 1, day: 1 });
  const week = Math.floor((civilDateOrdinal(thursday) - firstOfThatYear) / 7) + 1;
  return { isoYear: thursday.year, week };
}

export function pad2(n: number): string {
  return String(n).padStart(2, '0');
}
