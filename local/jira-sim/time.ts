/**
 * Time zones as Jira applies them: response timestamps carry the caller's UTC offset
 * (`2026-01-15T13:00:00.000+0100`), and JQL date literals are read as wall-clock time in the caller's
 * profile time zone, at minute precision. Offsets are looked up through Intl and cached per zone and hour.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();
const offsetCache = new Map<string, number>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

function exactOffset(timeZone: string, ms: number): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(ms))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const asUtc = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60_000);
}

const DAY = 86_400_000;
const QUARTER = 900_000;

/**
 * The zone's offset from UTC at instant `ms`, in minutes (e.g. +60 for Berlin in winter). Intl is slow, so offsets
 * are cached per zone and UTC day when the day has one offset (almost every day), else per quarter hour
 * (offsets change on quarter hours at most once a day).
 */
export function offsetMinutes(timeZone: string, ms: number): number {
  if (timeZone === 'UTC') return 0;
  const day = Math.floor(ms / DAY);
  const dayKey = `${timeZone}|d${day}`;
  let cached = offsetCache.get(dayKey);
  if (cached === undefined) {
    const start = exactOffset(timeZone, day * DAY);
    const end = exactOffset(timeZone, day * DAY + DAY - 1000);
    cached = start === end ? start : NaN; // NaN marks a day with a transition
    if (offsetCache.size > 200_000) offsetCache.clear();
    offsetCache.set(dayKey, cached);
  }
  if (!Number.isNaN(cached)) return cached;
  const quarter = Math.floor(ms / QUARTER);
  const quarterKey = `${timeZone}|q${quarter}`;
  let offset = offsetCache.get(quarterKey);
  if (offset === undefined) {
    offset = exactOffset(timeZone, quarter * QUARTER);
    offsetCache.set(quarterKey, offset);
  }
  return offset;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Jira's timestamp format, in the given zone: `yyyy-MM-ddTHH:mm:ss.SSS±hhmm`. */
export function formatJiraTime(ms: number, timeZone: string): string {
  const offset = offsetMinutes(timeZone, ms);
  const local = new Date(ms + offset * 60_000);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}.${pad(local.getUTCMilliseconds(), 3)}${sign}${pad(Math.floor(abs / 60))}${pad(abs % 60)}`;
}

/** The instant at which the wall clock in `timeZone` shows the given local time (DST gaps resolve forwards). */
export function wallClockToUtc(timeZone: string, year: number, month: number, day: number, hour: number, minute: number): number {
  const naive = Date.UTC(year, month - 1, day, hour, minute);
  // Two passes converge for every real zone, including across DST switches.
  let guess = naive - offsetMinutes(timeZone, naive) * 60_000;
  guess = naive - offsetMinutes(timeZone, guess) * 60_000;
  return guess;
}

/** Parses a Jira timestamp (`2026-01-15T13:00:00.000+0100`, or any ISO-8601) to epoch ms, or NaN. */
export function parseJiraTime(text: string): number {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?)([+-])(\d{2}):?(\d{2})$/.exec(text);
  if (m) return Date.parse(`${m[1]}${m[2]}${m[3]}:${m[4]}`);
  return Date.parse(text);
}
