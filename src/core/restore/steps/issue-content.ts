import { isItemRefusal, jiraJson } from '../jira-call';
import { loadResult, saveJob, saveResult, type Count, type IssueResult } from '../job-state';
import { liveComments, liveIssues, liveRemoteLinks, liveWorklogs } from '../live-site';
import { multipartFile } from '../multipart';
import { ORIGIN_ITEM_PROPERTY_KEY, ORIGIN_PROPERTY_KEY, originallyByLine, withOriginLine } from '../origin';
import type { IssuePlan } from '../plan-types';
import type { StepContext } from '../step-context';
import type { SnapshotIssue } from '../snapshot-view';
import { walkToStatus } from '../transitions';
import { newResult } from './create-issues';

/** The plan's issues whose content (status, comments, worklogs, attachments, …) this phase writes. */
export function contentIssues(plan: { issues: IssuePlan[] }): IssuePlan[] {
  return plan.issues.filter((issue) => !issue.blockedReason && issue.action !== 'revert');
}

/**
 * Writes each issue's missing content, one issue after another. Every created comment, worklog and attachment is
 * written to the id map right away; the issue being worked on is recorded as in flight, so a step that resumes it
 * first matches what Jira already has (origin properties, file name and size) before writing anything.
 */
export async function runContentPhase(step: StepContext): Promise<void> {
  const { job, deps } = step;
  const issues = contentIssues(step.plan);
  // A sliding window of issues: writes to one issue stay sequential (Jira's per-issue write limit), while the
  // governor's concurrency is used across issues, and one slow issue (a 429 back-off) does not hold up the others.
  // `cursor` is the first issue not finished; `doneAhead` the finished ones after it; `inFlight` the started ones.
  const resuming = new Set(job.inFlight);
  const done = new Set(job.doneAhead ?? []);
  const started = new Set<number>();
  let next = job.cursor;
  let stopped: unknown;
  const advanceCursor = () => {
    while (job.cursor < issues.length && done.has(issues[job.cursor].sourceId)) {
      done.delete(issues[job.cursor].sourceId);
      job.cursor++;
    }
    job.doneAhead = [...done];
  };
  const worker = async (): Promise<void> => {
    while (stopped === undefined) {
      while (next < issues.length && (done.has(issues[next].sourceId) || started.has(next))) next++;
      if (next >= issues.length) return;
      step.checkBudget();
      const index = next++;
      const issue = issues[index];
      started.add(index);
      job.inFlight = [...new Set([...job.inFlight, issue.sourceId])];
      await saveJob(deps.kv, job);
      await restoreContent(step, issue, resuming.has(issue.sourceId));
      job.inFlight = job.inFlight.filter((id) => id !== issue.sourceId);
      done.add(issue.sourceId);
      advanceCursor();
      step.markProgress();
      await saveJob(deps.kv, job);
    }
  };
  await Promise.all(
    Array.from({ length: CONCURRENT_ISSUES }, () =>
      worker().catch((error: unknown) => {
        stopped ??= error; // budget, rate limit or crash: the others finish their issue, then the step stops
      }),
    ),
  );
  if (stopped !== undefined) throw stopped;
  advanceCursor();
}

/** Issues whose content is written at the same time (each issue's own writes stay in order). */
export const CONCURRENT_ISSUES = 6;

