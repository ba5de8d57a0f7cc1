import { JiraCallError, jiraJson } from '../jira-call';
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
  try {
    for (let start = 1; start < keys.length; start += 50) {
      step.checkBudget();
      await jiraJson(deps.jira, { method: 'PUT', path: '/rest/agile/1.0/issue/rank', json: { issues: keys.slice(start, start + 50), rankAfterIssue: keys[start - 1] } });
    }
    job.rank = { done: true };
  } catch (error) {
    if (error instanceof JiraCallError && !error.rateLimited && error.status !== 401) job.rank = { done: false, reason: error.message };
    else throw error;
  }
}
