/** Entity properties of comments and worklogs (read for backup, written by restore). */
import { badRequest, notFound } from '../http/errors';
import type { Route, RouteContext } from '../http/types';
import type { SimComment, SimWorklog } from '../model';
import { issueOr404 } from './lookup';
import { findOwned } from './worklogs-comments';

function commentOr404(ctx: RouteContext): SimComment {
  const id = Number(ctx.params.commentId);
  const found = Number.isInteger(id) ? findOwned<SimComment>(ctx.site, id, (i) => i.comments) : undefined;
  if (!found) throw notFound(`Can not find a comment for the id: ${ctx.params.commentId}.`);
  return found.item;
}

function worklogOr404(ctx: RouteContext): SimWorklog {
  const issue = issueOr404(ctx.site, ctx.params.issueIdOrKey);
  const worklog = issue.worklogs.find((w) => String(w.id) === ctx.params.worklogId);
  if (!worklog) throw notFound(`Cannot find worklog with id: '${ctx.params.worklogId}'.`);
  return worklog;
}

/** GET keys, GET one, PUT (201 new / 200 replaced), DELETE — for any owner with a `properties` map. */
function propertyRoutes(base: string, owner: (ctx: RouteContext) => { properties: Map<string, unknown> }, issueParam?: string): Route[] {
  return [
    {
      method: 'GET', template: `${base}/properties`, spec: 'platform',
      handler: (ctx) => {
        const keys = [...owner(ctx).properties.keys()].map((key) => ({ self: `${ctx.baseUrl}${ctx.path}/${encodeURIComponent(key)}`, key }));
        return { status: 200, json: { keys }, objects: keys.length };
      },
    },
    {
      method: 'GET', template: `${base}/properties/{propertyKey}`, spec: 'platform',
      handler: (ctx) => {
        const properties = owner(ctx).properties;
        if (!properties.has(ctx.params.propertyKey)) throw notFound(`The property with key '${ctx.params.propertyKey}' does not exist.`);
        return { status: 200, json: { key: ctx.params.propertyKey, value: properties.get(ctx.params.propertyKey) }, objects: 1 };
      },
    },
    {
      method: 'PUT', template: `${base}/properties/{propertyKey}`, spec: 'platform', issueParam,
      handler: (ctx) => {
        const properties = owner(ctx).properties;
        if (ctx.rawBody.length > 32_768) throw badRequest('The property value must be at most 32768 bytes.');
        const value = ctx.json<unknown>();
        if (value === undefined) throw badRequest('The property value must be JSON.');
        const existed = properties.has(ctx.params.propertyKey);
        properties.set(ctx.params.propertyKey, value);
        return { status: existed ? 200 : 201 };
      },
    },
    {
      method: 'DELETE', template: `${base}/properties/{propertyKey}`, spec: 'platform', issueParam,
      handler: (ctx) => {
        if (!owner(ctx).properties.delete(ctx.params.propertyKey)) throw notFound(`The property with key '${ctx.params.propertyKey}' does not exist.`);
        return { status: 204 };
      },
    },
  ];
}

export const subPropertyRoutes: Route[] = [
  ...propertyRoutes('/rest/api/3/comment/{commentId}', commentOr404),
  ...propertyRoutes('/rest/api/3/issue/{issueIdOrKey}/worklog/{worklogId}', worklogOr404, 'issueIdOrKey'),
];
