import { isItemRefusal, jiraJson } from '../jira-call';
import { saveJob } from '../job-state';
import { liveIssues } from '../live-site';
import { linkSignature, liveLinkSignatures } from '../live-state';
import type { PlannedLink } from '../plan-types';
import type { SnapshotIssueLink } from '../snapshot-view';
import type { StepContext } from '../step-context';

export function plannedLinks(plan: { issues: { blockedReason?: string; links: PlannedLink[] }[] }): PlannedLink[] {
  return plan.issues.filter((issue) => !issue.blockedReason).flatMap((issue) => issue.links);
}

/**
 * Issue links, after every issue exists (both ends may be re-created). Jira's create-link call returns no id, so
 * the link's snapshot id goes into the id map once created, and a link in flight at a crash is looked for on the
 * live issue before it is created again.
 */
export async function runLinksPhase(step: StepContext): Promise<void> {
  const { job, deps } = step;
  const links = plannedLinks(step.plan);
  job.links.total = links.length;
  while (job.cursor < links.length) {
    step.checkBudget();
    const link = links[job.cursor];
    const outcome = await restoreLink(step, link);
    if (outcome === 'done') job.links.done++;
    else job.links.failures.push({ item: `${link.typeName} ${link.outwardSourceId} → ${link.inwardSourceId}`, reason: outcome.reason });
    job.inFlight = [];
    job.cursor++;
    step.markProgress();
    await saveJob(deps.kv, job);
  }
}

async function restoreLink(step: StepContext, link: PlannedLink): Promise<'done' | { reason: string }> {
  const { idMap, job, deps } = step;
  if (await idMap.get('link', link.sourceLinkId)) return 'done';
  const outward = await step.liveIssueFor(link.outwardSourceId);
  const inward = await step.liveIssueFor(link.inwardSourceId);
  if (!outward || !inward) return { reason: `the ${!outward ? 'outward' : 'inward'} issue was not restored` };
  if (job.inFlight.includes(link.sourceLinkId)) {
    const [live] = await liveIssues(deps.jira, [outward.id], ['issuelinks']);
    if (live && liveLinkSignatures(live.id, live.fields.issuelinks as SnapshotIssueLink[]).has(linkSignature(link.typeName, outward.id, inward.id))) {
      await idMap.set('link', link.sourceLinkId, { targetId: `${outward.id}-${inward.id}`, jobId: job.id });
      return 'done';
    }
  }
  job.inFlight = [link.sourceLinkId];
  await saveJob(deps.kv, job);
  try {
    // In POST /issueLink the issue named `inwardIssue` is the one whose view shows the outward description
    // ("A blocks B" is created as inwardIssue A, outwardIssue B): the snapshot's outward side goes there.
    await jiraJson(deps.jira, { method: 'POST', path: '/rest/api/3/issueLink', json: { type: { name: link.typeName }, inwardIssue: { id: outward.id }, outwardIssue: { id: inward.id } } });
  } catch (error) {
    // Only a 4xx is a refusal; after a 5xx the link may exist, so the step stops and the rerun looks for it.
    if (isItemRefusal(error)) return { reason: error.message };
    throw error;
  }
  await idMap.set('link', link.sourceLinkId, { targetId: `${outward.id}-${inward.id}`, jobId: job.id });
  return 'done';
}
