import { issueFieldWrites } from '../issue-payload';
import { isItemRefusal, jiraJson } from '../jira-call';
import { saveJob, saveResult } from '../job-state';
import { liveIssues } from '../live-site';
import type { FieldNotSet } from '../plan-types';
import type { StepContext } from '../step-context';
import { walkToStatus } from '../transitions';
import { newResult } from './create-issues';

/**
 * Puts existing issues' fields back to their snapshot values with one edit each (override flags: screens and
 * the editable flag of closed issues must not block an admin's revert), then walks the status back. Both are
 * idempotent: a rerun compares with the live issue again and writes only what still differs.
 */
export async function runRevertPhase(step: StepContext): Promise<void> {
  const { job, deps, plan } = step;
  const issues = plan.issues.filter((issue) => issue.action === 'revert');
  while (job.cursor < issues.length) {
    step.checkBudget();
    const issue = issues[job.cursor];
    const result = newResult(issue);
    const snapshot = await step.snapshotIssue(issue.sourceId);
    const [live] = await liveIssues(deps.jira, [issue.existing!.id]);
    if (!live) {
      result.error = 'the issue no longer exists on the site';
    } else {
      result.target = { id: live.id, key: live.key };
      const context = await step.target();
      const only = new Set(issue.fieldsSet.map((f) => f.fieldId));
      const writes = await issueFieldWrites(snapshot, '', context, { issueKeyFor: await step.keyResolverFor([snapshot]) }, { only, compareWith: live.fields, forEdit: true });
      const { set, notSet } = await editDroppingRejected(step, live.id, writes.fields, writes.set);
      result.fieldsSet = set;
      result.fieldsNotSet = [...issue.fieldsNotSet, ...writes.notSet, ...notSet];
      if (issue.targetStatus) {
        const resolution = (snapshot.fields.resolution as { name?: string } | null | undefined)?.name;
        try {
          result.status = { target: issue.targetStatus, ...(await walkToStatus(deps.jira, live.id, issue.targetStatus, resolution)) };
        } catch (error) {
          if (!isItemRefusal(error)) throw error; // after a 5xx the rerun walks on from the live status
          result.status = { target: issue.targetStatus, reached: false, path: [], reason: error.message };
        }
      }
    }
    await saveResult(deps.kv, job.id, result);
    job.cursor++;
    step.markProgress();
    await saveJob(deps.kv, job);
  }
}

/**
 * Edits the issue, and after each refusal edits again without the fields Jira rejected (each reported as not set with
 * Jira's words). A field is reported set only once an edit carrying it succeeded. Every refusal drops at least one
 * field, so this ends within one attempt per field.
 */
async function editDroppingRejected(
  step: StepContext,
  issueId: string,
  fields: Record<string, unknown>,
  planned: { targetFieldId: string; name: string; fieldId: string }[],
): Promise<{ set: string[]; notSet: FieldNotSet[] }> {
  const notSet: FieldNotSet[] = [];
  const remaining = { ...fields };
  const nameOf = (field: string) => planned.find((p) => p.targetFieldId === field)?.name ?? field;
  while (Object.keys(remaining).length > 0) {
    try {
      await jiraJson(step.deps.jira, {
        method: 'PUT',
        path: `/rest/api/3/issue/${issueId}`,
        query: { notifyUsers: false, overrideScreenSecurity: true, overrideEditableFlag: true },
        json: { fields: remaining },
      });
      return { set: planned.filter((p) => p.targetFieldId in remaining).map((p) => p.name), notSet };
    } catch (error) {
      if (!isItemRefusal(error)) throw error;
      const rejected = Object.keys(error.fieldErrors).filter((field) => field in remaining);
      // Jira named none of the fields sent: none can be shown as set, so all that is left gets Jira's message.
      for (const field of rejected.length > 0 ? rejected : Object.keys(remaining)) {
        delete remaining[field];
        notSet.push({ fieldId: field, name: nameOf(field), reason: rejected.length > 0 ? `Jira rejected the value: ${error.fieldErrors[field]}` : `Jira refused the edit: ${error.jiraMessage}` });
      }
    }
  }
  return { set: [], notSet };
}
