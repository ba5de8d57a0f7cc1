/**
 * Site-wide worklog and comment reads for incremental backups: `/worklog/updated` and `/worklog/deleted`
 * (1000 per page, oldest first, the last minute excluded), `/worklog/list` and `/comment/list` (by id, ≤ 1000).
 */
import { badRequest } from '../http/errors';
import type { Route, RouteContext } from '../http/types';
import type { SimComment, SimIssue, SimWorklog, SiteData } from '../model';
import { commentBean, worklogBean } from '../render/issue';
import { pageBean, pageRequest } from '../render/paging';
import { expandSet } from './lookup';

const CHANGED_PAGE = 1000;
const MAX_IDS = 1000;

/** Generated sub-ids are issueId * 1000 + n, so the owner is usually known; otherwise every issue is searched. */
export function findOwned<T extends { id: number }>(site: SiteData, id: number, list: (issue: SimIssue) => T[]): { issue: SimIssue; item: T } | undefined {
  const guess = site.issues.get(Math.floor(id / 1000));
  const hit = guess ? list(guess).find((x) => x.id === id) : undefined;
  if (guess && hit) return { issue: guess, item: hit };
  for (const issue of site.issues.values()) {
    const item = list(issue).find((x) => x.id === id);
    if (item) return { issue, item };
  }
  return undefined;
}

function idsBody(ctx: RouteContext): number[] {
  const body = ctx.json<{ ids?: unknown }>();
  const ids = body?.ids;
  if (!Array.isArray(ids) || ids.some((id) => !Number.isInteger(Number(id)))) throw badRequest("'ids' must be a list of numeric ids.");
  if (ids.length > MAX_IDS) throw badRequest(`At most ${MAX_IDS} ids per request, got ${ids.length}.`);
  return ids.map(Number);
}

function sinceParam(ctx: RouteContext): number {
  const raw = ctx.query.get('since') ?? '0';
  if (!/^\d+$/.test(raw)) throw badRequest(`'since' must be epoch milliseconds, got '${raw}'.`);
  return Number(raw);
}

/** A ChangedWorklogs page over (time, id) pairs newer than `since`, excluding the last minute. */
function changedPage(ctx: RouteContext, all: Array<{ worklogId: number; time: number }>) {
  const since = sinceParam(ctx);
  const cutoff = ctx.now - 60_000;
  const eligible = all.filter((e) => e.time > since && e.time <= cutoff).sort((a, b) => a.time - b.time || a.worklogId - b.worklogId);
  const values = eligible.slice(0, CHANGED_PAGE);
  const lastPage = eligible.length <= CHANGED_PAGE;
  const until = values.length > 0 ? values[values.length - 1].time : since;
  const self = `${ctx.baseUrl}${ctx.path}?since=${since}`;
  return {
    values: values.map((v) => ({ worklogId: v.worklogId, updatedTime: v.time, properties: [] })),
    since,
    until,
    self,
    ...(lastPage ? {} : { nextPage: `${ctx.baseUrl}${ctx.path}?since=${until}` }),
    lastPage,
  };
}

export const worklogCommentRoutes: Route[] = [
  {
    method: 'GET', template: '/rest/api/3/worklog/updated', spec: 'platform',
    handler: (ctx) => {
      const all: Array<{ worklogId: number; time: number }> = [];
      for (const issue of ctx.site.issues.values()) for (const w of issue.worklogs) all.push({ worklogId: w.id, time: w.updated });
      const page = changedPage(ctx, all);
      return { status: 200, json: page, objects: page.values.length };
    },
  },
  {
    method: 'GET', template: '/rest/api/3/worklog/deleted', spec: 'platform',
    handler: (ctx) => {
      const page = changedPage(ctx, (ctx.site.worklogTombstones ?? []).map((t) => ({ worklogId: t.worklogId, time: t.deletedAt })));
      return { status: 200, json: page, objects: page.values.length };
    },
  },
  {
    method: 'POST', template: '/rest/api/3/worklog/list', spec: 'platform', read: true,
    handler: (ctx) => {
      const withProperties = expandSet(ctx.query.get('expand')).has('properties');
      const found = idsBody(ctx).map((id) => findOwned<SimWorklog>(ctx.site, id, (i) => i.worklogs)).filter((x) => x !== undefined);
      const values = found.map(({ issue, item }) => worklogBean(ctx.site, issue, item, ctx.timeZone, withProperties));
      return { status: 200, json: values, objects: values.length };
    },
  },
  {
    method: 'POST', template: '/rest/api/3/comment/list', spec: 'platform', read: true,
    handler: (ctx) => {
      const withProperties = expandSet(ctx.query.get('expand')).has('properties');
      const found = idsBody(ctx).map((id) => findOwned<SimComment>(ctx.site, id, (i) => i.comments)).filter((x) => x !== undefined);
      const page = pageRequest(ctx, 50, 5000);
      const bean = pageBean(ctx, found, page);
      const values = bean.values.map(({ issue, item }) => commentBean(ctx.site, issue, item, ctx.timeZone, withProperties));
      return { status: 200, json: { ...bean, values }, objects: values.length };
    },
  },
];
