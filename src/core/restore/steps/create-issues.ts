import { issueFieldWrites } from '../issue-payload';
import { isItemRefusal, jiraJson, JiraCallError } from '../jira-call';
import { emptyCount, loadResult, saveJob, saveResult, type IssueResult } from '../job-state';
import { issueOrigin, ORIGIN_PROPERTY_KEY, userLabel } from '../origin';
import { findByOrigin } from '../origin-search';
import type { FieldNotSet, IssuePlan } from '../plan-types';
import type { StepContext } from '../step-context';

/** Jira's bulk create takes at most 50 issues. */
const BATCH = 50;

interface CreatedIssues {
  issues: { id: string; key: string }[];
  errors: { failedElementNumber: number; status?: number; elementErrors?: { errorMessages?: string[]; errors?: Record<string, string> } }[];
}

/** The issues of one wave, in plan order, that this phase must create. */
export function waveIssues(plan: { issues: IssuePlan[] }, wave: number): IssuePlan[] {
  return plan.issues.filter((issue) => issue.action === 'create' && !issue.blockedReason && issue.wave === wave);
}

/**
 * Creates the wave's issues in bulk batches. Before a batch is sent its source ids are recorded as in flight; after
 * Jira answers, each new id is written to the id map at once. A step that starts with ids still in flight finds what
 * Jira did create by the origin property, so a crash anywhere never duplicates an issue.
 */
export async function runCreateWave(step: StepContext, wave: number): Promise<void> {
  const { job, deps, plan } = step;
  const issues = waveIssues(plan, wave);
  if (job.inFlight.length > 0) {
    const found = await findByOrigin(deps.jira, plan.target.projectKey, job.inFlight);
    for (const [sourceId, live] of found) await step.idMap.set('issue', sourceId, { targetId: live.id, targetKey: live.key, jobId: job.id });
    job.inFlight = [];
    await saveJob(deps.kv, job);
  }
  while (job.cursor < issues.length) {
    step.checkBudget();
    const batch = issues.slice(job.cursor, job.cursor + BATCH);
    const pending: IssuePlan[] = [];
    for (const issue of batch) {
      const mapped = await step.idMap.get('issue', issue.sourceId);
      if (mapped) await recordCreated(step, issue, { id: mapped.targetId, key: mapped.targetKey ?? mapped.targetId }, [], [], true);
      else pending.push(issue);
    }
    if (pending.length > 0) {
      job.inFlight = pending.map((issue) => issue.sourceId);
      await saveJob(deps.kv, job);
      await createBatch(step, pending);
    }
    job.inFlight = [];
    job.cursor += batch.length;
    step.markProgress();
    await saveJob(deps.kv, job);
  }
}

async function createBatch(step: StepContext, batch: IssuePlan[]): Promise<void> {
  const payloads = await Promise.all(batch.map((issue) => payloadFor(step, issue)));
  let answer: CreatedIssues;
  try {
    answer = await jiraJson<CreatedIssues>(step.deps.jira, { method: 'POST', path: '/rest/api/3/issue/bulk', json: { issueUpdates: payloads.map((p) => p.body) } });
  } catch (error) {
    // Bulk create answers 400 when every issue failed; the per-element errors are in the same body shape.
    if (!(error instanceof JiraCallError) || error.status !== 400) throw error;
    const body = error.body as Partial<CreatedIssues> | undefined;
    answer = Array.isArray(body?.errors)
      ? { issues: [], errors: body.errors }
      : { issues: [], errors: batch.map((_, index) => ({ failedElementNumber: index, elementErrors: { errorMessages: [error.jiraMessage], errors: error.fieldErrors } })) };
  }
  const failed = new Map(answer.errors.map((e) => [e.failedElementNumber, e]));
  let createdIndex = 0;
  for (let index = 0; index < batch.length; index++) {
    const issue = batch[index];
    const failure = failed.get(index);
    if (!failure) {
      const created = answer.issues[createdIndex++];
      await step.idMap.set('issue', issue.sourceId, { targetId: created.id, targetKey: created.key, jobId: step.job.id });
      await recordCreated(step, issue, created, payloads[index].set, payloads[index].notSet, false);
      continue;
    }
    await retryAlone(step, issue, payloads[index], failure.elementErrors?.errors ?? {}, failure.elementErrors?.errorMessages ?? []);
  }
}

