import type { KeyValue } from '../../ports';
import { loadJob, resultPrefix, type Count, type IssueResult, type RestoreJob } from './job-state';
import { loadPlan } from './plan-store';
import type { PlanTotals, RestorePlan } from './plan-types';
import type { RestoreDeps } from './restore-deps';

/**
 * How a finished restore went (`job.status` 'done' only says it finished): `complete` when everything planned was
 * restored, `partial` when some items were not, `failed` when issues were planned and none of them was restored.
 */
export type RestoreOutcome = 'complete' | 'partial' | 'failed';

export interface RestoreStatus {
  job: RestoreJob;
  /** Set once the job is done (undefined while it runs; a job that failed as a whole is 'failed'). */
  outcome?: RestoreOutcome;
  totals: PlanTotals;
  notSettable: string[];
  issues: IssueResult[];
  /** One line per issue with partial results ("comments: 3 of 5 restored", and why), for the control panel and logs. */
  report: string[];
}

export async function getRestoreStatus(deps: Pick<RestoreDeps, 'kv'>, jobId: string): Promise<RestoreStatus | undefined> {
  const job = await loadJob(deps.kv, jobId);
  if (!job) return undefined;
  const plan = await loadPlan(deps.kv, job.planId);
  const issues = await allResults(deps.kv, jobId);
  const order = new Map((plan?.issues ?? []).map((issue, index) => [issue.sourceId, index]));
  issues.sort((a, b) => (order.get(a.sourceId) ?? 0) - (order.get(b.sourceId) ?? 0));
  const report = issues.map(issueLine);
  if (job.links.total > 0) report.push(`links: ${countText(job.links)}`);
  if (job.rank && !job.rank.done) report.push(`rank: not restored (${job.rank.reason})`);
  if (job.project?.created) report.push(`project ${plan?.target.projectKey} created`);
  for (const [what, count] of [['components', job.project?.components], ['versions', job.project?.versions]] as const) {
    if (count && count.total > 0) report.push(`${what}: ${countText(count)}`);
  }
  if (job.error) report.push(`${job.status === 'failed' ? 'failed' : 'last error'}: ${job.error}`);
  const outcome = job.status === 'done' ? outcomeOf(job, plan, issues) : job.status === 'failed' ? 'failed' : undefined;
  return { job, outcome, totals: plan?.totals ?? ({} as PlanTotals), notSettable: plan?.notSettable ?? [], issues, report };
}

/** The outcome of a finished job, from its issue results and the job's own counts (links, rank, project). */
export function outcomeOf(job: RestoreJob, plan: RestorePlan | undefined, issues: IssueResult[]): RestoreOutcome {
  if (issues.length > 0 && issues.every((issue) => issue.error)) return 'failed';
  // Fields the dry run already listed as not settable were never planned; only fields Jira rejected during the run count.
  const expectedNotSet = new Map((plan?.issues ?? []).map((issue) => [issue.sourceId, new Set(issue.fieldsNotSet.map((f) => f.fieldId))]));
  const issueShort = (issue: IssueResult) =>
    !!issue.error ||
    issue.fieldsNotSet.some((f) => !expectedNotSet.get(issue.sourceId)?.has(f.fieldId)) ||
    (issue.status !== undefined && !issue.status.reached) ||
    (issue.sprint !== undefined && !issue.sprint.done) ||
    (['comments', 'worklogs', 'attachments', 'remoteLinks', 'watchers', 'properties'] as const).some((what) => issue[what].failures.length > 0);
  const jobShort =
    job.links.failures.length > 0 ||
    (job.rank !== undefined && !job.rank.done) ||
    (job.project?.components.failures.length ?? 0) > 0 ||
    (job.project?.versions.failures.length ?? 0) > 0;
  return issues.some(issueShort) || jobShort ? 'partial' : 'complete';
}

async function allResults(kv: KeyValue, jobId: string): Promise<IssueResult[]> {
  const results: IssueResult[] = [];
  let cursor: string | undefined;
  do {
    const page = await kv.list<IssueResult>(resultPrefix(jobId), { cursor, limit: 100 });
    results.push(...page.entries.map((entry) => entry.value));
    cursor = page.nextCursor;
  } while (cursor);
  return results;
}

export function countText(count: Count): string {
  const base = `${count.done} of ${count.total} restored`;
  if (count.failures.length === 0) return base;
  return `${base} (${count.failures.map((f) => `${f.item}: ${f.reason}`).join('; ')})`;
}

function issueLine(result: IssueResult): string {
  const head = `${result.sourceKey}${result.target ? ` → ${result.target.key}` : ''} (${result.action}${result.reusedExisting ? ', found from an earlier run' : ''})`;
  if (result.error) return `${head}: not restored: ${result.error}`;
  const parts: string[] = [];
  if (result.fieldsSet.length > 0 || result.fieldsNotSet.length > 0) {
    parts.push(`fields: ${result.fieldsSet.length} set${result.fieldsNotSet.length > 0 ? `, not set: ${result.fieldsNotSet.map((f) => `${f.name} (${f.reason})`).join('; ')}` : ''}`);
  }
  if (result.status) parts.push(`status: ${result.status.reached ? `now "${result.status.target}"` : `not "${result.status.target}" (${result.status.reason})`}`);
  for (const what of ['comments', 'worklogs', 'attachments', 'remoteLinks', 'watchers', 'properties'] as const) {
    if (result[what].total > 0) parts.push(`${what}: ${countText(result[what])}`);
  }
  if (result.sprint) parts.push(`sprint "${result.sprint.name}": ${result.sprint.done ? 'added' : `not added (${result.sprint.reason})`}`);
  return `${head}: ${parts.join('; ') || 'nothing to do'}`;
}
