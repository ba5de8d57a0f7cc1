/**
 * JQL date literals: `yyyy/MM/dd HH:mm`, `yyyy-MM-dd HH:mm`, `yyyy/MM/dd`, `yyyy-MM-dd` (wall-clock time in the
 * caller's time zone, minute precision — no seconds), relative periods like `-95m`, `-1d`, `-2w 3d`, and epoch ms.
 */
import { wallClockToUtc } from '../time';
import { JqlError } from './errors';

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

export function parseJqlDate(text: string, field: string, timeZone: string, now: number): number {
  const trimmed = text.trim();
  const absolute = /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})(?:\s+(\d{1,2}):(\d{2}))?$/.exec(trimmed);
  if (absolute) {
    const [, y, mo, d, h, mi] = absolute;
    return wallClockToUtc(timeZone, Number(y), Number(mo), Number(d), h === undefined ? 0 : Number(h), mi === undefined ? 0 : Number(mi));
  }
  const relative = /^([+-])?\s*((?:\d+\s*[wdhm]\s*)+)$/.exec(trimmed);
  if (relative) {
    let total = 0;
    for (const part of relative[2].matchAll(/(\d+)\s*([wdhm])/g)) total += Number(part[1]) * UNIT_MS[part[2]];
    return relative[1] === '-' ? now - total : now + total;
  }
  if (/^\d{10,}$/.test(trimmed)) return Number(trimmed);
  throw new JqlError(
    `Date value '${text}' for field '${field}' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.`,
  );
}
