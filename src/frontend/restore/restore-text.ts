import type { PlanningStatusView, RestoreChoice, RestoreStatusView } from './restore-types';

/** Pure texts and request shaping for the Restore tab (kept out of the components so they read simply). */

export function requestFor(choice: RestoreChoice, projectKey: string): Record<string, unknown> {
  if (choice.mode === 'issues' || choice.mode === 'revert') return { kind: choice.mode, issueIds: choice.issues.map((issue) => issue.id) };
  if (choice.target === 'new') return { kind: 'project', projectKey, newProject: { key: choice.newProjectKey.trim().toUpperCase() } };
  return { kind: 'project', projectKey };
}

const PHASE_TEXT: Record<RestoreStatusView['phase'], string> = {
  project: 'Preparing the project (components, versions)',
  issues: 'Creating issues',
  content: 'Restoring comments, worklogs, attachments and other content',
  links: 'Linking issues',
  rank: 'Restoring the order of issues',
  revert: 'Reverting fields',
  done: 'Finished',
};

export function phaseText(status: RestoreStatusView): string {
  if (status.state === 'failed') return 'The restore stopped';
  if (status.state === 'waiting') return `${PHASE_TEXT[status.phase]} (paused: Jira asked us to slow down, it resumes by itself)`;
  return PHASE_TEXT[status.phase];
}

export function progressFraction(status: RestoreStatusView): number {
  if (status.state === 'done') return 1;
  return status.progress.total > 0 ? Math.min(1, status.progress.done / status.progress.total) : 0;
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

export function isFinished(status: RestoreStatusView | undefined): boolean {
  return status?.state === 'done' || status?.state === 'failed';
}

/**
 * A fresh id for one dry run or comparison. A retried call carries the same id, so the resolver queues it once; a new
 * click makes a new id, so the site is read again.
 */
export function newRequestId(): string {
  return `q${Date.now().toString(36)}${Math.random().toString(36).slice(2, 12)}`;
}

/** "Preparing the dry run… (120 issues read, 40 compared with the site)". */
export function planningText(what: string, status: PlanningStatusView | undefined): string {
  if (!status || status.state === 'queued') return `${what}… (${status?.issuesRead ?? 0} issues read; waiting for the background worker)`;
  const compared = status.issuesCompared > 0 ? `, ${status.issuesCompared} compared with the site` : '';
  return `${what}… (${status.issuesRead} issues read${compared})`;
}
