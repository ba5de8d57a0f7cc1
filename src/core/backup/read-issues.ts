import type { JiraClient } from '../../ports';
import type { DataTypeSelection } from '../plans/plan';
import type { SnapshotRecord } from '../format/types';
import { callJson, callJsonOrMissing } from './jira-json';
import { mapLimited, readAllOf, readAllValues } from './paging';
import { record } from './records';

/**
 * Issues, streamed one search page at a time, then completed from the bulk endpoints. Nothing is silently
 * truncated: search embeds only part of some lists (50 comments, 20 worklogs, ~40 changelog entries) and no
 * comment/worklog properties, so comments and worklogs are read per issue when `total` > 0 (with properties),
 * and the changelog always comes from /changelog/bulkfetch. Per-issue endpoints are called only when the issue says there is something to read
 * (watchers when watchCount > 0, votes when votes > 0); remote links and properties have no such hint.
 */

export interface JiraIssue {
  id: string;
  key: string;
  fields: Record<string, unknown> & { updated?: string };
  [field: string]: unknown;
}

export interface IssuePage {
  issues: JiraIssue[];
  /** Absent on the last page. */
  nextPageToken?: string;
}

/** Search page size with all fields: Jira shrinks pages as fields grow; the engine uses what comes back. */
export const ISSUE_PAGE_SIZE = 100;
/** Ids-only pages (deleted-issue sweep). */
export const ID_PAGE_SIZE = 5000;

export async function searchIssuePage(jira: JiraClient, jql: string, pageToken: string | undefined): Promise<IssuePage> {
  const page = await callJson<{ issues?: JiraIssue[]; nextPageToken?: string | null; isLast?: boolean }>(jira, 'searchJql', {
    query: { jql, fields: '*all', maxResults: ISSUE_PAGE_SIZE, nextPageToken: pageToken },
  });
  const last = page.isLast === true || !page.nextPageToken;
  return { issues: page.issues ?? [], nextPageToken: last ? undefined : (page.nextPageToken ?? undefined) };
}

/** Every issue id a JQL matches, 5000 per request (ids are all that is asked for). */
export async function searchIssueIds(jira: JiraClient, jql: string): Promise<string[]> {
  const ids: string[] = [];
  let token: string | undefined;
  do {
    const page = await callJson<{ issues?: { id: string }[]; nextPageToken?: string | null; isLast?: boolean }>(jira, 'searchJql', {
      query: { jql, fields: 'id', maxResults: ID_PAGE_SIZE, nextPageToken: token },
    });
    for (const issue of page.issues ?? []) ids.push(String(issue.id));
    token = page.isLast === true || !page.nextPageToken ? undefined : page.nextPageToken;
  } while (token);
  return ids;
}

export async function approximateCount(jira: JiraClient, jql: string): Promise<number> {
  const answer = await callJson<{ count?: number }>(jira, 'approximateCount', { json: { jql } });
  if (typeof answer.count !== 'number') throw new Error(`Jira's approximate-count answer for "${jql}" has no count.`);
  return answer.count;
}

interface Listed<T> {
  total?: number;
  maxResults?: number;
  startAt?: number;
  comments?: T[];
  worklogs?: T[];
}

type Obj = Record<string, unknown>;

/** The issue record a snapshot keeps (the shape restore reads: src/core/restore/snapshot-view.ts SnapshotIssue). */
export interface IssueBundle {
  id: string;
  key: string;
  fields: Obj;
  comments: Obj[];
  worklogs: Obj[];
  changelog: Obj[];
  remoteLinks: Obj[];
  watchers: string[];
  voters: string[];
  properties: Record<string, unknown>;
  /** Jira's attachment metadata; the attachment step replaces entries with stored/skipped ones (Extended). */
  attachments: Obj[];
}

export interface ReadIssuesOptions {
  dataTypes: DataTypeSelection;
  /** Parallel per-issue reads (the governor bounds the total in flight as well). */
  concurrency?: number;
}