/** One failed element is retried alone without the fields Jira rejected (each reported as not set, with Jira's words). */
async function retryAlone(step: StepContext, issue: IssuePlan, payload: Payload, fieldErrors: Record<string, string>, messages: string[]): Promise<void> {
  const rejected = Object.keys(fieldErrors).filter((field) => field in payload.body.fields && !['summary', 'project', 'issuetype'].includes(field));
  if (rejected.length === 0) {
    await recordFailure(step, issue, `Jira refused to create it: ${[...messages, ...Object.entries(fieldErrors).map(([f, m]) => `${f}: ${m}`)].join('; ') || 'no reason given'}`);
    return;
  }
  const fields = { ...payload.body.fields };
  for (const field of rejected) delete fields[field];
  const notSet = [
    ...payload.notSet,
    ...rejected.map((field) => ({ fieldId: field, name: payload.set.find((s) => s.targetFieldId === field)?.name ?? field, reason: `Jira rejected the value: ${fieldErrors[field]}` })),
  ];
  const set = payload.set.filter((s) => !rejected.includes(s.targetFieldId));
  try {
    const created = await jiraJson<{ id: string; key: string }>(step.deps.jira, { method: 'POST', path: '/rest/api/3/issue', json: { ...payload.body, fields } });
    await step.idMap.set('issue', issue.sourceId, { targetId: created.id, targetKey: created.key, jobId: step.job.id });
    await recordCreated(step, issue, created, set, notSet, false);
  } catch (error) {
    // A 5xx or network error may follow a create Jira did apply: the step stops with the batch in flight and the
    // rerun finds the issue by its origin property instead of recording it as not restored.
    if (!isItemRefusal(error)) throw error;
    await recordFailure(step, issue, `Jira refused to create it: ${error.message}`);
  }
}

interface Payload {
  body: { fields: Record<string, unknown>; properties: { key: string; value: unknown }[] };
  set: IssuePlan['fieldsSet'];
  notSet: FieldNotSet[];
}

async function payloadFor(step: StepContext, issue: IssuePlan): Promise<Payload> {
  const snapshot = await step.snapshotIssue(issue.sourceId);
  const context = await step.target();
  const issueKeyFor = await step.keyResolverFor([snapshot]);
  // The live project decides the type id (a project created by this restore has its own); the plan's is the fallback.
  const snapshotTypeId = (snapshot.fields.issuetype as { id?: string } | undefined)?.id ?? '';
  const fallback = context.issueTypeMap.has(snapshotTypeId) ? undefined : context.issueTypeFallbacks.get(snapshotTypeId);
  const typeId = context.issueTypeMap.get(snapshotTypeId) ?? fallback?.targetId ?? issue.issueType!.targetId;
  const writes = await issueFieldWrites(snapshot, typeId, context, { issueKeyFor });
  if (fallback) writes.notSet.unshift({ fieldId: 'issuetype', name: 'Issue Type', reason: fallback.reason });
  const origin = {
    ...issueOrigin(snapshot, step.plan.snapshotId),
    attachments: snapshot.attachments.map((a) => ({ originalId: a.id, filename: a.filename, author: a.author ? userLabel(a.author) : undefined, created: a.created })),
  };
  return {
    body: {
      fields: { ...writes.fields, project: { key: step.plan.target.projectKey }, issuetype: { id: typeId } },
      // The issue's own properties ride along with the create (one request instead of one per property).
      properties: [...issue.properties.filter((key) => key !== ORIGIN_PROPERTY_KEY).map((key) => ({ key, value: snapshot.properties[key] })), { key: ORIGIN_PROPERTY_KEY, value: origin }],
    },
    set: writes.set,
    notSet: writes.notSet,
  };
}

export function newResult(issue: IssuePlan): IssueResult {
  return {
    sourceId: issue.sourceId,
    sourceKey: issue.sourceKey,
    action: issue.action,
    fieldsSet: [],
    fieldsNotSet: [],
    comments: emptyCount(issue.comments.length),
    worklogs: emptyCount(issue.worklogs.length),
    attachments: emptyCount(issue.attachments.length),
    remoteLinks: emptyCount(issue.remoteLinks.length),
    watchers: emptyCount(issue.watchers.length),
    properties: emptyCount(issue.properties.length),
  };
}

async function recordCreated(step: StepContext, issue: IssuePlan, target: { id: string; key: string }, set: IssuePlan['fieldsSet'], notSet: FieldNotSet[], reused: boolean): Promise<void> {
  // A rerun keeps what the run that created the issue recorded (which fields Jira took) instead of the plan's guess.
  if (reused && (await loadResult(step.deps.kv, step.job.id, issue.sourceId))?.target) return;
  const result = newResult(issue);
  result.target = target;
  result.reusedExisting = reused;
  result.fieldsSet = (reused ? issue.fieldsSet : set).map((s) => s.name);
  result.fieldsNotSet = reused ? issue.fieldsNotSet : notSet;
  await saveResult(step.deps.kv, step.job.id, result);
}

async function recordFailure(step: StepContext, issue: IssuePlan, reason: string): Promise<void> {
  const result = newResult(issue);
  result.error = reason;
  await saveResult(step.deps.kv, step.job.id, result);
}
