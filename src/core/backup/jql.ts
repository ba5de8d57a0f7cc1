/**
 * JQL the engine sends. Date literals have minute precision and are read in the searching user's time zone
 * (for asApp calls: the app user's, from /myself), so a UTC timestamp must be converted, not just formatted.
 */

/** `yyyy/MM/dd HH:mm` of `epochMs` in `timeZone` (an IANA name such as `Europe/Berlin`). */
export function jqlDateTime(epochMs: number, timeZone: string): string {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).formatToParts(new Date(epochMs));
  } catch {
    throw new Error(`The app user's time zone "${timeZone}" is not a time zone this runtime knows; set a valid time zone on the app user's profile.`);
  }
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}/${get('month')}/${get('day')} ${get('hour')}:${get('minute')}`;
}

export function projectJql(projectId: string, updatedSince?: string): string {
  const since = updatedSince ? ` AND updated >= "${updatedSince}"` : '';
  // ORDER BY id: a stable order, so a resumed page token and a re-read page see the same issues.
  return `project = ${projectId}${since} ORDER BY id ASC`;
}

export function projectCountJql(projectId: string, updatedSince?: string): string {
  return updatedSince ? `project = ${projectId} AND updated >= "${updatedSince}"` : `project = ${projectId}`;
}
