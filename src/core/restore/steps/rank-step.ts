import { isItemRefusal, jiraJson } from '../jira-call';
import type { StepContext } from '../step-context';

/**
 * Restores the relative order of the re-created issues (rank values themselves are Jira's to assign): each batch of
 * at most 50 is ranked right after the issue before it. Re-running it yields the same order, so it needs no map.
 */
export async function runRankPhase(step: StepContext): Promise<void> {
  const { plan, job, deps } = step;
  const order = plan.rank?.order ?? [];
  const keys: string[] = [];
  for (const sourceId of order) {
    const live = await step.liveIssueFor(sourceId);
    if (live) keys.push(live.key);
  }
  if (keys.length < 2) {
    job.rank = { done: true };
    return;
  }
  const failures: string[] = [];
  try {
    for (let start = 1; start < keys.length; start += 50) {
      step.checkBudget();
      // 207 = some issues could not be ranked; their entries say why.
      const answer = await jiraJson<{ entries?: { issueId?: number; status?: number; errors?: { errorMessages?: string[] } }[] } | undefined>(deps.jira, {
        method: 'PUT',
        path: '/rest/agile/1.0/issue/rank',
        json: { issues: keys.slice(start, start + 50), rankAfterIssue: keys[start - 1] },
      });
      for (const entry of answer?.entries ?? []) {
        if (entry.status !== undefined && entry.status >= 300) failures.push(`${entry.issueId}: ${entry.errors?.errorMessages?.join(', ') ?? `status ${entry.status}`}`);
      }
    }
    job.rank = failures.length === 0 ? { done: true } : { done: false, reason: `${failures.length} issue(s) could not be ranked (${failures.slice(0, 5).join('; ')})` };
  } catch (error) {
    // A 5xx may follow a rank Jira applied: the step is redelivered and ranks again (same order), not reported as failed.
    if (isItemRefusal(error)) job.rank = { done: false, reason: error.message };
    else throw error;
  }
}
