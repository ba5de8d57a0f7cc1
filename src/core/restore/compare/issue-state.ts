import { createHash } from 'node:crypto';
import type { JiraClient } from '../../../ports';
import { callJira, jiraJson } from '../jira-call';
import { liveComments, liveIssues, liveRemoteLinks, liveWatchers, liveWorklogs } from '../live-site';
import type { SnapshotComment, SnapshotIssueLink, SnapshotRemoteLink, SnapshotWorklog } from '../snapshot-view';

/** Everything a round trip compares about one live issue, read through the REST API (attachment bytes as hashes). */
export interface IssueState {
  id: string;
  key: string;
  fields: Record<string, unknown>;
  comments: SnapshotComment[];
  worklogs: SnapshotWorklog[];
  attachments: { id: string; filename: string; size: number; mimeType?: string; sha256: string; author?: unknown; created?: string }[];
  links: { typeName: string; direction: 'outward' | 'inward'; otherId: string }[];
  remoteLinks: SnapshotRemoteLink[];
  watchers: string[];
  properties: Record<string, unknown>;
}

export async function readIssueState(jira: JiraClient, issueId: string): Promise<IssueState | undefined> {
  const [issue] = await liveIssues(jira, [issueId], ['*all']);
  if (!issue) return undefined;
  const fields = { ...issue.fields };
  const attachmentMeta = (fields.attachment as { id: string; filename: string; size: number; mimeType?: string; author?: unknown; created?: string }[] | undefined) ?? [];
  const links = ((fields.issuelinks as SnapshotIssueLink[] | undefined) ?? []).map((l) => ({
    typeName: l.type.name,
    direction: (l.outwardIssue ? 'outward' : 'inward') as 'outward' | 'inward',
    otherId: String((l.outwardIssue ?? l.inwardIssue)!.id),
  }));
  delete fields.comment;
  delete fields.worklog;
  const attachments = [];
  for (const meta of attachmentMeta) {
    const bytes = await (await callJira(jira, { method: 'GET', path: `/rest/api/3/attachment/content/${meta.id}`, query: { redirect: false } })).bytes();
    attachments.push({ id: String(meta.id), filename: meta.filename, size: meta.size, mimeType: meta.mimeType, sha256: createHash('sha256').update(bytes).digest('hex'), author: meta.author, created: meta.created });
  }
  const propertyKeys = await jiraJson<{ keys?: { key: string }[] }>(jira, { method: 'GET', path: `/rest/api/3/issue/${issueId}/properties` });
  const properties: Record<string, unknown> = {};
  for (const { key } of propertyKeys.keys ?? []) {
    properties[key] = (await jiraJson<{ value?: unknown }>(jira, { method: 'GET', path: `/rest/api/3/issue/${issueId}/properties/${encodeURIComponent(key)}` })).value;
  }
  return {
    id: issue.id,
    key: issue.key,
    fields,
    comments: await liveComments(jira, issueId),
    worklogs: await liveWorklogs(jira, issueId),
    attachments,
    links,
    remoteLinks: await liveRemoteLinks(jira, issueId),
    watchers: (await liveWatchers(jira, issueId)).sort(),
    properties,
  };
}
