/** User and group representations (UserDetails, User, GroupName). Unknown account ids render as a former user. */
import type { AccountId, SimUser, SiteData } from '../model';

export function avatarUrls(accountId: string): Record<'16x16' | '24x24' | '32x32' | '48x48', string> {
  const base = `https://avatar-management.example.invalid/${encodeURIComponent(accountId)}`;
  return { '16x16': `${base}/16`, '24x24': `${base}/24`, '32x32': `${base}/32`, '48x48': `${base}/48` };
}

export function findUser(site: SiteData, accountId: AccountId): SimUser | undefined {
  return site.users.find((u) => u.accountId === accountId);
}

function formerUser(accountId: AccountId): SimUser {
  return { accountId, displayName: 'Former user', active: false, timeZone: 'UTC', accountType: 'unknown', admin: false };
}

/** The UserDetails shape embedded in issues, comments, worklogs. */
export function userDetails(site: SiteData, accountId: AccountId) {
  const u = findUser(site, accountId) ?? formerUser(accountId);
  return {
    self: `${site.baseUrl}/rest/api/3/user?accountId=${encodeURIComponent(u.accountId)}`,
    accountId: u.accountId,
    ...(u.emailAddress ? { emailAddress: u.emailAddress } : {}),
    avatarUrls: avatarUrls(u.accountId),
    displayName: u.displayName,
    active: u.active,
    timeZone: u.timeZone,
    accountType: u.accountType,
  };
}

/** The full User shape (myself, users/search, project lead). */
export function userBean(site: SiteData, accountId: AccountId, options: { groups?: boolean } = {}) {
  const u = findUser(site, accountId) ?? formerUser(accountId);
  const groups = site.groups.filter((g) => g.memberIds.includes(u.accountId));
  return {
    ...userDetails(site, accountId),
    locale: 'en_US',
    ...(options.groups ? { groups: { size: groups.length, items: groups.map((g) => ({ name: g.name, groupId: g.groupId, self: `${site.baseUrl}/rest/api/3/group?groupId=${g.groupId}` })) } } : {}),
  };
}