/** Turns one search page into complete issue bundles. */
export async function readIssueBundles(jira: JiraClient, issues: JiraIssue[], options: ReadIssuesOptions): Promise<IssueBundle[]> {
  const { dataTypes } = options;
  const concurrency = options.concurrency ?? 8;
  const changelogs = dataTypes.history ? await readChangelogs(jira, issues.map((i) => i.id)) : new Map<string, Obj[]>();
  const bundles = await mapLimited(issues, concurrency, async (issue) => {
    const fields = { ...issue.fields };
    const embeddedComments = fields.comment as Listed<Obj> | undefined;
    const embeddedWorklogs = fields.worklog as Listed<Obj> | undefined;
    // The bundle keeps the complete lists at top level; the embedded (possibly partial) copies would only mislead.
    delete fields.comment;
    delete fields.worklog;
    if (!dataTypes.links) delete fields.issuelinks;
    const [comments, worklogs, remoteLinks, watchers, voters, properties] = await Promise.all([
      dataTypes.comments ? completeList(jira, issue, embeddedComments, 'comments', 'issueComments', 100, { orderBy: 'created', expand: 'properties' }) : [],
      dataTypes.worklogs ? completeList(jira, issue, embeddedWorklogs, 'worklogs', 'issueWorklogs', 5000, { expand: 'properties' }) : [],
      dataTypes.links ? callJson<Obj[]>(jira, 'remoteLinks', { params: { issueIdOrKey: issue.id } }) : [],
      dataTypes.watchersAndVotes && count(fields.watches, 'watchCount') > 0 ? readWatchers(jira, issue.id) : [],
      dataTypes.watchersAndVotes && count(fields.votes, 'votes') > 0 ? readVoters(jira, issue.id) : [],
      dataTypes.properties ? readIssueProperties(jira, issue.id) : {},
    ]);
    const bundle: IssueBundle = {
      id: String(issue.id),
      key: issue.key,
      fields,
      comments,
      worklogs,
      changelog: changelogs.get(String(issue.id)) ?? [],
      remoteLinks,
      watchers,
      voters,
      properties,
      attachments: ((fields.attachment as Obj[] | undefined) ?? []).map((a) => ({ ...a })),
    };
    return bundle;
  });
  return bundles;
}

export function issueRecord(bundle: IssueBundle, projectKey: string): SnapshotRecord {
  return record('issue', bundle.id, bundle, { key: bundle.key, project: projectKey, updated: bundle.fields.updated as string | undefined });
}

function count(value: unknown, field: string): number {
  const n = (value as Obj | undefined)?.[field];
  return typeof n === 'number' ? n : 0;
}

/**
 * None when search says there are none; else the whole list from the per-issue endpoint with properties.
 * Embedded lists are never kept: they may be truncated (50 comments, 20 worklogs) and lack properties.
 */
async function completeList(
  jira: JiraClient,
  issue: JiraIssue,
  embedded: Listed<Obj> | undefined,
  listField: 'comments' | 'worklogs',
  route: 'issueComments' | 'issueWorklogs',
  pageSize: number,
  query: Record<string, string>,
): Promise<Obj[]> {
  if (embedded?.total === 0) return [];
  return readAllOf<Obj>(jira, route, { params: { issueIdOrKey: issue.id }, query }, listField, pageSize);
}

/** Changelogs of up to 1000 issues per call, paged by token; one issue's histories may span pages. */
async function readChangelogs(jira: JiraClient, issueIds: string[]): Promise<Map<string, Obj[]>> {
  const byIssue = new Map<string, Obj[]>();
  for (let i = 0; i < issueIds.length; i += 1000) {
    const ids = issueIds.slice(i, i + 1000);
    let token: string | undefined;
    do {
      const page = await callJson<{ issueChangeLogs?: { issueId: string; changeHistories?: Obj[] }[]; nextPageToken?: string | null }>(
        jira,
        'bulkChangelogs',
        { json: { issueIdsOrKeys: ids, maxResults: 10000, ...(token ? { nextPageToken: token } : {}) } },
      );
      for (const log of page.issueChangeLogs ?? []) {
        const list = byIssue.get(String(log.issueId)) ?? [];
        list.push(...(log.changeHistories ?? []));
        byIssue.set(String(log.issueId), list);
      }
      token = page.nextPageToken ?? undefined;
    } while (token);
  }
  // Oldest first, by id, whatever order the pages came in (stable output → same record hash on a re-run).
  for (const list of byIssue.values()) list.sort((a, b) => Number(a.id) - Number(b.id));
  return byIssue;
}

async function readWatchers(jira: JiraClient, issueId: string): Promise<string[]> {
  const answer = await callJsonOrMissing<{ watchers?: { accountId: string }[] }>(jira, 'watchers', { params: { issueIdOrKey: issueId } });
  return (answer?.watchers ?? []).map((w) => w.accountId).sort();
}

async function readVoters(jira: JiraClient, issueId: string): Promise<string[]> {
  const answer = await callJsonOrMissing<{ voters?: { accountId: string }[] }>(jira, 'votes', { params: { issueIdOrKey: issueId } });
  return (answer?.voters ?? []).map((v) => v.accountId).sort();
}

async function readIssueProperties(jira: JiraClient, issueId: string): Promise<Record<string, unknown>> {
  const keys = await callJson<{ keys?: { key: string }[] }>(jira, 'issuePropertyKeys', { params: { issueIdOrKey: issueId } });
  const properties: Record<string, unknown> = {};
  for (const { key } of keys.keys ?? []) {
    const property = await callJsonOrMissing<{ value?: unknown }>(jira, 'issueProperty', { params: { issueIdOrKey: issueId, propertyKey: key } });
    if (property) properties[key] = property.value ?? null;
  }
  return properties;
}