async function restoreContent(step: StepContext, issue: IssuePlan, resuming: boolean): Promise<void> {
  const { deps, job } = step;
  const result: IssueResult = (await loadResult(deps.kv, job.id, issue.sourceId)) ?? newResult(issue);
  const live = await step.liveIssueFor(issue.sourceId);
  if (!live || result.error) {
    result.error ??= 'the issue was not re-created, so its content could not be restored';
    await saveResult(deps.kv, job.id, result);
    return;
  }
  result.target = live;
  const snapshot = await step.snapshotIssue(issue.sourceId);
  if (resuming) await reconcile(step, live.id, issue, snapshot);

  if (issue.targetStatus) {
    const resolution = (snapshot.fields.resolution as { name?: string } | null | undefined)?.name;
    const walk = await guarded(async () => walkToStatus(deps.jira, live.id, issue.targetStatus!, resolution, undefined, await step.currentStatus(live.id)));
    result.status = walk.ok ? { target: issue.targetStatus, ...walk.value } : { target: issue.targetStatus, reached: false, path: [], reason: walk.reason };
  }
  result.comments = await eachItem(step, issue.comments, 'comment', (id) => createComment(step, live.id, snapshot, id));
  result.worklogs = await eachItem(step, issue.worklogs, 'worklog', (id) => createWorklog(step, live.id, snapshot, id));
  result.attachments = await eachItem(step, issue.attachments.map((a) => a.sourceId), 'attachment', (id) => uploadAttachment(step, live.id, snapshot, id));
  result.remoteLinks = await restoreRemoteLinks(step, live.id, snapshot, issue.remoteLinks);
  result.watchers = await eachItem(step, issue.watchers, undefined, async (accountId) => {
    await jiraJson(deps.jira, { method: 'POST', path: `/rest/api/3/issue/${live.id}/watchers`, json: accountId });
    return undefined;
  });
  // A re-created issue got its properties in the create request itself.
  const propertiesToPut = issue.action === 'create' ? [] : issue.properties.filter((k) => k !== ORIGIN_PROPERTY_KEY);
  result.properties = await eachItem(step, propertiesToPut, undefined, async (key) => {
    await jiraJson(deps.jira, { method: 'PUT', path: `/rest/api/3/issue/${live.id}/properties/${encodeURIComponent(key)}`, json: snapshot.properties[key] });
    return undefined;
  });
  if (issue.action === 'create') result.properties = { done: issue.properties.length, total: issue.properties.length, failures: [] };
  if (issue.sprint) {
    const added = await guarded(() => jiraJson(deps.jira, { method: 'POST', path: `/rest/agile/1.0/sprint/${issue.sprint!.sprintId}/issue`, json: { issues: [live.key] } }));
    result.sprint = { name: issue.sprint.name, done: added.ok, reason: added.ok ? undefined : added.reason };
  }
  await saveResult(deps.kv, job.id, result);
}

type Guarded<T> = { ok: true; value: T } | { ok: false; reason: string };

/**
 * Runs one write; a 4xx refusal becomes the item's reason. Everything else (rate limits, budget stops, 5xx and
 * network errors, after which Jira may have applied the write) stops the step with the issue still in flight.
 */
async function guarded<T>(write: () => Promise<T>): Promise<Guarded<T>> {
  try {
    return { ok: true, value: await write() };
  } catch (error) {
    if (!isItemRefusal(error)) throw error;
    return { ok: false, reason: error.message };
  }
}

/** Creates the items not yet in the id map; counts the mapped ones as done. Returns the item count. */
async function eachItem(
  step: StepContext,
  ids: string[],
  kind: 'comment' | 'worklog' | 'attachment' | undefined,
  create: (id: string) => Promise<string | undefined>,
): Promise<Count> {
  const count: Count = { done: 0, total: ids.length, failures: [] };
  for (const id of ids) {
    if (kind && (await step.idMap.get(kind, id))) {
      count.done++;
      continue;
    }
    step.checkBudget();
    const outcome = await guarded(() => create(id));
    if (!outcome.ok) {
      count.failures.push({ item: id, reason: outcome.reason });
      continue;
    }
    if (kind && outcome.value) await step.idMap.set(kind, id, { targetId: outcome.value, jobId: step.job.id });
    count.done++;
  }
  return count;
}

async function createComment(step: StepContext, liveId: string, snapshot: SnapshotIssue, sourceId: string): Promise<string> {
  const comment = snapshot.comments.find((c) => c.id === sourceId)!;
  const created = await jiraJson<{ id: string }>(step.deps.jira, {
    method: 'POST',
    path: `/rest/api/3/issue/${liveId}/comment`,
    json: {
      body: withOriginLine(comment.body, originallyByLine(comment.author, comment.created)),
      ...(comment.visibility ? { visibility: comment.visibility } : {}),
      properties: [
        ...(comment.properties ?? []).filter((p) => p.key !== ORIGIN_ITEM_PROPERTY_KEY),
        { key: ORIGIN_ITEM_PROPERTY_KEY, value: { originalId: comment.id, author: comment.author?.accountId, created: comment.created } },
      ],
    },
  });
  return created.id;
}

async function createWorklog(step: StepContext, liveId: string, snapshot: SnapshotIssue, sourceId: string): Promise<string> {
  const worklog = snapshot.worklogs.find((w) => w.id === sourceId)!;
  const created = await jiraJson<{ id: string }>(step.deps.jira, {
    method: 'POST',
    path: `/rest/api/3/issue/${liveId}/worklog`,
    query: { notifyUsers: false, adjustEstimate: 'leave' },
    json: {
      comment: withOriginLine(worklog.comment, originallyByLine(worklog.author, worklog.created ?? worklog.started)),
      started: worklog.started,
      timeSpentSeconds: worklog.timeSpentSeconds,
      ...(worklog.visibility ? { visibility: worklog.visibility } : {}),
      properties: [
        ...(worklog.properties ?? []).filter((p) => p.key !== ORIGIN_ITEM_PROPERTY_KEY),
        { key: ORIGIN_ITEM_PROPERTY_KEY, value: { originalId: worklog.id, author: worklog.author?.accountId, created: worklog.created } },
      ],
    },
  });
  return created.id;
}

