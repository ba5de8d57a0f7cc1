/**
 * Enhanced search (`/search/jql`, GET and POST), `/search/approximate-count`, `/issue/bulkfetch` and
 * `/changelog/bulkfetch`, with Jira's paging: nextPageToken, no total, up to 5,000 ids per page and
 * at most 100 issues per page once fields beyond id/key are asked for.
 */
import type { SimIssue } from '../model';
import { badRequest, JiraHttpError } from '../http/errors';
import type { Route, RouteContext, SimReply } from '../http/types';
import { compareSortKeys, compileJql, type SortValue } from '../jql/evaluate';
import { JqlError } from '../jql/errors';
import { allFields, selectFields } from '../render/fields';
import { changeBean, issueBean, type RenderOptions } from '../render/issue';
import { listParam } from '../render/paging';
import { expandSet, findIssue, trashedProjectIds } from './lookup';
import { decodeToken, encodeToken } from './tokens';

export const SEARCH_MAX_IDS = 5000;
export const SEARCH_MAX_WITH_FIELDS = 100;

interface SearchInput {
  jql: string;
  nextPageToken?: string;
  maxResults?: number;
  fields?: string[];
  expand: Set<string>;
  properties: string[];
  reconcileIssues?: unknown[];
}

function jqlError(error: unknown): never {
  if (error instanceof JqlError) {
    throw new JiraHttpError(400, [error.message]);
  }
  throw error;
}

function compile(ctx: RouteContext, jql: string) {
  try {
    return compileJql(jql, { site: ctx.site, timeZone: ctx.timeZone, now: ctx.now }, { requireBounded: true });
  } catch (error) {
    jqlError(error);
  }
}

function runSearch(ctx: RouteContext, input: SearchInput): SimReply {
  const requested = input.maxResults ?? 50;
  if (!Number.isInteger(requested) || requested < 0 || requested > SEARCH_MAX_IDS) {
    throw badRequest(`maxResults must be a whole number from 0 to ${SEARCH_MAX_IDS}, got ${input.maxResults}.`);
  }
  if (input.properties.length > 5) throw badRequest('You can request at most 5 issue properties per search.');
  // The simulator's search is always consistent, so reconciling changes nothing; only the limit is enforced.
  if ((input.reconcileIssues?.length ?? 0) > 50) throw badRequest('reconcileIssues accepts at most 50 issue ids.');
  const selection = selectFields(ctx.site, input.fields, ['id']);
  const lean = selection.idsOnly && input.expand.size === 0 && input.properties.length === 0;
  // Pages shrink once real fields are requested: the ids-only page is the big one.
  const pageSize = Math.min(requested, lean ? SEARCH_MAX_IDS : SEARCH_MAX_WITH_FIELDS);
  const query = compile(ctx, input.jql);
  const tokenScope = `${query.canonical}|${pageSize}`;
  const after = input.nextPageToken ? decodeToken<SortValue[]>(input.nextPageToken, tokenScope, ctx.now) : undefined;

  const hidden = trashedProjectIds(ctx.site);
  const matches = (issue: SimIssue) => !hidden.has(issue.projectId) && query.matches(issue);
  const page: SimIssue[] = [];
  let more = false;
  if (query.isIdAscending) {
    // The issue map is in ascending id order already: stream it and stop early.
    const afterId = after ? Number(after[0]) : -Infinity;
    for (const issue of ctx.site.issues.values()) {
      if (issue.id <= afterId || !matches(issue)) continue;
      if (page.length === pageSize) { more = true; break; }
      page.push(issue);
    }
  } else {
    const keyed: Array<{ issue: SimIssue; key: SortValue[] }> = [];
    for (const issue of ctx.site.issues.values()) {
      if (!matches(issue)) continue;
      const key = query.sortKey(issue);
      if (after && compareSortKeys(key, after, query.directions) <= 0) continue;
      keyed.push({ issue, key });
    }
    keyed.sort((a, b) => compareSortKeys(a.key, b.key, query.directions));
    more = keyed.length > pageSize;
    for (const k of keyed.slice(0, pageSize)) page.push(k.issue);
  }

  const render: RenderOptions = { site: ctx.site, timeZone: ctx.timeZone, fields: selection, expand: input.expand, properties: input.properties };
  const body: Record<string, unknown> = { issues: page.map((issue) => issueBean(render, issue)) };
  if (more && page.length > 0) body.nextPageToken = encodeToken(tokenScope, query.sortKey(page[page.length - 1]), ctx.now);
  body.isLast = !body.nextPageToken;
  const fields = allFields(ctx.site).filter((f) => selection.fieldIds.includes(f.id));
  if (input.expand.has('names')) body.names = Object.fromEntries(fields.map((f) => [f.id, f.name]));
  if (input.expand.has('schema')) body.schema = Object.fromEntries(fields.map((f) => [f.id, f.schema]));
  return { status: 200, json: body, objects: page.length };
}

