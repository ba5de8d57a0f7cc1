import { sameValue } from './issue-payload';
import { liveComments, liveIssueIds, liveIssues } from './live-site';
import { CUSTOM_TYPES_WITH_OWN_STEP, NOT_SETTABLE_SYSTEM_FIELDS } from './not-settable';
import { NO_PROGRESS, type PlanningProgress } from './planning-progress';
import type { RestoreDeps } from './restore-deps';
import type { FieldDefinition, SnapshotIssue, SnapshotIssueSummary } from './snapshot-view';

/** Browsing a snapshot for the control panel: projects, issue search, one issue as it was, and a diff with the live site. */

export async function listSnapshotProjects(deps: Pick<RestoreDeps, 'snapshots'>, snapshotId: string): Promise<{ id: string; key: string; name: string; issueCount: number }[]> {
  const view = await deps.snapshots.open(snapshotId);
  const result = [];
  for (const project of await view.projects()) {
    let issueCount = 0;
    for await (const _issue of view.issues(project.key)) issueCount++;
    result.push({ id: project.id, key: project.key, name: project.name, issueCount });
  }
  return result;
}

export interface IssueFilter {
  projectKey: string;
  /** Matches the issue key exactly or the summary as a case-insensitive substring. */
  text?: string;
  issueType?: string;
  status?: string;
  /** accountId or display name. */
  assignee?: string;
  limit?: number;
}

export function summaryOf(issue: SnapshotIssue, projectKey: string): SnapshotIssueSummary {
  const f = issue.fields as { summary?: string; issuetype?: { name?: string }; status?: { name?: string }; assignee?: { accountId?: string; displayName?: string } | null };
  return {
    id: issue.id,
    key: issue.key,
    projectKey,
    summary: f.summary ?? '',
    issueType: f.issuetype?.name ?? '',
    status: f.status?.name ?? '',
    assigneeAccountId: f.assignee?.accountId,
    assigneeName: f.assignee?.displayName,
  };
}

export async function findIssues(deps: Pick<RestoreDeps, 'snapshots'>, snapshotId: string, filter: IssueFilter): Promise<SnapshotIssueSummary[]> {
  const view = await deps.snapshots.open(snapshotId);
  const text = filter.text?.trim().toLowerCase();
  const found: SnapshotIssueSummary[] = [];
  for await (const issue of view.issues(filter.projectKey)) {
    const summary = summaryOf(issue, filter.projectKey);
    if (text && summary.key.toLowerCase() !== text && !summary.summary.toLowerCase().includes(text)) continue;
    if (filter.issueType && summary.issueType.toLowerCase() !== filter.issueType.toLowerCase()) continue;
    if (filter.status && summary.status.toLowerCase() !== filter.status.toLowerCase()) continue;
    if (filter.assignee && ![summary.assigneeAccountId, summary.assigneeName?.toLowerCase()].includes(filter.assignee.toLowerCase()) && summary.assigneeAccountId !== filter.assignee) continue;
    found.push(summary);
    if (found.length >= (filter.limit ?? 100)) break;
  }
  return found;
}

