import type { RetentionPolicy } from '../plans/plan';

/**
 * The policy in one or two sentences for the plan form and the control panel, including the counting rule we chose
 * (restic's: one backup can fill a daily, a weekly and a monthly slot at once), so admins are not surprised that
 * {7 daily, 4 weekly} keeps fewer than 11 backups.
 */
export function describeRetentionPolicy(policy: RetentionPolicy): string {
  const incomplete = 'Partial and failed backups do not count and are removed once a newer complete backup exists.';
  switch (policy.mode) {
    case 'forever':
      return 'Keeps every backup. Failed backups are removed once a newer complete backup exists.';
    case 'count':
      return `Keeps the newest ${plural(policy.keep, 'complete backup')}. ${incomplete}`;
    case 'gfs': {
      const parts = [
        part(policy.last, (n) => `the newest ${plural(n, 'backup')}`, 'every backup'),
        part(policy.daily, (n) => `one a day for the last ${plural(n, 'day')} with backups`, 'one for every day'),
        part(policy.weekly, (n) => `one a week for ${plural(n, 'week')}`, 'one for every week'),
        part(policy.monthly, (n) => `one a month for ${plural(n, 'month')}`, 'one for every month'),
        part(policy.yearly, (n) => `one a year for ${plural(n, 'year')}`, 'one for every year'),
      ].filter((p): p is string => p !== undefined);
      return `Keeps ${list(parts)}, on the site's calendar. One backup can count for several of these at once, so fewer backups may be kept than the numbers add up to. ${incomplete}`;
    }
  }
}

function part(count: number, limited: (n: number) => string, unlimited: string): string | undefined {
  if (count === 0) return undefined;
  return count === -1 ? unlimited : limited(count);
}

function plural(n: number, noun: string): string {
  return n === 1 ? `1 ${noun}` : `${n} ${noun}s`;
}

function list(items: string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
