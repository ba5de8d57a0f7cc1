import type { JiraClient } from '../../ports';
import { callJson, type RouteCall } from './jira-json';
import type { JiraRouteName } from './jira-routes';

/**
 * Jira's paging styles, read to the end. Configuration lists are small (hundreds to a few thousand items), so
 * they are collected in memory; issues never go through here (they stream page by page, see issue-pages.ts).
 */

interface StartAtPage<T> {
  values?: T[];
  startAt?: number;
  maxResults?: number;
  total?: number;
  isLast?: boolean;
}

/** `startAt/maxResults/total/isLast` pages with a `values` array (PB and PO styles). */
export async function readAllValues<T>(jira: JiraClient, route: JiraRouteName, call: RouteCall, pageSize: number): Promise<T[]> {
  const all: T[] = [];
  for (let startAt = 0; ; ) {
    const page = await callJson<StartAtPage<T>>(jira, route, { ...call, query: { ...call.query, startAt, maxResults: pageSize } });
    const values = page.values ?? [];
    all.push(...values);
    startAt += values.length;
    if (values.length === 0 || page.isLast === true) return all;
    if (page.total !== undefined && startAt >= page.total) return all;
    if (page.isLast === undefined && page.total === undefined && values.length < pageSize) return all;
  }
}

/** Pages of a field other than `values` (e.g. `comments`, `worklogs`), `startAt/maxResults/total`. */
export async function readAllOf<T>(jira: JiraClient, route: JiraRouteName, call: RouteCall, listField: string, pageSize: number, startFrom = 0): Promise<T[]> {
  const all: T[] = [];
  for (let startAt = startFrom; ; ) {
    const page = await callJson<Record<string, unknown>>(jira, route, { ...call, query: { ...call.query, startAt, maxResults: pageSize } });
    const values = (page[listField] as T[] | undefined) ?? [];
    all.push(...values);
    startAt += values.length;
    const total = page.total as number | undefined;
    if (values.length === 0) return all;
    if (total !== undefined ? startAt >= total : values.length < pageSize) return all;
  }
}

/** Plain arrays paged by startAt until an EMPTY page (`/users/search`: privacy filtering can shorten a page that is not the last). */
export async function readAllArray<T>(jira: JiraClient, route: JiraRouteName, call: RouteCall, pageSize: number): Promise<T[]> {
  const all: T[] = [];
  for (let startAt = 0; ; ) {
    const page = await callJson<T[]>(jira, route, { ...call, query: { ...call.query, startAt, maxResults: pageSize } });
    all.push(...page);
    startAt += page.length;
    if (page.length === 0) return all;
  }
}

/** Runs `work` over `items` with at most `limit` in flight, keeping the input order in the result. */
export async function mapLimited<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index], index);
    }
  });
  await Promise.all(workers);
  return results;
}
