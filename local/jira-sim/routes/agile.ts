/** Jira Software reads: boards, board configuration, sprints, sprint issues. */
import { badRequest, notFound } from '../http/errors';
import type { Route, RouteContext } from '../http/types';
import type { SimSprint } from '../model';
import { RANK_FIELD, SPRINT_FIELD } from '../generate/configuration';
import { selectFields } from '../render/fields';
import { issueBean } from '../render/issue';
import { listParam, pageRequest } from '../render/paging';
import { expandSet, isVisible } from './lookup';

/** Agile pages: `{ maxResults, startAt, total, isLast, values }`. */
function agilePage<T>(all: T[], startAt: number, maxResults: number) {
  const values = all.slice(startAt, startAt + maxResults);
  return { maxResults, startAt, total: all.length, isLast: startAt + values.length >= all.length, values };
}

export function sprintBean(ctx: RouteContext, s: SimSprint) {
  return {
    id: s.id,
    self: `${ctx.baseUrl}/rest/agile/1.0/sprint/${s.id}`,
    state: s.state,
    name: s.name,
    ...(s.startDate !== undefined ? { startDate: new Date(s.startDate).toISOString() } : {}),
    ...(s.endDate !== undefined ? { endDate: new Date(s.endDate).toISOString() } : {}),
    ...(s.completeDate !== undefined ? { completeDate: new Date(s.completeDate).toISOString() } : {}),
    createdDate: new Date(s.createdDate).toISOString(),
    originBoardId: s.boardId,
    goal: s.goal,
  };
}

function boardOr404(ctx: RouteContext) {
  const board = ctx.site.boards.find((b) => String(b.id) === ctx.params.boardId);
  if (!board) throw notFound(`The requested board cannot be viewed because it either does not exist or you do not have permission to view it.`);
  return board;
}

export const agileRoutes: Route[] = [
  {
    method: 'GET', template: '/rest/agile/1.0/board', spec: 'agile',
    handler: (ctx) => {
      const page = pageRequest(ctx, 50, 50);
      const type = ctx.query.get('type');
      const projectKeyOrId = ctx.query.get('projectKeyOrId');
      const project = projectKeyOrId ? ctx.site.projects.find((p) => p.key === projectKeyOrId || String(p.id) === projectKeyOrId) : undefined;
      const all = ctx.site.boards.filter((b) => (!type || type.split(',').includes(b.type)) && (!projectKeyOrId || b.projectId === project?.id));
      const bean = agilePage(all, page.startAt, page.maxResults);
      return {
        status: 200,
        json: {
          ...bean,
          values: bean.values.map((b) => {
            const p = ctx.site.projects.find((x) => x.id === b.projectId);
            return {
              id: b.id, self: `${ctx.baseUrl}/rest/agile/1.0/board/${b.id}`, name: b.name, type: b.type,
              location: p ? { projectId: p.id, projectKey: p.key, projectName: p.name, projectTypeKey: p.projectTypeKey, displayName: `${p.name} (${p.key})`, name: `${p.name} (${p.key})` } : undefined,
            };
          }),
        },
        objects: bean.values.length,
      };
    },
  },
  {
    method: 'GET', template: '/rest/agile/1.0/board/{boardId}/configuration', spec: 'agile',
    handler: (ctx) => {
      const board = boardOr404(ctx);
      const p = ctx.site.projects.find((x) => x.id === board.projectId);
      return {
        status: 200,
        json: {
          id: board.id,
          name: board.name,
          type: board.type,
          self: `${ctx.baseUrl}/rest/agile/1.0/board/${board.id}/configuration`,
          location: { type: 'project', projectKeyOrId: p ? p.key : String(board.projectId) },
          filter: { id: String(board.filterId), self: `${ctx.baseUrl}/rest/api/3/filter/${board.filterId}` },
          columnConfig: {
            columns: board.columns.map((c) => ({ name: c.name, statuses: c.statusIds.map((id) => ({ id: String(id), self: `${ctx.baseUrl}/rest/api/3/status/${id}` })) })),
            constraintType: 'none',
          },
          ...(board.type === 'scrum' ? { estimation: { type: 'field', field: { fieldId: 'customfield_10030', displayName: 'Story point estimate' } } } : {}),
          ranking: { rankCustomFieldId: Number(RANK_FIELD.replace('customfield_', '')) },
        },
        objects: 1,
      };
    },
  },
  {
    method: 'GET', template: '/rest/agile/1.0/board/{boardId}/sprint', spec: 'agile',
    handler: (ctx) => {
      const board = boardOr404(ctx);
      if (board.type !== 'scrum') throw badRequest('The board does not support sprints.');
      const page = pageRequest(ctx, 50, 50);
      const states = ctx.query.get('state')?.split(',');
      const all = ctx.site.sprints.filter((s) => s.boardId === board.id && (!states || states.includes(s.state)));
      const bean = agilePage(all, page.startAt, page.maxResults);
      return { status: 200, json: { ...bean, values: bean.values.map((s) => sprintBean(ctx, s)) }, objects: bean.values.length };
    },
  },
  {
    method: 'GET', template: '/rest/agile/1.0/sprint/{sprintId}', spec: 'agile',
    handler: (ctx) => {
      const sprint = ctx.site.sprints.find((s) => String(s.id) === ctx.params.sprintId);
      if (!sprint) throw notFound(`Sprint ${ctx.params.sprintId} does not exist or you do not have permission to view it.`);
      return { status: 200, json: sprintBean(ctx, sprint), objects: 1 };
    },
  },
  {
    method: 'GET', template: '/rest/agile/1.0/sprint/{sprintId}/issue', spec: 'agile',
    handler: (ctx) => {
      const sprint = ctx.site.sprints.find((s) => String(s.id) === ctx.params.sprintId);
      if (!sprint) throw notFound(`Sprint ${ctx.params.sprintId} does not exist or you do not have permission to view it.`);
      const page = pageRequest(ctx, 50, 50);
      const all = [...ctx.site.issues.values()]
        .filter((i) => ((i.custom[SPRINT_FIELD] as number[] | undefined) ?? []).includes(sprint.id) && isVisible(ctx.site, i))
        .sort((a, b) => String(a.custom[RANK_FIELD] ?? '').localeCompare(String(b.custom[RANK_FIELD] ?? '')));
      const slice = all.slice(page.startAt, page.startAt + page.maxResults);
      const render = { site: ctx.site, timeZone: ctx.timeZone, fields: selectFields(ctx.site, listParam(ctx, 'fields'), ['*navigable']), expand: expandSet(ctx.query.get('expand')), properties: [] };
      return {
        status: 200,
        json: { expand: 'schema,names', startAt: page.startAt, maxResults: page.maxResults, total: all.length, issues: slice.map((i) => issueBean(render, i)) },
        objects: slice.length,
      };
    },
  },
];
