import type { RestoreChoice, RestoreStatusView } from './restore-types';

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