function numberParam(raw: string | null): number | undefined {
  if (raw === null || raw === '') return undefined;
  if (!/^-?\d+$/.test(raw)) throw badRequest(`maxResults must be an integer, got '${raw}'.`);
  return Number(raw);
}

function stringList(value: unknown, name: string): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw badRequest(`'${name}' must be an array of strings.`);
  return value as string[];
}

const searchGet: Route = {
  method: 'GET', template: '/rest/api/3/search/jql', spec: 'platform',
  handler: (ctx) => runSearch(ctx, {
    jql: ctx.query.get('jql') ?? '',
    nextPageToken: ctx.query.get('nextPageToken') ?? undefined,
    maxResults: numberParam(ctx.query.get('maxResults')),
    fields: listParam(ctx, 'fields'),
    expand: expandSet(ctx.query.get('expand')),
    properties: listParam(ctx, 'properties') ?? [],
  }),
};

const searchPost: Route = {
  method: 'POST', template: '/rest/api/3/search/jql', spec: 'platform', read: true,
  handler: (ctx) => {
    const body = ctx.json<Record<string, unknown>>() ?? {};
    if (body.jql !== undefined && typeof body.jql !== 'string') throw badRequest("'jql' must be a string.");
    if (body.maxResults !== undefined && typeof body.maxResults !== 'number') throw badRequest("'maxResults' must be a number.");
    if (body.nextPageToken !== undefined && body.nextPageToken !== null && typeof body.nextPageToken !== 'string') throw badRequest("'nextPageToken' must be a string.");
    if (body.expand !== undefined && typeof body.expand !== 'string') throw badRequest("'expand' must be a comma-separated string.");
    return runSearch(ctx, {
      jql: (body.jql as string | undefined) ?? '',
      nextPageToken: (body.nextPageToken as string | null | undefined) ?? undefined,
      maxResults: body.maxResults as number | undefined,
      fields: stringList(body.fields, 'fields'),
      expand: expandSet(body.expand as string | undefined),
      properties: stringList(body.properties, 'properties') ?? [],
      reconcileIssues: Array.isArray(body.reconcileIssues) ? body.reconcileIssues : undefined,
    });
  },
};

const approximateCount: Route = {
  method: 'POST', template: '/rest/api/3/search/approximate-count', spec: 'platform', read: true,
  handler: (ctx) => {
    const body = ctx.json<{ jql?: unknown }>() ?? {};
    if (typeof body.jql !== 'string') throw badRequest("'jql' is required and must be a string.");
    const query = compile(ctx, body.jql);
    const hidden = trashedProjectIds(ctx.site);
    let count = 0;
    for (const issue of ctx.site.issues.values()) if (!hidden.has(issue.projectId) && query.matches(issue)) count++;
    return { status: 200, json: { count }, objects: 0 };
  },
};

const BULK_FETCH_MAX = 100;

