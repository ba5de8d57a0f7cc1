/** Project and global configuration reads. */
import { badRequest, notFound } from '../http/errors';
import type { Route, RouteContext } from '../http/types';
import type { SimSharePermission, SiteData } from '../model';
import {
  componentWithIssueCount, issueTypeDetails, priorityBean, projectBean, resolutionBean, versionBean,
} from '../render/config';
import { allFields } from '../render/fields';
import { pageBean, pageRequest } from '../render/paging';
import { userBean } from '../render/users';
import { expandSet, projectOr404, requireAdmin } from './lookup';
import { formatJiraTime } from '../time';

const PROJECT = '/rest/api/3/project/{projectIdOrKey}';

function roleBean(ctx: RouteContext, projectId: number, role: SiteData['projects'][number]['roles'][number]) {
  return {
    self: `${ctx.baseUrl}/rest/api/3/project/${projectId}/role/${role.id}`,
    name: role.name,
    id: role.id,
    description: role.description,
    actors: [
      ...role.actorAccountIds.map((accountId, n) => {
        const user = userBean(ctx.site, accountId);
        return { id: 20000 + n, displayName: user.displayName, type: 'atlassian-user-role-actor' as const, actorUser: { accountId } };
      }),
      ...role.actorGroupIds.map((groupId, n) => {
        const group = ctx.site.groups.find((g) => g.groupId === groupId);
        return { id: 30000 + n, displayName: group?.name ?? groupId, type: 'atlassian-group-role-actor' as const, name: group?.name ?? groupId, actorGroup: { name: group?.name ?? groupId, displayName: group?.name ?? groupId, groupId } };
      }),
    ],
  };
}

function shareBean(ctx: RouteContext, p: SimSharePermission, n: number) {
  const project = p.projectId !== undefined ? ctx.site.projects.find((x) => x.id === p.projectId) : undefined;
  const group = p.groupId !== undefined ? ctx.site.groups.find((g) => g.groupId === p.groupId) : undefined;
  return {
    id: 10000 + n,
    type: p.type,
    ...(project ? { project: { id: String(project.id), key: project.key, name: project.name, self: `${ctx.baseUrl}/rest/api/3/project/${project.id}` } } : {}),
    ...(group ? { group: { name: group.name, groupId: group.groupId, self: `${ctx.baseUrl}/rest/api/3/group?groupId=${group.groupId}` } } : {}),
    ...(p.accountId ? { user: userBean(ctx.site, p.accountId) } : {}),
  };
}

function workflowBean(w: SiteData['workflows'][number], withTransitions: boolean) {
  return {
    id: w.id,
    name: w.name,
    description: w.description,
    scope: { type: 'GLOBAL' },
    isEditable: true,
    version: { id: `${w.id}-v1`, versionNumber: 1 },
    statuses: w.statusIds.map((id) => ({ statusReference: String(id), deprecated: false })),
    ...(withTransitions ? {
      transitions: w.transitions.map((t) => ({
        id: String(t.id),
        name: t.name,
        description: '',
        type: t.fromStatusIds.length === 0 ? 'GLOBAL' : 'DIRECTED',
        toStatusReference: String(t.toStatusId),
        links: t.fromStatusIds.map((from) => ({ fromStatusReference: String(from) })),
      })),
    } : {}),
  };
}

