import { describeRetentionPolicy } from '../../src/core/retention';

describe('describeRetentionPolicy', () => {
  it.each([
    [{ mode: 'count', keep: 10 }, 'Keeps the newest 10 complete backups. Partial and failed backups do not count and are removed once a newer complete backup exists.'],
    [{ mode: 'count', keep: 1 }, 'Keeps the newest 1 complete backup. Partial and failed backups do not count and are removed once a newer complete backup exists.'],
    [{ mode: 'forever' }, 'Keeps every backup. Failed backups are removed once a newer complete backup exists.'],
    [{ mode: 'gfs', last: 0, daily: 7, weekly: 4, monthly: 12, yearly: -1 },
      "Keeps one a day for the last 7 days with backups, one a week for 4 weeks, one a month for 12 months and one for every year, on the site's calendar. One backup can count for several of these at once, so fewer backups may be kept than the numbers add up to. Partial and failed backups do not count and are removed once a newer complete backup exists."],
    [{ mode: 'gfs', last: 1, daily: 0, weekly: 0, monthly: 0, yearly: 0 },
      "Keeps the newest 1 backup, on the site's calendar. One backup can count for several of these at once, so fewer backups may be kept than the numbers add up to. Partial and failed backups do not count and are removed once a newer complete backup exists."],
  ] as const)('%j', (policy, text) => {
    expect(describeRetentionPolicy(policy)).toBe(text);
  });
});
