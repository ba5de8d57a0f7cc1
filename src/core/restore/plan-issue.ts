import type { IdMap } from './id-map';
import { issueFieldWrites } from './issue-payload';
import { linkSignature, presentLive, type LiveIssueState } from './live-state';
import type { IssuePlan, PlannedLink, RestoreContent, Skipped } from './plan-types';
import type { SnapshotIssue, SnapshotIssueLink, SnapshotSprint } from './snapshot-view';
import type { TargetContext } from './target-context';

/** Where every snapshot issue the plan may refer to ends up: restored by this plan, or live already. */
export interface IssueWhereabouts {
  /** Snapshot ids the plan re-creates. */
  restored: Set<string>;
  /** Snapshot id → the live issue (same id still on the site, or created by an earlier restore). */
  live: Map<string, { id: string; key: string }>;
  /** Snapshot key → snapshot id for every issue the plan looked at. */
  idByKey: Map<string, string>;
}

export interface IssuePlanInput {
  issue: SnapshotIssue;
  action: 'create' | 'update';
  liveState?: LiveIssueState;
  context: TargetContext;
  where: IssueWhereabouts;
  idMap: IdMap;
  content: RestoreContent;
  sprintsById: Map<number, SnapshotSprint & { live: boolean }>;
  sprintFieldId?: string;
}

/** The plan for re-creating (create) or completing (update) one issue. */
export async function planIssue(input: IssuePlanInput): Promise<IssuePlan> {
  const { issue, action, liveState, context, where, idMap, content } = input;
  const fields = issue.fields as {
    summary?: string;
    issuetype?: { id: string; name: string; subtask?: boolean };
    status?: { name: string };
    parent?: { id: string; key: string };
    issuelinks?: SnapshotIssueLink[];
  };
  const skipped: Skipped[] = [];
  const plan: IssuePlan = {
    sourceId: issue.id,
    sourceKey: issue.key,
    summary: fields.summary ?? '',
    action,
    existing: liveState ? { id: liveState.id, key: liveState.key } : undefined,
    fieldsSet: [],
    fieldsNotSet: [],
    comments: [],
    worklogs: [],
    attachments: [],
    links: [],
    remoteLinks: [],
    watchers: [],
    properties: [],
    skipped,
    wave: 0,
  };

  if (action === 'create') {
    const fallback = fields.issuetype ? context.issueTypeFallbacks.get(fields.issuetype.id) : undefined;
    const typeId = fields.issuetype ? context.issueTypeMap.get(fields.issuetype.id) ?? fallback?.targetId : undefined;
    if (!typeId) {
      plan.blockedReason = `the issue type "${fields.issuetype?.name ?? '?'}" does not exist in project ${context.projectKey}; add it to the project's issue type scheme`;
      return plan;
    }
    plan.issueType = { name: fields.issuetype?.name ?? '', targetId: typeId };
    const writes = await issueFieldWrites(issue, typeId, context, { issueKeyFor: keyResolver(where) });
    plan.fieldsSet = writes.set;
    plan.fieldsNotSet = fallback && !context.issueTypeMap.has(fields.issuetype!.id) ? [{ fieldId: 'issuetype', name: 'Issue Type', reason: fallback.reason }, ...writes.notSet] : writes.notSet;
    if (content.status && fields.status) plan.targetStatus = fields.status.name;
    if (fields.parent) {
      const end = otherEnd(where, fields.parent.id);
      if (end) plan.parent = { sourceId: fields.parent.id, sourceKey: fields.parent.key, otherEnd: end };
    }
  }

  const has = liveState;
  if (content.comments) {
    for (const comment of issue.comments) {
      if (!has || !(await presentLive(has.commentIds, idMap, 'comment', comment.id))) plan.comments.push(comment.id);
    }
  }
  if (content.worklogs) {
    for (const worklog of issue.worklogs) {
      if (!has || !(await presentLive(has.worklogIds, idMap, 'worklog', worklog.id))) plan.worklogs.push(worklog.id);
    }
  }
  if (content.attachments) {
    for (const attachment of issue.attachments) {
      if (has && (await presentLive(has.attachmentIds, idMap, 'attachment', attachment.id))) continue;
      if (!attachment.sha256) {
        skipped.push({ what: `attachment ${attachment.filename}`, reason: attachment.skippedReason ?? 'the snapshot holds no bytes for it (a Basic snapshot keeps metadata only)' });
      } else {
        plan.attachments.push({ sourceId: attachment.id, filename: attachment.filename, size: attachment.size });
      }
    }
  }
  if (content.links) plan.links = planLinks(issue, fields.issuelinks ?? [], where, has, skipped);
  if (content.remoteLinks) {
    for (const remote of issue.remoteLinks) {
      const present = has && ((remote.globalId && has.remoteLinkGlobalIds.has(remote.globalId)) || has.remoteLinkUrls.has(remote.object.url));
      if (!present) plan.remoteLinks.push(remote.globalId ?? remote.object.url);
    }
  }
  if (content.watchers) plan.watchers = issue.watchers.filter((accountId) => !has?.watchers.has(accountId));
  if (content.properties) plan.properties = Object.keys(issue.properties).filter((key) => !has?.propertyKeys.has(key));
  if (issue.voters.length > 0) skipped.push({ what: `${issue.voters.length} vote(s)`, reason: 'Jira lets only the voting user cast a vote; voters are kept in the snapshot' });
  if (content.sprints && input.sprintFieldId && action === 'create') planSprint(issue, input, plan, skipped);
  return plan;
}

