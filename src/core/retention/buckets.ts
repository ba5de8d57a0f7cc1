import { isoWeekOf, pad2, type CivilDate } from '../schedule/civil-date';
import { zonedDateTime } from '../schedule/time-zone';
import type { GfsCounter } from './policy-check';

/**
 * The period a snapshot falls in for each GFS counter, as restic buckets them (YYYYMMDD, ISO year+week,
 * YYYYMM, YYYY) but read on the site's calendar instead of the snapshot's own UTC offset.
 * `key` compares periods; `label` names the period for the admin.
 */
export interface Period {
  key: string;
  label: string;
}

export type CalendarCounter = Exclude<GfsCounter, 'last'>;

export function periodOf(counter: CalendarCounter, epochMs: number, timeZone: string): Period {
  return periodOfLocal(counter, zonedDateTime(epochMs, timeZone));
}

/** The four periods of one snapshot from a single time-zone lookup (the lookup is the slow part). */
export function periodsOf(epochMs: number, timeZone: string): Record<CalendarCounter, Period> {
  const local = zonedDateTime(epochMs, timeZone);
  return {
    daily: periodOfLocal('daily', local),
    weekly: periodOfLocal('weekly', local),
    monthly: periodOfLocal('monthly', local),
    yearly: periodOfLocal('yearly', local),
  };
}

function periodOfLocal(counter: CalendarCounter, local: CivilDate): Period {
  switch (counter) {
    case 'daily': {
      const day = `${local.year}-${pad2(local.month)}-${pad2(local.day)}`;
      return { key: day, label: day };
    }
    case 'weekly': {
      const { isoYear, week } = isoWeekOf(local);
      const name = `${isoYear}-W${pad2(week)}`;
      return { key: name, label: `ISO week ${name}` };
    }
    case 'monthly': {
      const month = `${local.year}-${pad2(local.month)}`;
      return { key: month, label: month };
    }
    case 'yearly':
      return { key: String(local.year), label: String(local.year) };
  }
}

/** `YYYY-MM-DD HH:MM` on the site's clock, for messages. */
export function localStamp(epochMs: number, timeZone: string): string {
  const t = zonedDateTime(epochMs, timeZone);
  return `${t.year}-${pad2(t.month)}-${pad2(t.day)} ${pad2(t.hour)}:${pad2(t.minute)}`;
}
