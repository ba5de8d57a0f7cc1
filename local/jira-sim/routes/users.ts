/** Users, groups, the caller (myself, mypermissions) and server info. Users and groups cost 2 points each. */
import { badRequest, notFound } from '../http/errors';
import type { Route } from '../http/types';
import { pageBean, pageRequest } from '../render/paging';
import { userBean, userDetails } from '../render/users';
import { formatJiraTime } from '../time';
import { requireAdmin } from './lookup';

/** The global permissions the app asks about, and who holds them. */
const GLOBAL_PERMISSIONS: Record<string, { id: string; name: string; description: string; adminOnly: boolean }> = {
  ADMINISTER: { id: '0', name: 'Administer Jira', description: 'Create and administer projects, issue types, fields, workflows and schemes.', adminOnly: true },
  SYSTEM_ADMIN: { id: '44', name: 'Jira System Administrators', description: 'Ability to perform most administration functions.', adminOnly: true },
  BROWSE_PROJECTS: { id: '10', name: 'Browse Projects', description: 'Ability to browse projects and the issues within them.', adminOnly: false },
  CREATE_ISSUES: { id: '11', name: 'Create Issues', description: 'Ability to create issues.', adminOnly: false },
  BULK_CHANGE: { id: '33', name: 'Make bulk changes', description: 'Ability to modify a collection of issues at once.', adminOnly: false },
  USER_PICKER: { id: '27', name: 'Browse users and groups', description: 'View and select users or groups.', adminOnly: false },
};

export const userRoutes: Route[] = [
  {
    method: 'GET', template: '/rest/api/3/myself', spec: 'platform',
    handler: (ctx) => ({ status: 200, json: userBean(ctx.site, ctx.caller.accountId, { groups: true }), objects: 0 }),
  },
  {
    method: 'GET', template: '/rest/api/3/mypermissions', spec: 'platform',
    handler: (ctx) => {
      const requested = (ctx.query.get('permissions') ?? '').split(',').map((p) => p.trim()).filter((p) => p.length > 0);
      if (requested.length === 0) throw badRequest("The 'permissions' parameter is required, e.g. permissions=ADMINISTER,BROWSE_PROJECTS.");
      const permissions: Record<string, unknown> = {};
      for (const key of requested) {
        const p = GLOBAL_PERMISSIONS[key];
        if (!p) throw badRequest(`Unrecognized permission key '${key}'.`);
        permissions[key] = { id: p.id, key, name: p.name, type: p.adminOnly ? 'GLOBAL' : 'PROJECT', description: p.description, havePermission: p.adminOnly ? ctx.caller.admin : true };
      }
      return { status: 200, json: { permissions }, objects: 0 };
    },
  },
  {
    method: 'GET', template: '/rest/api/3/serverInfo', spec: 'platform',
    handler: (ctx) => ({
      status: 200,
      json: {
        baseUrl: ctx.baseUrl, displayUrl: ctx.baseUrl, version: '1001.0.0-SNAPSHOT', versionNumbers: [1001, 0, 0], deploymentType: 'Cloud',
        buildNumber: 100000, buildDate: '2026-01-01T00:00:00.000+0000', serverTime: formatJiraTime(ctx.now, ctx.timeZone),
        scmInfo: 'jira-simulator', serverTitle: ctx.site.serverTitle, serverTimeZone: 'Etc/UTC',
      },
      objects: 0,
    }),
  },
  {
    method: 'GET', template: '/rest/api/3/users/search', spec: 'platform', pointsPerObject: 2,
    handler: (ctx) => {
      const page = pageRequest(ctx, 50, 1000);
      // A plain array: clients page until it comes back empty. Inactive and app users are included.
      const values = ctx.site.users.slice(page.startAt, page.startAt + page.maxResults).map((u) => userBean(ctx.site, u.accountId));
      return { status: 200, json: values, objects: values.length };
    },
  },
  {
    method: 'GET', template: '/rest/api/3/group/bulk', spec: 'platform', pointsPerObject: 2,
    handler: (ctx) => {
      const page = pageRequest(ctx, 50, 50);
      const ids = ctx.query.getAll('groupId');
      const names = ctx.query.getAll('groupName');
      const all = ctx.site.groups.filter((g) => (ids.length === 0 && names.length === 0) || ids.includes(g.groupId) || names.includes(g.name));
      const bean = pageBean(ctx, all, page);
      return { status: 200, json: { ...bean, values: bean.values.map((g) => ({ name: g.name, groupId: g.groupId })) }, objects: bean.values.length };
    },
  },
  {
    method: 'GET', template: '/rest/api/3/group/member', spec: 'platform', pointsPerObject: 2,
    handler: (ctx) => {
      requireAdmin(ctx);
      const groupId = ctx.query.get('groupId');
      const groupName = ctx.query.get('groupname');
      if (!groupId && !groupName) throw badRequest('Give groupId (or groupname) of the group whose members to list.');
      const group = ctx.site.groups.find((g) => g.groupId === groupId || g.name === groupName);
      if (!group) throw notFound(`Group '${groupId ?? groupName}' does not exist.`);
      const includeInactive = ctx.query.get('includeInactiveUsers') === 'true';
      const page = pageRequest(ctx, 50, 50);
      const members = group.memberIds.filter((id) => includeInactive || ctx.site.users.find((u) => u.accountId === id)?.active !== false);
      const bean = pageBean(ctx, members, page);
      return { status: 200, json: { ...bean, values: bean.values.map((id) => userDetails(ctx.site, id)) }, objects: bean.values.length };
    },
  },
];
