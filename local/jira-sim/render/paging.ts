/** Jira's paging parameters and the PageBean shape (`startAt/maxResults/total/isLast/nextPage/values`). */
import { badRequest } from '../http/errors';
import type { RouteContext } from '../http/types';

export interface PageRequest {
  startAt: number;
  maxResults: number;
}

function integerParam(ctx: RouteContext, name: string, fallback: number): number {
  const raw = ctx.query.get(name);
  if (raw === null || raw === '') return fallback;
  if (!/^-?\d+$/.test(raw)) throw badRequest(`The '${name}' parameter must be an integer, got '${raw}'.`);
  return Number(raw);
}

/** startAt/maxResults from the query; maxResults above `max` is silently capped, as Jira does. */
export function pageRequest(ctx: RouteContext, defaultMax: number, max: number): PageRequest {
  const startAt = integerParam(ctx, 'startAt', 0);
  const requested = integerParam(ctx, 'maxResults', defaultMax);
  if (startAt < 0) throw badRequest(`The 'startAt' parameter must be ≥ 0, got ${startAt}.`);
  if (requested < 0) throw badRequest(`The 'maxResults' parameter must be ≥ 0, got ${requested}.`);
  return { startAt, maxResults: Math.min(requested, max) };
}

export function pageBean<T>(ctx: RouteContext, all: T[], page: PageRequest) {
  const values = all.slice(page.startAt, page.startAt + page.maxResults);
  const isLast = page.startAt + values.length >= all.length;
  const self = `${ctx.baseUrl}${ctx.path}?${ctx.query.toString()}`;
  const next = new URLSearchParams(ctx.query);
  next.set('startAt', String(page.startAt + values.length));
  next.set('maxResults', String(page.maxResults));
  return {
    self,
    ...(isLast ? {} : { nextPage: `${ctx.baseUrl}${ctx.path}?${next.toString()}` }),
    maxResults: page.maxResults,
    startAt: page.startAt,
    total: all.length,
    isLast,
    values,
  };
}

/** A comma list that may also be given as repeated parameters (`fields=a,b&fields=c`). */
export function listParam(ctx: RouteContext, name: string): string[] | undefined {
  const all = ctx.query.getAll(name);
  if (all.length === 0) return undefined;
  return all.flatMap((v) => v.split(',')).map((s) => s.trim()).filter((s) => s.length > 0);
}
