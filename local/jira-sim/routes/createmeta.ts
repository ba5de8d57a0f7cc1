/**
 * Create metadata: which fields the create screen of a project + issue type offers. Team-managed projects leave
 * a few fields off their screen (environment, the "Deployed at" date-time field), so a restore meets the real
 * "not on the appropriate screen" refusal and must adapt. Create requests are checked against the same list.
 */
import { notFound } from '../http/errors';
import type { Route, RouteContext } from '../http/types';
import type { SimIssueType, SimProject, SiteData } from '../model';
import { issueTypeDetails, priorityBean, componentRef, versionBean } from '../render/config';
import { allFields, type FieldInfo } from '../render/fields';
import { pageRequest } from '../render/paging';
import { projectOr404 } from './lookup';

const NOT_ON_TEAM_SCREENS = new Set(['environment', 'customfield_10037']);
const NEVER_ON_CREATE = new Set(['status', 'resolution', 'resolutiondate', 'created', 'updated', 'creator', 'watches', 'votes', 'subtasks', 'comment', 'worklog', 'attachment', 'issuelinks', 'customfield_10019']);

export function createScreenFields(site: SiteData, project: SimProject, type: SimIssueType): FieldInfo[] {
  return allFields(site).filter((f) => !NEVER_ON_CREATE.has(f.id) && !(project.style === 'next-gen' && NOT_ON_TEAM_SCREENS.has(f.id)) && (f.id !== 'parent' || type.subtask || type.hierarchyLevel === 0));
}

function typeOr404(ctx: RouteContext, project: SimProject): SimIssueType {
  const type = project.issueTypeIds.includes(Number(ctx.params.issueTypeId)) ? ctx.site.issueTypes.find((t) => t.id === Number(ctx.params.issueTypeId)) : undefined;
  if (!type) throw notFound(`Issue type with id ${ctx.params.issueTypeId} is not in project ${project.key}.`);
  return type;
}

function fieldMeta(ctx: RouteContext, project: SimProject, type: SimIssueType, f: FieldInfo) {
  const site = ctx.site;
  const custom = site.customFields.find((c) => c.id === f.id);
  let allowedValues: unknown[] | undefined;
  if (f.id === 'priority') allowedValues = site.priorities.map((p) => priorityBean(site, p));
  if (f.id === 'components') allowedValues = project.components.map((c) => componentRef(site, c));
  if (f.id === 'fixVersions' || f.id === 'versions') allowedValues = project.versions.map((v) => versionBean(site, project, v));
  if (f.id === 'issuetype') allowedValues = [issueTypeDetails(site, type)];
  if (f.id === 'project') allowedValues = [{ self: `${site.baseUrl}/rest/api/3/project/${project.id}`, id: String(project.id), key: project.key, name: project.name }];
  if (custom && (custom.kind === 'select' || custom.kind === 'multiselect')) {
    allowedValues = custom.options.filter((o) => !o.disabled).map((o) => ({ self: `${site.baseUrl}/rest/api/3/customFieldOption/${o.id}`, value: o.value, id: String(o.id) }));
  }
  const required = f.id === 'summary' || f.id === 'issuetype' || f.id === 'project' || (f.id === 'parent' && type.subtask);
  return {
    fieldId: f.id,
    key: f.id,
    name: f.name,
    required,
    schema: f.schema,
    operations: f.id === 'labels' || f.id === 'components' || f.id.startsWith('customfield_') ? ['add', 'set', 'remove'] : ['set'],
    hasDefaultValue: f.id === 'priority',
    ...(allowedValues ? { allowedValues } : {}),
  };
}

export const createMetaRoutes: Route[] = [
  {
    method: 'GET', template: '/rest/api/3/issue/createmeta/{projectIdOrKey}/issuetypes', spec: 'platform',
    handler: (ctx) => {
      const project = projectOr404(ctx.site, ctx.params.projectIdOrKey);
      const page = pageRequest(ctx, 50, 200);
      const all = project.issueTypeIds.map((id) => ctx.site.issueTypes.find((t) => t.id === id)!);
      const values = all.slice(page.startAt, page.startAt + page.maxResults).map((t) => issueTypeDetails(ctx.site, t));
      return { status: 200, json: { maxResults: page.maxResults, startAt: page.startAt, total: all.length, issueTypes: values }, objects: values.length };
    },
  },
  {
    method: 'GET', template: '/rest/api/3/issue/createmeta/{projectIdOrKey}/issuetypes/{issueTypeId}', spec: 'platform',
    handler: (ctx) => {
      const project = projectOr404(ctx.site, ctx.params.projectIdOrKey);
      const type = typeOr404(ctx, project);
      const page = pageRequest(ctx, 50, 200);
      const all = createScreenFields(ctx.site, project, type);
      const values = all.slice(page.startAt, page.startAt + page.maxResults).map((f) => fieldMeta(ctx, project, type, f));
      return { status: 200, json: { maxResults: page.maxResults, startAt: page.startAt, total: all.length, fields: values }, objects: values.length };
    },
  },
];
