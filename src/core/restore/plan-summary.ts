import type { IssuePlan, PlanTotals } from './plan-types';
import type { SnapshotIssue } from './snapshot-view';

/** Listed once per plan: what Jira never lets an app set, and how the restore keeps it visible instead. */
export const NOT_SETTABLE_SUMMARY = [
  'Issue keys and ids are assigned by Jira: the original key and id are kept in the issue property "backup-center-origin".',
  'Created and updated times, resolution date and creator are set by Jira: the originals are kept in the same property.',
  'Comment and worklog authors and creation times are recorded as the app at restore time: each restored comment and worklog starts with "Originally by X on D" (a worklog keeps its original start time).',
  'Attachment authors and upload times are recorded as the app at restore time: the originals are kept in the origin property.',
  'The change history (changelog) has no write API: it stays in the snapshot.',
  'Votes can only be cast by the voting user: voters stay in the snapshot.',
  'Rank values are assigned by Jira: the relative order of restored issues is restored, not the LexoRank strings.',
  'Closed sprints take no issues: membership of closed sprints stays in the snapshot.',
];

export function projectKeyOf(issue: SnapshotIssue): string {
  const project = issue.fields.project as { key?: string } | undefined;
  if (project?.key) return project.key;
  return issue.key.split('-')[0];
}

export function totalsOf(issues: IssuePlan[], scope: SnapshotIssue[]): PlanTotals {
  const sizes = new Map(scope.flatMap((i) => i.attachments.map((a) => [a.id, a.size] as const)));
  const sum = (f: (i: IssuePlan) => number) => issues.reduce((total, issue) => total + (issue.blockedReason ? 0 : f(issue)), 0);
  return {
    issuesToCreate: issues.filter((i) => i.action === 'create' && !i.blockedReason).length,
    issuesToUpdate: issues.filter((i) => i.action === 'update' && hasWork(i)).length,
    issuesToRevert: issues.filter((i) => i.action === 'revert' && hasWork(i)).length,
    comments: sum((i) => i.comments.length),
    worklogs: sum((i) => i.worklogs.length),
    attachments: sum((i) => i.attachments.length),
    attachmentBytes: sum((i) => i.attachments.reduce((s, a) => s + (sizes.get(a.sourceId) ?? a.size), 0)),
    links: sum((i) => i.links.length),
    remoteLinks: sum((i) => i.remoteLinks.length),
    watchers: sum((i) => i.watchers.length),
    properties: sum((i) => i.properties.length),
    fieldsNotSet: sum((i) => i.fieldsNotSet.length),
  };
}

export function hasWork(issue: IssuePlan): boolean {
  return (
    issue.action === 'create' ||
    issue.fieldsSet.length + issue.comments.length + issue.worklogs.length + issue.attachments.length + issue.links.length + issue.remoteLinks.length + issue.watchers.length + issue.properties.length > 0 ||
    issue.targetStatus !== undefined
  );
}

