import type { JiraClient } from '../../ports';
import { JiraCallError, jiraJson, jiraJsonOrUndefined } from './jira-call';
import type { FieldDefinition, SnapshotComment, SnapshotRemoteLink, SnapshotWorklog } from './snapshot-view';
import type { TargetFieldMeta } from './field-values';

/** Read-only views of the live site that browse, diff, planner and executor share. */

export interface LiveProject {
  id: string;
  key: string;
  name: string;
  projectTypeKey?: string;
  issueTypes: { id: string; name: string; subtask?: boolean; hierarchyLevel?: number }[];
  components: { id: string; name: string }[];
  versions: { id: string; name: string }[];
}

export interface LiveIssue {
  id: string;
  key: string;
  fields: Record<string, unknown>;
  properties?: Record<string, unknown>;
}

export async function liveFields(jira: JiraClient): Promise<FieldDefinition[]> {
  return jiraJson<FieldDefinition[]>(jira, { method: 'GET', path: '/rest/api/3/field' });
}

/** The project with its issue types, components and versions; undefined when it no longer exists. */
export async function liveProject(jira: JiraClient, key: string): Promise<LiveProject | undefined> {
  const project = await jiraJsonOrUndefined<LiveProject>(jira, { method: 'GET', path: `/rest/api/3/project/${encodeURIComponent(key)}` });
  if (!project) return undefined;
  // The paged lists (PB), as the backup reads them: /components and /versions (unpaged) are not on every site.
  const [components, versions] = await Promise.all([
    pageValues<{ id: string; name: string }>(jira, `/rest/api/3/project/${project.id}/component`),
    pageValues<{ id: string; name: string }>(jira, `/rest/api/3/project/${project.id}/version`),
  ]);
  return { ...project, issueTypes: project.issueTypes ?? [], components, versions };
}

/** Ids of every live issue matching the JQL (ids only: 5000 a page is the cheapest sweep). */
export async function liveIssueIds(jira: JiraClient, jql: string): Promise<string[]> {
  const ids: string[] = [];
  let nextPageToken: string | undefined;
  do {
    const page = await jiraJson<{ issues: { id: string }[]; nextPageToken?: string | null }>(jira, {
      method: 'POST',
      path: '/rest/api/3/search/jql',
      json: { jql, fields: ['id'], maxResults: 5000, ...(nextPageToken ? { nextPageToken } : {}) },
    });
    ids.push(...page.issues.map((issue) => issue.id));
    nextPageToken = page.nextPageToken ?? undefined;
  } while (nextPageToken);
  return ids;
}

/** Live issues by id or key, 100 a call; ids that are gone are simply absent from the answer. */
export async function liveIssues(jira: JiraClient, idsOrKeys: string[], fields: string[] = ['*all'], properties: string[] = []): Promise<LiveIssue[]> {
  const found: LiveIssue[] = [];
  for (let start = 0; start < idsOrKeys.length; start += 100) {
    const page = await jiraJson<{ issues: LiveIssue[] }>(jira, {
      method: 'POST',
      path: '/rest/api/3/issue/bulkfetch',
      json: { issueIdsOrKeys: idsOrKeys.slice(start, start + 100), fields, properties },
    });
    found.push(...page.issues);
  }
  return found;
}

export async function liveComments(jira: JiraClient, issueId: string): Promise<SnapshotComment[]> {
  return pageAll<SnapshotComment>(jira, `/rest/api/3/issue/${issueId}/comment`, 'comments', { expand: 'properties', orderBy: 'created' });
}

export async function liveWorklogs(jira: JiraClient, issueId: string): Promise<SnapshotWorklog[]> {
  return pageAll<SnapshotWorklog>(jira, `/rest/api/3/issue/${issueId}/worklog`, 'worklogs', { expand: 'properties' });
}

export async function liveRemoteLinks(jira: JiraClient, issueId: string): Promise<SnapshotRemoteLink[]> {
  return jiraJson<SnapshotRemoteLink[]>(jira, { method: 'GET', path: `/rest/api/3/issue/${issueId}/remotelink` });
}

export async function liveWatchers(jira: JiraClient, issueId: string): Promise<string[]> {
  const body = await jiraJson<{ watchers?: { accountId: string }[] }>(jira, { method: 'GET', path: `/rest/api/3/issue/${issueId}/watchers` });
  return (body.watchers ?? []).map((watcher) => watcher.accountId);
}

export async function livePropertyKeys(jira: JiraClient, issueId: string): Promise<string[]> {
  const body = await jiraJson<{ keys?: { key: string }[] }>(jira, { method: 'GET', path: `/rest/api/3/issue/${issueId}/properties` });
  return (body.keys ?? []).map((entry) => entry.key);
}

/** Fields the create screen of this project + issue type offers (createmeta), by field id. */
export async function createMeta(jira: JiraClient, projectKey: string, issueTypeId: string): Promise<Map<string, TargetFieldMeta> | undefined> {
  try {
    const fields = await pageAll<TargetFieldMeta>(jira, `/rest/api/3/issue/createmeta/${encodeURIComponent(projectKey)}/issuetypes/${issueTypeId}`, 'fields', {});
    return new Map(fields.map((field) => [field.fieldId, field]));
  } catch (error) {
    // No screen information (the issue type is not in the project's scheme, or the site does not serve createmeta):
    // every mapped field is sent, and Jira's answer decides; rejected fields are retried without and reported.
    if (error instanceof JiraCallError && error.status === 404) return undefined;
    throw error;
  }
}

export interface LiveTransition {
  id: string;
  name: string;
  to: { id: string; name: string };
  fields?: Record<string, { required?: boolean }>;
}

export async function liveTransitions(jira: JiraClient, issueId: string): Promise<LiveTransition[]> {
  const body = await jiraJson<{ transitions: LiveTransition[] }>(jira, { method: 'GET', path: `/rest/api/3/issue/${issueId}/transitions`, query: { expand: 'transitions.fields' } });
  return body.transitions ?? [];
}

/** PageBean paging (`values`, `isLast`). */
async function pageValues<T>(jira: JiraClient, path: string): Promise<T[]> {
  const all: T[] = [];
  for (let startAt = 0; ; ) {
    const page = await jiraJson<{ values?: T[]; isLast?: boolean; total?: number }>(jira, { method: 'GET', path, query: { startAt, maxResults: 50 } });
    const values = page.values ?? [];
    all.push(...values);
    startAt += values.length;
    if (values.length === 0 || page.isLast !== false || (page.total !== undefined && startAt >= page.total)) return all;
  }
}

/** startAt/maxResults paging until a short page or `total` is reached. */
async function pageAll<T>(jira: JiraClient, path: string, listName: string, query: Record<string, string>): Promise<T[]> {
  const all: T[] = [];
  for (let startAt = 0; ; ) {
    const page = await jiraJson<Record<string, unknown>>(jira, { method: 'GET', path, query: { ...query, startAt, maxResults: 100 } });
    const items = (page[listName] as T[] | undefined) ?? [];
    all.push(...items);
    const total = typeof page.total === 'number' ? page.total : undefined;
    startAt += items.length;
    if (items.length === 0 || (total !== undefined && startAt >= total) || page.isLast === true) return all;
    if (total === undefined && items.length < 100) return all;
  }
}
