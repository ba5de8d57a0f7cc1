import type { JiraClient } from '../../ports';
import type { IdMap } from './id-map';
import { liveComments, liveIssues, livePropertyKeys, liveRemoteLinks, liveWatchers, liveWorklogs, type LiveIssue } from './live-site';
import type { SnapshotIssue, SnapshotIssueLink } from './snapshot-view';

/** What a live issue already has, so a restore adds only what is missing (and a rerun adds nothing twice). */
export interface LiveIssueState {
  id: string;
  key: string;
  fields: Record<string, unknown>;
  commentIds: Set<string>;
  worklogIds: Set<string>;
  attachmentIds: Set<string>;
  /** Links as "typeName|outwardIssueId|inwardIssueId" (ids of the live issues). */
  linkSignatures: Set<string>;
  remoteLinkGlobalIds: Set<string>;
  remoteLinkUrls: Set<string>;
  watchers: Set<string>;
  propertyKeys: Set<string>;
}

export function linkSignature(typeName: string, outwardId: string, inwardId: string): string {
  return `${typeName}|${outwardId}|${inwardId}`;
}

/** The signatures of a live issue's `issuelinks` field. */
export function liveLinkSignatures(issueId: string, links: SnapshotIssueLink[] | undefined): Set<string> {
  const signatures = new Set<string>();
  for (const link of links ?? []) {
    if (link.outwardIssue) signatures.add(linkSignature(link.type.name, issueId, link.outwardIssue.id));
    if (link.inwardIssue) signatures.add(linkSignature(link.type.name, link.inwardIssue.id, issueId));
  }
  return signatures;
}

/**
 * Reads the live state of issues the restore will touch. `snapshotById` says which per-issue endpoints are worth calling
 * (remote links, watchers and properties are read only when the snapshot issue has some: each is one request).
 * `exhaustive` also pages comments and worklogs (with properties) instead of trusting the embedded, capped lists.
 * `onIssueRead` hears of each issue done (a dry run's progress and budget check: one issue may cost several requests).
 */
export async function readLiveStates(
  jira: JiraClient,
  targets: { liveId: string; snapshot: SnapshotIssue }[],
  options: { exhaustive?: boolean; onIssueRead?: () => Promise<void> } = {},
): Promise<Map<string, LiveIssueState>> {
  const live = await liveIssues(
    jira,
    targets.map((t) => t.liveId),
    ['summary', 'status', 'comment', 'worklog', 'attachment', 'issuelinks', 'parent', 'issuetype', 'project', '*all'],
  );
  const byId = new Map(live.map((issue) => [issue.id, issue]));
  const states = new Map<string, LiveIssueState>();
  for (const { liveId, snapshot } of targets) {
    const issue = byId.get(liveId);
    if (!issue) continue;
    states.set(liveId, await stateOf(jira, issue, snapshot, options.exhaustive ?? false));
    await options.onIssueRead?.();
  }
  return states;
}

async function stateOf(jira: JiraClient, issue: LiveIssue, snapshot: SnapshotIssue, exhaustive: boolean): Promise<LiveIssueState> {
  const fields = issue.fields;
  const embeddedComments = fields.comment as { comments?: { id: string }[]; total?: number } | undefined;
  const embeddedWorklogs = fields.worklog as { worklogs?: { id: string }[]; total?: number } | undefined;
  const commentsTruncated = (embeddedComments?.total ?? 0) > (embeddedComments?.comments?.length ?? 0);
  const worklogsTruncated = (embeddedWorklogs?.total ?? 0) > (embeddedWorklogs?.worklogs?.length ?? 0);
  const comments = exhaustive || commentsTruncated ? await liveComments(jira, issue.id) : embeddedComments?.comments ?? [];
  const worklogs = exhaustive || worklogsTruncated ? await liveWorklogs(jira, issue.id) : embeddedWorklogs?.worklogs ?? [];
  const remote = snapshot.remoteLinks.length > 0 ? await liveRemoteLinks(jira, issue.id) : [];
  return {
    id: issue.id,
    key: issue.key,
    fields,
    commentIds: new Set(comments.map((c) => c.id)),
    worklogIds: new Set(worklogs.map((w) => w.id)),
    attachmentIds: new Set(((fields.attachment as { id: string }[] | undefined) ?? []).map((a) => a.id)),
    linkSignatures: liveLinkSignatures(issue.id, fields.issuelinks as SnapshotIssueLink[] | undefined),
    remoteLinkGlobalIds: new Set(remote.map((r) => r.globalId).filter((g): g is string => !!g)),
    remoteLinkUrls: new Set(remote.map((r) => r.object.url)),
    watchers: new Set(snapshot.watchers.length > 0 ? await liveWatchers(jira, issue.id) : []),
    propertyKeys: new Set(Object.keys(snapshot.properties).length > 0 ? await livePropertyKeys(jira, issue.id) : []),
  };
}

/** True when a snapshot item (comment, worklog, attachment) is present live: same id, or mapped to a live id. */
export async function presentLive(ids: Set<string>, idMap: IdMap, kind: 'comment' | 'worklog' | 'attachment', sourceId: string): Promise<boolean> {
  if (ids.has(sourceId)) return true;
  const mapped = await idMap.get(kind, sourceId);
  return mapped !== undefined && ids.has(mapped.targetId);
}
