/** Configuration writes for restore: projects, components, versions, project properties; sprints and rank. */
import { JiraHttpError, badRequest, notFound } from '../http/errors';
import type { Route, RouteContext } from '../http/types';
import type { SimProject, SimSprint } from '../model';
import { GLOBAL_ISSUE_TYPES, RANK_FIELD, SPRINT_FIELD } from '../generate/configuration';
import { deleteProject, nextId, touch } from '../mutations';
import { projectBean, versionBean } from '../render/config';
import { userBean } from '../render/users';
import { sprintBean } from './agile';
import { findIssue, projectOr404, requireAdmin } from './lookup';

type Body = Record<string, unknown>;

function bodyObject(ctx: RouteContext): Body {
  const body = ctx.json<unknown>();
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw badRequest('The request body must be a JSON object.');
  return body as Body;
}

function projectFromBody(ctx: RouteContext, body: Body): SimProject {
  const ref = body.projectId ?? body.project;
  const project = ref === undefined ? undefined : ctx.site.projects.find((p) => String(p.id) === String(ref) || p.key === ref);
  if (!project) throw badRequest('', { project: `Project '${String(ref)}' does not exist: give projectId or project (key).` });
  return project;
}

function sprintOr404(ctx: RouteContext): SimSprint {
  const sprint = ctx.site.sprints.find((s) => String(s.id) === ctx.params.sprintId);
  if (!sprint) throw notFound(`Sprint ${ctx.params.sprintId} does not exist or you do not have permission to view it.`);
  return sprint;
}

function parseDate(value: unknown, field: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = typeof value === 'string' ? Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')) : NaN;
  if (Number.isNaN(ms)) throw badRequest('', { [field]: `'${String(value)}' is not a valid date (ISO 8601).` });
  return ms;
}

/** Applies a sprint update; enforces Jira's state machine (future → active → closed; closed sprints are frozen). */
function updateSprint(ctx: RouteContext, sprint: SimSprint, body: Body): void {
  if (sprint.state === 'closed') throw badRequest('A closed sprint cannot be edited.');
  if (typeof body.name === 'string') sprint.name = body.name;
  if (typeof body.goal === 'string') sprint.goal = body.goal;
  const start = parseDate(body.startDate, 'startDate');
  const end = parseDate(body.endDate, 'endDate');
  if (start !== undefined) sprint.startDate = start;
  if (end !== undefined) sprint.endDate = end;
  if (body.state !== undefined && body.state !== sprint.state) {
    if (sprint.state === 'future' && body.state === 'active') {
      if (sprint.startDate === undefined || sprint.endDate === undefined) throw badRequest('', { startDate: 'A sprint needs a start and end date to be started.' });
      sprint.state = 'active';
    } else if (sprint.state === 'active' && body.state === 'closed') {
      sprint.state = 'closed';
      sprint.completeDate = ctx.now;
    } else {
      throw badRequest(`A sprint cannot go from '${sprint.state}' to '${String(body.state)}'.`);
    }
  }
}