/** One issue as it was in the snapshot, with field names beside the ids for display. */
export async function showIssue(
  deps: Pick<RestoreDeps, 'snapshots'>,
  snapshotId: string,
  idOrKey: string,
): Promise<(SnapshotIssue & { namedFields: { id: string; name: string; value: unknown }[] }) | undefined> {
  const view = await deps.snapshots.open(snapshotId);
  const issue = await view.issue(idOrKey);
  if (!issue) return undefined;
  const names = new Map((await view.fields()).map((f) => [f.id, f.name]));
  const namedFields = Object.entries(issue.fields)
    .filter(([, value]) => value !== null && value !== undefined)
    .map(([id, value]) => ({ id, name: names.get(id) ?? id, value }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return { ...issue, namedFields };
}

export interface ProjectDiff {
  snapshotId: string;
  projectKey: string;
  /** In the snapshot, gone from the site. */
  deletedIssues: SnapshotIssueSummary[];
  /** Issues on the site whose fields differ from the snapshot (only fields a restore or revert can write); `summary` as in the snapshot. */
  changedIssues: { key: string; id: string; summary: string; fields: { id: string; name: string; snapshot: unknown; live: unknown }[] }[];
  deletedComments: { issueKey: string; commentId: string; author?: string; created: string }[];
  deletedAttachments: { issueKey: string; attachmentId: string; filename: string; size: number }[];
  /** Issues created after the snapshot (not touched by a restore). */
  newIssueCount: number;
}

/**
 * What differs between a snapshot and the live site for one project. Reads the site; writes nothing. `progress` hears
 * of each issue read (from the backup, then compared with the site) and may throw to stop a diff past its budget.
 */
export async function diffProject(deps: Pick<RestoreDeps, 'snapshots' | 'jira'>, snapshotId: string, projectKey: string, progress: PlanningProgress = NO_PROGRESS): Promise<ProjectDiff> {
  const view = await deps.snapshots.open(snapshotId);
  const fields = new Map((await view.fields()).map((f) => [f.id, f]));
  const snapshotIssues: SnapshotIssue[] = [];
  for await (const issue of view.issues(projectKey)) {
    snapshotIssues.push(issue);
    await progress.readFromBackup();
  }
  const liveIds = new Set(await liveIssueIds(deps.jira, `project = "${projectKey}"`));
  const live = new Map((await liveIssues(deps.jira, snapshotIssues.filter((i) => liveIds.has(i.id)).map((i) => i.id))).map((i) => [i.id, i]));
  const diff: ProjectDiff = { snapshotId, projectKey, deletedIssues: [], changedIssues: [], deletedComments: [], deletedAttachments: [], newIssueCount: 0 };
  const snapshotIds = new Set(snapshotIssues.map((i) => i.id));
  diff.newIssueCount = [...liveIds].filter((id) => !snapshotIds.has(id)).length;
  for (const issue of snapshotIssues) {
    await progress.readFromSite();
    const current = live.get(issue.id);
    if (!current) {
      diff.deletedIssues.push(summaryOf(issue, projectKey));
      continue;
    }
    const changed = changedFields(issue.fields, current.fields, fields);
    if (changed.length > 0) diff.changedIssues.push({ key: current.key, id: current.id, summary: summaryOf(issue, projectKey).summary, fields: changed });
    const embedded = current.fields.comment as { comments?: { id: string }[]; total?: number } | undefined;
    const liveCommentIds = new Set(
      ((embedded?.total ?? 0) > (embedded?.comments?.length ?? 0) ? await liveComments(deps.jira, current.id) : embedded?.comments ?? []).map((c) => c.id),
    );
    for (const comment of issue.comments) {
      if (!liveCommentIds.has(comment.id)) diff.deletedComments.push({ issueKey: issue.key, commentId: comment.id, author: comment.author?.displayName ?? comment.author?.accountId, created: comment.created });
    }
    const liveAttachmentIds = new Set(((current.fields.attachment as { id: string }[] | undefined) ?? []).map((a) => String(a.id)));
    for (const attachment of issue.attachments) {
      if (!liveAttachmentIds.has(attachment.id)) diff.deletedAttachments.push({ issueKey: issue.key, attachmentId: attachment.id, filename: attachment.filename, size: attachment.size });
    }
  }
  return diff;
}

function changedFields(snapshot: Record<string, unknown>, live: Record<string, unknown>, definitions: Map<string, FieldDefinition>): ProjectDiff['changedIssues'][number]['fields'] {
  const changed = [];
  for (const id of new Set([...Object.keys(snapshot), ...Object.keys(live)])) {
    const definition = definitions.get(id);
    if (!definition || (id in NOT_SETTABLE_SYSTEM_FIELDS && id !== "status" && id !== "resolution")) continue;
    if (definition.schema?.custom && CUSTOM_TYPES_WITH_OWN_STEP[definition.schema.custom]) continue;
    if (!sameValue(live[id], snapshot[id])) changed.push({ id, name: definition.name, snapshot: snapshot[id] ?? null, live: live[id] ?? null });
  }
  return changed;
}