const bulkFetch: Route = {
  method: 'POST', template: '/rest/api/3/issue/bulkfetch', spec: 'platform', read: true,
  handler: (ctx) => {
    const body = ctx.json<Record<string, unknown>>() ?? {};
    const ids = stringList(body.issueIdsOrKeys, 'issueIdsOrKeys');
    if (!ids || ids.length === 0) throw badRequest("'issueIdsOrKeys' is required: give 1 to 100 issue ids or keys.");
    if (ids.length > BULK_FETCH_MAX) throw badRequest(`You can fetch at most ${BULK_FETCH_MAX} issues per request, got ${ids.length}. Split the request.`);
    const properties = stringList(body.properties, 'properties') ?? [];
    const expand = expandSet(stringList(body.expand, 'expand'));
    const selection = selectFields(ctx.site, stringList(body.fields, 'fields'), ['*navigable']);
    const found = new Map<number, SimIssue>();
    const issueErrors: Array<{ id: string; errorMessage: string }> = [];
    for (const idOrKey of ids) {
      const issue = findIssue(ctx.site, idOrKey);
      if (issue) found.set(issue.id, issue);
      else issueErrors.push({ id: idOrKey, errorMessage: 'Issue does not exist or you do not have permission to see it.' });
    }
    const render: RenderOptions = { site: ctx.site, timeZone: ctx.timeZone, fields: selection, expand, properties, withKey: true };
    const issues = [...found.values()].sort((a, b) => a.id - b.id).map((issue) => issueBean(render, issue));
    return { status: 200, json: { issues, issueErrors }, objects: issues.length };
  },
};

const changelogBulkFetch: Route = {
  method: 'POST', template: '/rest/api/3/changelog/bulkfetch', spec: 'platform', read: true,
  handler: (ctx) => {
    const body = ctx.json<Record<string, unknown>>() ?? {};
    const ids = stringList(body.issueIdsOrKeys, 'issueIdsOrKeys');
    if (!ids || ids.length === 0) throw badRequest("'issueIdsOrKeys' is required: give 1 to 1000 issue ids or keys.");
    if (ids.length > 1000) throw badRequest(`You can request the changelogs of at most 1000 issues, got ${ids.length}.`);
    const fieldIds = stringList(body.fieldIds, 'fieldIds');
    if (fieldIds && fieldIds.length > 10) throw badRequest(`You can filter by at most 10 field ids, got ${fieldIds.length}.`);
    const maxResults = body.maxResults === undefined ? 1000 : body.maxResults;
    if (typeof maxResults !== 'number' || !Number.isInteger(maxResults) || maxResults < 1 || maxResults > 10000) {
      throw badRequest(`maxResults must be a whole number from 1 to 10000, got ${String(body.maxResults)}.`);
    }
    const issues = [...new Set(ids.map((id) => findIssue(ctx.site, id)).filter((i): i is SimIssue => i !== undefined))].sort((a, b) => a.id - b.id);
    const scope = `${issues.map((i) => i.id).join(',')}|${(fieldIds ?? []).join(',')}|${maxResults}`;
    const start = typeof body.nextPageToken === 'string' ? decodeToken<number>(body.nextPageToken, scope, ctx.now) : 0;
    // Oldest first within each issue, smallest issue id first; the token is the offset in that flat list.
    const flat: Array<{ issue: SimIssue; index: number }> = [];
    for (const issue of issues) {
      issue.changelog.forEach((change, index) => {
        if (!fieldIds || change.items.some((item) => fieldIds.includes(item.fieldId ?? item.field))) flat.push({ issue, index });
      });
    }
    const slice = flat.slice(start, start + maxResults);
    const grouped = new Map<number, unknown[]>();
    for (const { issue, index } of slice) {
      const change = issue.changelog[index];
      const items = fieldIds ? { ...change, items: change.items.filter((item) => fieldIds.includes(item.fieldId ?? item.field)) } : change;
      const list = grouped.get(issue.id) ?? [];
      list.push(changeBean(ctx.site, items, ctx.timeZone));
      grouped.set(issue.id, list);
    }
    const out: Record<string, unknown> = {
      issueChangeLogs: [...grouped].map(([issueId, changeHistories]) => ({ issueId: String(issueId), changeHistories })),
    };
    if (start + slice.length < flat.length) out.nextPageToken = encodeToken(scope, start + slice.length, ctx.now);
    return { status: 200, json: out, objects: slice.length };
  },
};

export const searchRoutes: Route[] = [searchGet, searchPost, approximateCount, bulkFetch, changelogBulkFetch];