async function uploadAttachment(step: StepContext, liveId: string, snapshot: SnapshotIssue, sourceId: string): Promise<string> {
  const attachment = snapshot.attachments.find((a) => a.id === sourceId)!;
  const bytes = await step.view.attachmentBytes(attachment);
  const { body, contentType } = multipartFile(attachment.filename, attachment.mimeType, bytes, `backup-center-${sourceId}-${bytes.length}`);
  const created = await jiraJson<{ id: string }[]>(step.deps.jira, {
    method: 'POST',
    path: `/rest/api/3/issue/${liveId}/attachments`,
    body,
    headers: { 'content-type': contentType, 'x-atlassian-token': 'no-check' },
  });
  return String(created[0].id);
}

/**
 * Remote links are not in the id map (Jira's answer is not needed later), so the links already on the live issue are
 * read first, once per issue and step: a step that stopped after creating some (a crash, a 5xx, the time budget)
 * must not post them again. A link counts as there when its globalId or its URL is; Jira itself only dedupes by globalId.
 */
async function restoreRemoteLinks(step: StepContext, liveId: string, snapshot: SnapshotIssue, refs: string[]): Promise<Count> {
  if (refs.length === 0) return { done: 0, total: 0, failures: [] };
  const read = await guarded(() => liveRemoteLinks(step.deps.jira, liveId));
  if (!read.ok) {
    // Creating them blind could duplicate them; report why instead.
    return { done: 0, total: refs.length, failures: refs.map((item) => ({ item, reason: `the issue's remote links could not be read: ${read.reason}` })) };
  }
  const present = new Set(read.value.flatMap((link) => [link.globalId, link.object?.url]).filter((ref): ref is string => !!ref));
  return eachItem(step, refs, undefined, async (ref) => {
    const remote = snapshot.remoteLinks.find((r) => (r.globalId ?? r.object.url) === ref)!;
    if ((remote.globalId && present.has(remote.globalId)) || present.has(remote.object.url)) return undefined;
    await jiraJson(step.deps.jira, {
      method: 'POST',
      path: `/rest/api/3/issue/${liveId}/remotelink`,
      json: { ...(remote.globalId ? { globalId: remote.globalId } : {}), application: remote.application, relationship: remote.relationship, object: remote.object },
    });
    present.add(ref).add(remote.object.url);
    return undefined;
  });
}

/**
 * Matches what Jira has on the issue against the snapshot items that are not yet in the id map: the step before may
 * have created them and stopped before writing the map. Comments and worklogs carry their original id in a property;
 * attachments are matched by file name and size. Remote links are checked where they are written (restoreRemoteLinks).
 */
async function reconcile(step: StepContext, liveId: string, issue: IssuePlan, snapshot: SnapshotIssue): Promise<void> {
  const { idMap, job } = step;
  if (issue.comments.length > 0) {
    for (const comment of await liveComments(step.deps.jira, liveId)) {
      const originalId = originOf(comment.properties);
      if (originalId && !(await idMap.get('comment', originalId))) await idMap.set('comment', originalId, { targetId: comment.id, jobId: job.id });
    }
  }
  if (issue.worklogs.length > 0) {
    for (const worklog of await liveWorklogs(step.deps.jira, liveId)) {
      const originalId = originOf(worklog.properties);
      if (originalId && !(await idMap.get('worklog', originalId))) await idMap.set('worklog', originalId, { targetId: worklog.id, jobId: job.id });
    }
  }
  if (issue.attachments.length > 0) {
    const [live] = await liveIssues(step.deps.jira, [liveId], ['attachment']);
    const liveAttachments = (live?.fields.attachment as { id: string; filename: string; size: number }[] | undefined) ?? [];
    const claimed = new Set<string>();
    for (const planned of issue.attachments) {
      const mapped = await idMap.get('attachment', planned.sourceId);
      if (mapped) claimed.add(mapped.targetId);
    }
    for (const planned of issue.attachments) {
      if (await idMap.get('attachment', planned.sourceId)) continue;
      const source = snapshot.attachments.find((a) => a.id === planned.sourceId);
      const match = liveAttachments.find((a) => !claimed.has(String(a.id)) && a.filename === source?.filename && a.size === source?.size);
      if (match) {
        claimed.add(String(match.id));
        await idMap.set('attachment', planned.sourceId, { targetId: String(match.id), jobId: job.id });
      }
    }
  }
}

function originOf(properties: { key: string; value: unknown }[] | undefined): string | undefined {
  const origin = properties?.find((p) => p.key === ORIGIN_ITEM_PROPERTY_KEY)?.value as { originalId?: string } | undefined;
  return origin?.originalId;
}