export const configWriteRoutes: Route[] = [
  {
    method: 'POST', template: '/rest/api/3/project', spec: 'platform',
    handler: (ctx) => {
      requireAdmin(ctx);
      const body = bodyObject(ctx);
      const errors: Record<string, string> = {};
      const key = body.key;
      if (typeof key !== 'string' || !/^[A-Z][A-Z0-9]{1,9}$/.test(key)) errors.projectKey = 'Project keys must start with an uppercase letter, followed by one or more uppercase alphanumeric characters, at most 10 in all.';
      else if (ctx.site.projects.some((p) => p.key === key)) errors.projectKey = `Project '${ctx.site.projects.find((p) => p.key === key)!.name}' uses this project key.`;
      if (typeof body.name !== 'string' || body.name.trim() === '') errors.projectName = 'You must specify a valid project name.';
      else if (ctx.site.projects.some((p) => p.name === body.name)) errors.projectName = 'A project with that name already exists.';
      const lead = typeof body.leadAccountId === 'string' ? body.leadAccountId : ctx.caller.accountId;
      if (!ctx.site.users.some((u) => u.accountId === lead)) errors.projectLead = 'The project lead does not exist.';
      const type = body.projectTypeKey ?? 'software';
      if (!['software', 'business', 'service_desk'].includes(String(type))) errors.projectTypeKey = `Unknown projectTypeKey '${String(type)}'.`;
      if (Object.keys(errors).length > 0) throw new JiraHttpError(400, [], errors);
      const id = nextId(ctx.site, 'project');
      ctx.site.projects.push({
        id, key: key as string, name: body.name as string, description: typeof body.description === 'string' ? body.description : '',
        style: 'classic', projectTypeKey: type as SimProject['projectTypeKey'], leadAccountId: lead,
        issueTypeIds: GLOBAL_ISSUE_TYPES.map((t) => t.id), components: [], versions: [],
        roles: [
          { id: 10002, name: 'Administrators', description: 'Project administrators', actorAccountIds: [lead], actorGroupIds: [] },
          { id: 10003, name: 'Developers', description: 'Developers', actorAccountIds: [], actorGroupIds: [] },
          { id: 10004, name: 'Viewers', description: 'Read-only', actorAccountIds: [], actorGroupIds: [] },
        ],
        properties: new Map(), nextIssueNumber: 1,
      });
      return { status: 201, json: { self: `${ctx.baseUrl}/rest/api/3/project/${id}`, id, key }, objects: 1 };
    },
  },
  {
    method: 'DELETE', template: '/rest/api/3/project/{projectIdOrKey}', spec: 'platform',
    handler: (ctx) => {
      requireAdmin(ctx);
      const project = projectOr404(ctx.site, ctx.params.projectIdOrKey);
      // enableUndo (default true) moves the project to the trash for 60 days; false deletes it for good.
      if (ctx.query.get('enableUndo') === 'false') deleteProject(ctx.site, project.id, ctx.now);
      else {
        project.trashedAt = ctx.now;
        project.trashedBy = ctx.caller.accountId;
      }
      return { status: 204 };
    },
  },
  {
    method: 'POST', template: '/rest/api/3/project/{projectIdOrKey}/restore', spec: 'platform',
    handler: (ctx) => {
      requireAdmin(ctx);
      const project = projectOr404(ctx.site, ctx.params.projectIdOrKey, { trashed: true });
      if (ctx.now - project.trashedAt! > 60 * 86_400_000) throw notFound(`Project '${project.key}' was in the trash for more than 60 days and is gone.`);
      delete project.trashedAt;
      delete project.trashedBy;
      const bean = projectBean(ctx.site, project, new Set(['description', 'lead', 'issuetypes']));
      return { status: 200, json: bean, objects: 1 };
    },
  },
  {
    method: 'PUT', template: '/rest/api/3/project/{projectIdOrKey}/properties/{propertyKey}', spec: 'platform',
    handler: (ctx) => {
      const project = projectOr404(ctx.site, ctx.params.projectIdOrKey);
      const value = ctx.json<unknown>();
      if (value === undefined) throw badRequest('The property value must be JSON.');
      const existed = project.properties.has(ctx.params.propertyKey);
      project.properties.set(ctx.params.propertyKey, value);
      return { status: existed ? 200 : 201 };
    },
  },
  {
    method: 'POST', template: '/rest/api/3/component', spec: 'platform',
    handler: (ctx) => {
      const body = bodyObject(ctx);
      const project = projectFromBody(ctx, body);
      if (typeof body.name !== 'string' || body.name.trim() === '') throw badRequest('', { name: 'The component name must not be empty.' });
      if (project.components.some((c) => c.name === body.name)) throw badRequest('', { name: `A component with the name ${body.name} already exists in this project.` });
      const lead = typeof body.leadAccountId === 'string' ? body.leadAccountId : undefined;
      const assigneeType = (body.assigneeType as SimProject['components'][number]['assigneeType'] | undefined) ?? 'PROJECT_DEFAULT';
      const component = { id: nextId(ctx.site, 'component'), name: body.name, description: typeof body.description === 'string' ? body.description : '', leadAccountId: lead, assigneeType };
      project.components.push(component);
      return {
        status: 201,
        json: {
          self: `${ctx.baseUrl}/rest/api/3/component/${component.id}`, id: String(component.id), name: component.name, description: component.description,
          ...(lead ? { lead: userBean(ctx.site, lead) } : {}), assigneeType, realAssigneeType: assigneeType, isAssigneeTypeValid: true, project: project.key, projectId: project.id,
        },
        objects: 1,
      };
    },
  },
  {
    method: 'POST', template: '/rest/api/3/version', spec: 'platform',
    handler: (ctx) => {
      const body = bodyObject(ctx);
      const project = projectFromBody(ctx, body);
      if (typeof body.name !== 'string' || body.name.trim() === '') throw badRequest('', { name: 'You must specify a valid version name.' });
      if (project.versions.some((v) => v.name === body.name)) throw badRequest('', { name: 'A version with this name already exists in this project.' });
      const date = (value: unknown, field: string) => {
        if (value === undefined) return undefined;
        if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) throw badRequest('', { [field]: "Dates must be 'yyyy-MM-dd'." });
        return value;
      };
      const version = {
        id: nextId(ctx.site, 'version'), name: body.name, description: typeof body.description === 'string' ? body.description : '',
        archived: body.archived === true, released: body.released === true, startDate: date(body.startDate, 'startDate'), releaseDate: date(body.releaseDate, 'releaseDate'),
      };
      project.versions.push(version);
      return { status: 201, json: versionBean(ctx.site, project, version), objects: 1 };
    },
  },
  {
    method: 'POST', template: '/rest/agile/1.0/sprint', spec: 'agile',
    handler: (ctx) => {
      const body = bodyObject(ctx);
      const board = ctx.site.boards.find((b) => String(b.id) === String(body.originBoardId));
      if (!board) throw badRequest('', { originBoardId: `Board ${String(body.originBoardId)} does not exist.` });
      if (board.type !== 'scrum') throw badRequest('', { originBoardId: 'Sprints can only be created on scrum boards.' });
      if (typeof body.name !== 'string' || body.name.trim() === '') throw badRequest('', { name: 'The sprint name must not be empty.' });
      const sprint: SimSprint = {
        id: nextId(ctx.site, 'sprint'), boardId: board.id, name: body.name, state: 'future', goal: typeof body.goal === 'string' ? body.goal : '',
        startDate: parseDate(body.startDate, 'startDate'), endDate: parseDate(body.endDate, 'endDate'), createdDate: ctx.now,
      };
      ctx.site.sprints.push(sprint);
      return { status: 201, json: sprintBean(ctx, sprint), objects: 1 };
    },
  },
  {
    method: 'POST', template: '/rest/agile/1.0/sprint/{sprintId}', spec: 'agile',
    handler: (ctx) => {
      const sprint = sprintOr404(ctx);
      updateSprint(ctx, sprint, bodyObject(ctx));
      return { status: 200, json: sprintBean(ctx, sprint), objects: 1 };
    },
  },
  {
    method: 'PUT', template: '/rest/agile/1.0/sprint/{sprintId}', spec: 'agile',
    handler: (ctx) => {
      const sprint = sprintOr404(ctx);
      updateSprint(ctx, sprint, bodyObject(ctx));
      return { status: 200, json: sprintBean(ctx, sprint), objects: 1 };
    },
  },
  {
    method: 'DELETE', template: '/rest/agile/1.0/sprint/{sprintId}', spec: 'agile',
    handler: (ctx) => {
      const sprint = sprintOr404(ctx);
      ctx.site.sprints = ctx.site.sprints.filter((s) => s !== sprint);
      for (const issue of ctx.site.issues.values()) {
        const ids = issue.custom[SPRINT_FIELD] as number[] | undefined;
        if (ids?.includes(sprint.id)) issue.custom[SPRINT_FIELD] = ids.filter((id) => id !== sprint.id);
      }
      return { status: 204 };
    },
  },
  {
    method: 'POST', template: '/rest/agile/1.0/sprint/{sprintId}/issue', spec: 'agile',
    handler: (ctx) => {
      const sprint = sprintOr404(ctx);
      if (sprint.state === 'closed') throw badRequest('Issues can only be moved to open or active sprints.');
      const body = bodyObject(ctx);
      if (!Array.isArray(body.issues) || body.issues.length === 0) throw badRequest("'issues' must list issue ids or keys.");
      if (body.issues.length > 50) throw badRequest(`At most 50 issues can be moved per request, got ${body.issues.length}.`);
      const issues = body.issues.map((ref) => findIssue(ctx.site, String(ref)));
      if (issues.some((i) => !i)) throw badRequest('One or more issues do not exist.');
      for (const issue of issues) {
        const current = ((issue!.custom[SPRINT_FIELD] as number[] | undefined) ?? []).filter((id) => ctx.site.sprints.find((s) => s.id === id)?.state === 'closed');
        // An issue is in at most one open sprint; closed sprints stay in its history.
        issue!.custom[SPRINT_FIELD] = [...current, sprint.id];
        touch(issue!, ctx.now);
      }
      return { status: 204 };
    },
  },
  {
    method: 'PUT', template: '/rest/agile/1.0/issue/rank', spec: 'agile',
    handler: (ctx) => {
      const body = bodyObject(ctx);
      if (!Array.isArray(body.issues) || body.issues.length === 0) throw badRequest("'issues' must list the issues to rank.");
      if (body.issues.length > 50) throw badRequest(`At most 50 issues can be ranked per request, got ${body.issues.length}.`);
      const anchorRef = body.rankBeforeIssue ?? body.rankAfterIssue;
      const anchor = anchorRef === undefined ? undefined : findIssue(ctx.site, String(anchorRef));
      if (!anchor) throw badRequest('Give rankBeforeIssue or rankAfterIssue naming an existing issue.');
      const before = body.rankBeforeIssue !== undefined;
      const entries: Array<{ issueId: number; status: number; errors?: unknown }> = [];
      const moving: number[] = [];
      for (const ref of body.issues as unknown[]) {
        const issue = findIssue(ctx.site, String(ref));
        if (!issue || issue.id === anchor.id) entries.push({ issueId: Number(ref) || 0, status: issue ? 400 : 404, errors: { errorMessages: [issue ? 'An issue cannot be ranked relative to itself.' : `Issue '${String(ref)}' does not exist.`] } });
        else { moving.push(issue.id); entries.push({ issueId: issue.id, status: 200 }); }
      }
      // Rebuild the global order and renumber every rank: simple, always consistent, and ranks stay sortable strings.
      const rankOf = (id: number) => String(ctx.site.issues.get(id)!.custom[RANK_FIELD] ?? '');
      const order = [...ctx.site.issues.keys()].filter((id) => !moving.includes(id)).sort((a, b) => (rankOf(a) < rankOf(b) ? -1 : rankOf(a) > rankOf(b) ? 1 : a - b));
      const at = order.indexOf(anchor.id) + (before ? 0 : 1);
      order.splice(at, 0, ...moving);
      order.forEach((id, index) => { ctx.site.issues.get(id)!.custom[RANK_FIELD] = `0|i${index.toString(36).padStart(6, '0')}:`; });
      for (const id of moving) touch(ctx.site.issues.get(id)!, ctx.now);
      const failed = entries.some((e) => e.status !== 200);
      return failed ? { status: 207, json: { entries } } : { status: 204 };
    },
  },
];