export const configRoutes: Route[] = [
  {
    method: 'GET', template: '/rest/api/3/project/search', spec: 'platform',
    handler: (ctx) => {
      const page = pageRequest(ctx, 50, 100);
      const expand = expandSet(ctx.query.get('expand'));
      const keys = ctx.query.getAll('keys').flatMap((k) => k.split(','));
      // status=live (default), deleted (in the trash), archived (none in the simulator).
      const statuses = ctx.query.getAll('status').flatMap((s) => s.split(','));
      const wanted = new Set(statuses.length > 0 ? statuses : ['live']);
      const all = ctx.site.projects.filter((p) => (keys.length === 0 || keys.includes(p.key)) && wanted.has(p.trashedAt === undefined ? 'live' : 'deleted'));
      const bean = pageBean(ctx, all, page);
      return {
        status: 200,
        json: {
          ...bean,
          values: bean.values.map((p) => ({
            ...projectBean(ctx.site, p, expand),
            ...(p.trashedAt !== undefined ? {
              deleted: true,
              deletedDate: formatJiraTime(p.trashedAt, ctx.timeZone),
              retentionTillDate: formatJiraTime(p.trashedAt + 60 * 86_400_000, ctx.timeZone),
              ...(p.trashedBy ? { deletedBy: userBean(ctx.site, p.trashedBy) } : {}),
            } : {}),
          })),
        },
        objects: bean.values.length,
      };
    },
  },
  {
    method: 'GET', template: PROJECT, spec: 'platform',
    handler: (ctx) => {
      const project = projectOr404(ctx.site, ctx.params.projectIdOrKey);
      const expand = expandSet(ctx.query.get('expand') ?? 'description,lead,issueTypes');
      expand.add('description').add('lead').add('issuetypes');
      const bean = projectBean(ctx.site, project, expand);
      return {
        status: 200,
        json: {
          ...bean,
          components: project.components.map((c) => ({ self: `${ctx.baseUrl}/rest/api/3/component/${c.id}`, id: String(c.id), name: c.name, description: c.description })),
          versions: project.versions.map((v) => versionBean(ctx.site, project, v)),
          roles: Object.fromEntries(project.roles.map((r) => [r.name, `${ctx.baseUrl}/rest/api/3/project/${project.id}/role/${r.id}`])),
          assigneeType: 'UNASSIGNED',
        },
        objects: 1,
      };
    },
  },
  {
    method: 'GET', template: `${PROJECT}/component`, spec: 'platform',
    handler: (ctx) => {
      const project = projectOr404(ctx.site, ctx.params.projectIdOrKey);
      const page = pageRequest(ctx, 50, 50);
      const count = (componentId: number) => {
        let n = 0;
        for (const issue of ctx.site.issues.values()) if (issue.projectId === project.id && issue.componentIds.includes(componentId)) n++;
        return n;
      };
      const bean = pageBean(ctx, project.components, page);
      return { status: 200, json: { ...bean, values: bean.values.map((c) => componentWithIssueCount(ctx.site, project, c, count(c.id))) }, objects: bean.values.length };
    },
  },
  {
    method: 'GET', template: `${PROJECT}/version`, spec: 'platform',
    handler: (ctx) => {
      const project = projectOr404(ctx.site, ctx.params.projectIdOrKey);
      const page = pageRequest(ctx, 50, 50);
      const bean = pageBean(ctx, project.versions, page);
      return { status: 200, json: { ...bean, values: bean.values.map((v) => versionBean(ctx.site, project, v)) }, objects: bean.values.length };
    },
  },
  {
    method: 'GET', template: `${PROJECT}/versions`, spec: 'platform',
    handler: (ctx) => {
      const project = projectOr404(ctx.site, ctx.params.projectIdOrKey);
      return { status: 200, json: project.versions.map((v) => versionBean(ctx.site, project, v)), objects: project.versions.length };
    },
  },
  {
    method: 'GET', template: `${PROJECT}/role`, spec: 'platform',
    handler: (ctx) => {
      const project = projectOr404(ctx.site, ctx.params.projectIdOrKey);
      return { status: 200, json: Object.fromEntries(project.roles.map((r) => [r.name, `${ctx.baseUrl}/rest/api/3/project/${project.id}/role/${r.id}`])), objects: project.roles.length };
    },
  },
  {
    method: 'GET', template: `${PROJECT}/role/{id}`, spec: 'platform',
    handler: (ctx) => {
      const project = projectOr404(ctx.site, ctx.params.projectIdOrKey);
      const role = project.roles.find((r) => String(r.id) === ctx.params.id);
      if (!role) throw notFound(`No project role with id ${ctx.params.id} in ${project.key}.`);
      return { status: 200, json: roleBean(ctx, project.id, role), objects: 1 };
    },
  },
  {
    method: 'GET', template: `${PROJECT}/properties`, spec: 'platform',
    handler: (ctx) => {
      const project = projectOr404(ctx.site, ctx.params.projectIdOrKey);
      const keys = [...project.properties.keys()].map((key) => ({ self: `${ctx.baseUrl}/rest/api/3/project/${project.id}/properties/${encodeURIComponent(key)}`, key }));
      return { status: 200, json: { keys }, objects: keys.length };
    },
  },
  {
    method: 'GET', template: `${PROJECT}/properties/{propertyKey}`, spec: 'platform',
    handler: (ctx) => {
      const project = projectOr404(ctx.site, ctx.params.projectIdOrKey);
      const key = ctx.params.propertyKey;
      if (!project.properties.has(key)) throw notFound(`The property with key '${key}' does not exist.`);
      return { status: 200, json: { key, value: project.properties.get(key) }, objects: 1 };
    },
  },
  {
    method: 'GET', template: '/rest/api/3/issuetype', spec: 'platform',
    handler: (ctx) => ({ status: 200, json: ctx.site.issueTypes.map((t) => issueTypeDetails(ctx.site, t)), objects: ctx.site.issueTypes.length }),
  },
  {
    method: 'GET', template: '/rest/api/3/statuses/search', spec: 'platform',
    handler: (ctx) => {
      const page = pageRequest(ctx, 200, 200);
      const bean = pageBean(ctx, ctx.site.statuses, page);
      return {
        status: 200,
        json: { ...bean, values: bean.values.map((s) => ({ id: String(s.id), name: s.name, description: s.description, statusCategory: s.category, scope: { type: 'GLOBAL' } })) },
        objects: bean.values.length,
      };
    },
  },
  {
    method: 'GET', template: '/rest/api/3/workflows/search', spec: 'platform',
    handler: (ctx) => {
      requireAdmin(ctx);
      const page = pageRequest(ctx, 50, 200);
      const withTransitions = expandSet(ctx.query.get('expand')).has('values.transitions');
      const bean = pageBean(ctx, ctx.site.workflows, page);
      const statusIds = new Set(bean.values.flatMap((w) => w.statusIds));
      return {
        status: 200,
        json: {
          ...bean,
          values: bean.values.map((w) => workflowBean(w, withTransitions)),
          statuses: ctx.site.statuses.filter((s) => statusIds.has(s.id)).map((s) => ({
            id: String(s.id), name: s.name, description: s.description, statusCategory: s.category, statusReference: String(s.id), scope: { type: 'GLOBAL' },
          })),
        },
        objects: bean.values.length,
      };
    },
  },
  {
    method: 'GET', template: '/rest/api/3/workflowscheme', spec: 'platform',
    handler: (ctx) => {
      requireAdmin(ctx);
      const page = pageRequest(ctx, 50, 50);
      const bean = pageBean(ctx, ctx.site.workflowSchemes, page);
      return {
        status: 200,
        json: { ...bean, values: bean.values.map((s) => ({ id: s.id, name: s.name, description: s.description, defaultWorkflow: s.defaultWorkflow, issueTypeMappings: s.issueTypeMappings, self: `${ctx.baseUrl}/rest/api/3/workflowscheme/${s.id}` })) },
        objects: bean.values.length,
      };
    },
  },
  {
    method: 'GET', template: '/rest/api/3/field', spec: 'platform',
    handler: (ctx) => {
      const fields = allFields(ctx.site).map((f) => ({
        id: f.id,
        key: f.id,
        name: f.name,
        custom: f.custom,
        orderable: f.orderable,
        navigable: true,
        searchable: true,
        clauseNames: f.custom ? [f.id.replace('customfield_', 'cf[') + ']', f.name] : [f.id],
        schema: f.schema,
      }));
      return { status: 200, json: fields, objects: fields.length };
    },
  },
  {
    method: 'GET', template: '/rest/api/3/field/{fieldId}/context', spec: 'platform',
    handler: (ctx) => {
      requireAdmin(ctx);
      const field = ctx.site.customFields.find((f) => f.id === ctx.params.fieldId);
      if (!field) throw notFound(`The custom field was not found: ${ctx.params.fieldId}.`);
      const page = pageRequest(ctx, 50, 50);
      const bean = pageBean(ctx, [{ id: String(field.contextId), name: `Default Configuration Scheme for ${field.name}`, description: 'Default configuration scheme generated by Jira', isGlobalContext: true, isAnyIssueType: true }], page);
      return { status: 200, json: bean, objects: bean.values.length };
    },
  },
  {
    method: 'GET', template: '/rest/api/3/field/{fieldId}/context/{contextId}/option', spec: 'platform',
    handler: (ctx) => {
      requireAdmin(ctx);
      const field = ctx.site.customFields.find((f) => f.id === ctx.params.fieldId);
      if (!field) throw notFound(`The custom field was not found: ${ctx.params.fieldId}.`);
      if (String(field.contextId) !== ctx.params.contextId) throw notFound(`The context was not found: ${ctx.params.contextId}.`);
      if (field.kind !== 'select' && field.kind !== 'multiselect') throw badRequest(`The custom field ${field.id} does not support options.`);
      const page = pageRequest(ctx, 100, 100);
      const bean = pageBean(ctx, field.options.map((o) => ({ id: String(o.id), value: o.value, disabled: o.disabled })), page);
      return { status: 200, json: bean, objects: bean.values.length };
    },
  },
  {
    method: 'GET', template: '/rest/api/3/priority/search', spec: 'platform',
    handler: (ctx) => {
      const page = pageRequest(ctx, 50, 50);
      const bean = pageBean(ctx, ctx.site.priorities, page);
      return { status: 200, json: { ...bean, values: bean.values.map((p) => priorityBean(ctx.site, p)) }, objects: bean.values.length };
    },
  },
  {
    method: 'GET', template: '/rest/api/3/resolution/search', spec: 'platform',
    handler: (ctx) => {
      const page = pageRequest(ctx, 50, 50);
      const bean = pageBean(ctx, ctx.site.resolutions, page);
      return { status: 200, json: { ...bean, values: bean.values.map((r) => resolutionBean(ctx.site, r)) }, objects: bean.values.length };
    },
  },
  {
    method: 'GET', template: '/rest/api/3/issueLinkType', spec: 'platform',
    handler: (ctx) => ({
      status: 200,
      json: { issueLinkTypes: ctx.site.linkTypes.map((t) => ({ id: String(t.id), name: t.name, inward: t.inward, outward: t.outward, self: `${ctx.baseUrl}/rest/api/3/issueLinkType/${t.id}` })) },
      objects: ctx.site.linkTypes.length,
    }),
  },
  {
    method: 'GET', template: '/rest/api/3/filter/search', spec: 'platform',
    handler: (ctx) => {
      const page = pageRequest(ctx, 50, 100);
      const expand = expandSet(ctx.query.get('expand'));
      // Private filters of other users are visible only to admins who ask for overrideSharePermissions.
      const override = ctx.query.get('overrideSharePermissions') === 'true' && ctx.caller.admin;
      const all = ctx.site.filters.filter((f) => override || f.ownerId === ctx.caller.accountId || f.sharePermissions.length > 0);
      const bean = pageBean(ctx, all, page);
      return {
        status: 200,
        json: {
          ...bean,
          values: bean.values.map((f) => ({
            expand: 'description,owner,jql,viewUrl,searchUrl,favourite,favouritedCount,sharePermissions,editPermissions,isWritable,approximateLastUsed,subscriptions',
            self: `${ctx.baseUrl}/rest/api/3/filter/${f.id}`,
            id: String(f.id),
            name: f.name,
            description: f.description,
            ...(expand.has('owner') ? { owner: userBean(ctx.site, f.ownerId) } : {}),
            ...(expand.has('jql') ? { jql: f.jql } : {}),
            ...(expand.has('favourite') ? { favourite: f.favourite } : {}),
            ...(expand.has('sharepermissions') ? { sharePermissions: f.sharePermissions.map((p, n) => shareBean(ctx, p, n)) } : {}),
          })),
        },
        objects: bean.values.length,
      };
    },
  },
  {
    method: 'GET', template: '/rest/api/3/dashboard/search', spec: 'platform',
    handler: (ctx) => {
      const page = pageRequest(ctx, 50, 100);
      const expand = expandSet(ctx.query.get('expand'));
      // No admin override exists for dashboards: other users' private dashboards never show.
      const all = ctx.site.dashboards.filter((d) => d.ownerId === ctx.caller.accountId || d.sharePermissions.length > 0);
      const bean = pageBean(ctx, all, page);
      return {
        status: 200,
        json: {
          ...bean,
          values: bean.values.map((d) => ({
            id: String(d.id),
            name: d.name,
            description: d.description,
            self: `${ctx.baseUrl}/rest/api/3/dashboard/${d.id}`,
            view: `${ctx.baseUrl}/jira/dashboards/${d.id}`,
            isFavourite: false,
            systemDashboard: d.id === 10000,
            ...(expand.has('owner') ? { owner: { accountId: d.ownerId, displayName: userBean(ctx.site, d.ownerId).displayName, active: true } } : {}),
            ...(expand.has('sharepermissions') ? { sharePermissions: d.sharePermissions.map((p, n) => shareBean(ctx, p, n)) } : {}),
          })),
        },
        objects: bean.values.length,
      };
    },
  },
];