function otherEnd(where: IssueWhereabouts, sourceId: string): 'restored' | 'existing' | undefined {
  if (where.restored.has(sourceId)) return 'restored';
  if (where.live.has(sourceId)) return 'existing';
  return undefined;
}

/** During planning a restored issue has no key yet: its original key stands in (the executor resolves the real one). */
export function keyResolver(where: IssueWhereabouts): (sourceId: string | undefined, sourceKey: string | undefined) => string | undefined {
  return (sourceId, sourceKey) => {
    const id = sourceId || (sourceKey ? where.idByKey.get(sourceKey) : undefined);
    if (!id) return sourceKey && [...where.live.values()].find((l) => l.key === sourceKey)?.key;
    if (where.restored.has(id)) return sourceKey ?? id;
    return where.live.get(id)?.key;
  };
}

function planLinks(issue: SnapshotIssue, links: SnapshotIssueLink[], where: IssueWhereabouts, has: LiveIssueState | undefined, skipped: Skipped[]): PlannedLink[] {
  const planned: PlannedLink[] = [];
  for (const link of links) {
    const outward = link.outwardIssue !== undefined;
    const other = (link.outwardIssue ?? link.inwardIssue)!;
    const end = otherEnd(where, other.id);
    if (!end) {
      skipped.push({ what: `link "${link.type.name}" with ${other.key ?? other.id}`, reason: `${other.key ?? other.id} is neither restored nor on the site` });
      continue;
    }
    // A link between two restored issues is listed in both bundles; the outward side's owner creates it.
    if (end === 'restored' && !outward && where.restored.has(issue.id)) continue;
    const outwardSourceId = outward ? issue.id : other.id;
    const inwardSourceId = outward ? other.id : issue.id;
    if (has && end === 'existing') {
      const otherLive = where.live.get(other.id)!.id;
      const signature = outward ? linkSignature(link.type.name, has.id, otherLive) : linkSignature(link.type.name, otherLive, has.id);
      if (has.linkSignatures.has(signature)) continue;
    }
    planned.push({ sourceLinkId: link.id, typeName: link.type.name, outwardSourceId, inwardSourceId, otherKey: other.key ?? other.id, otherEnd: end });
  }
  return planned;
}

function planSprint(issue: SnapshotIssue, input: IssuePlanInput, plan: IssuePlan, skipped: Skipped[]): void {
  const sprints = (issue.fields[input.sprintFieldId!] as { id: number; name: string; state: string }[] | null | undefined) ?? [];
  const open = sprints.filter((s) => s.state !== 'closed');
  for (const closed of sprints.filter((s) => s.state === 'closed')) {
    skipped.push({ what: `membership of closed sprint "${closed.name}"`, reason: 'Jira adds issues only to open or active sprints' });
  }
  const candidate = open[open.length - 1];
  if (!candidate) return;
  const known = input.sprintsById.get(candidate.id);
  if (!known?.live) {
    skipped.push({ what: `membership of sprint "${candidate.name}"`, reason: 'the sprint no longer exists on the site' });
    return;
  }
  plan.sprint = { sprintId: candidate.id, name: candidate.name };
}
