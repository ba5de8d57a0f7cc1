/**
 * Changes to the ground truth shared by the write endpoints and the concurrent-change fault: each keeps the
 * indexes (key map, attachment map, links) consistent and bumps `updated` the way Jira does.
 */
import { SimIssue, type SimChangeItem, type SimIssueInit, type SiteData } from './model';

export function nextId(site: SiteData, counter: keyof SiteData['counters']): number {
  site.counters[counter] += 1;
  return site.counters[counter];
}

export type NewIssue = Omit<SimIssueInit, 'id' | 'key' | 'created' | 'updated' | 'attachmentIds'>;

export function insertIssue(site: SiteData, fields: NewIssue, now: number): SimIssue {
  const project = site.projects.find((p) => p.id === fields.projectId);
  if (!project) throw new Error(`insertIssue: project ${fields.projectId} does not exist`);
  const id = nextId(site, 'issue');
  const key = `${project.key}-${project.nextIssueNumber++}`;
  const issue = new SimIssue({ ...fields, id, key, created: now, updated: now, attachmentIds: [] });
  site.issues.set(id, issue);
  site.issueIdsByKey.set(key, id);
  return issue;
}

/** Records a change history entry and bumps `updated`. */
export function recordChange(site: SiteData, issue: SimIssue, authorId: string, now: number, items: SimChangeItem[]): void {
  if (items.length > 0) issue.changelog.push({ id: nextId(site, 'change'), authorId, created: now, items });
  touch(issue, now);
}

export function touch(issue: SimIssue, now: number): void {
  issue.updated = Math.max(issue.updated, now);
}

/** Deletes an issue with its attachments and links. `now` stamps the worklog tombstones (default: the wall clock). */
export function deleteIssue(site: SiteData, issueId: number, now: number = Date.now()): boolean {
  const issue = site.issues.get(issueId);
  if (!issue) return false;
  // Jira reports the worklogs of a deleted issue as deleted worklogs.
  for (const w of issue.worklogs) recordWorklogDeletion(site, w.id, issueId, now);
  site.issues.delete(issueId);
  site.issueIdsByKey.delete(issue.key);
  for (const id of issue.attachmentIds) site.attachments.delete(id);
  site.links = site.links.filter((l) => l.inwardIssueId !== issueId && l.outwardIssueId !== issueId);
  return true;
}

export function recordWorklogDeletion(site: SiteData, worklogId: number, issueId: number, at: number): void {
  (site.worklogTombstones ??= []).push({ worklogId, issueId, deletedAt: at });
}

export function deleteProject(site: SiteData, projectId: number, now: number = Date.now()): void {
  for (const issue of [...site.issues.values()]) if (issue.projectId === projectId) deleteIssue(site, issue.id, now);
  site.projects = site.projects.filter((p) => p.id !== projectId);
  const boardIds = site.boards.filter((b) => b.projectId === projectId).map((b) => b.id);
  site.boards = site.boards.filter((b) => b.projectId !== projectId);
  site.sprints = site.sprints.filter((s) => !boardIds.includes(s.boardId));
}
