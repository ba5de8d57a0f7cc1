import { issueFieldWrites } from './issue-payload';
import { liveIssues, liveProject } from './live-site';
import type { IssuePlan, RestorePlan, RestoreRequest } from './plan-types';
import { NOT_SETTABLE_SUMMARY, projectKeyOf, totalsOf } from './plan-summary';
import type { RestoreDeps } from './restore-deps';
import type { SnapshotIssue, SnapshotView } from './snapshot-view';
import { buildTargetContext } from './target-context';

/**
 * Revert: existing issues' fields back to their snapshot values (undo a bulk edit). Only fields whose live value
 * differs are written; the status is walked back along the workflow when it differs too.
 */
export async function planRevert(deps: RestoreDeps, view: SnapshotView, request: Extract<RestoreRequest, { kind: 'revert' }>, planId: string): Promise<RestorePlan> {
  if (request.issueIds.length === 0) throw new Error('Choose at least one issue to revert.');
  const snapshotIssues: SnapshotIssue[] = [];
  for (const id of request.issueIds) {
    const issue = await view.issue(id);
    if (!issue) throw new Error(`Issue ${id} is not in snapshot ${view.snapshotId}; pick a snapshot that contains it.`);
    snapshotIssues.push(issue);
  }
  const live = new Map((await liveIssues(deps.jira, snapshotIssues.map((i) => i.id))).map((i) => [i.id, i]));
  const missing = snapshotIssues.filter((i) => !live.has(i.id));
  if (missing.length > 0) {
    throw new Error(`${missing.map((i) => i.key).join(', ')} no longer exist on the site; restore ${missing.length > 1 ? 'them' : 'it'} instead of reverting.`);
  }
  const projects = await view.projects();
  const only = request.fields ? new Set(request.fields.map((f) => f.toLowerCase()).concat(request.fields)) : undefined;
  const contexts = new Map<string, Awaited<ReturnType<typeof buildTargetContext>>>();
  const issues: IssuePlan[] = [];
  const warnings: string[] = [];
  for (const issue of snapshotIssues) {
    const current = live.get(issue.id)!;
    const projectKey = (current.fields.project as { key: string } | undefined)?.key ?? projectKeyOf(issue);
    let context = contexts.get(projectKey);
    if (!context) {
      const snapshotProject = projects.find((p) => p.key === projectKeyOf(issue)) ?? { id: '', key: projectKey, name: projectKey, issueTypes: [], components: [], versions: [] };
      context = await buildTargetContext(deps.jira, await view.fields(), snapshotProject, await liveProject(deps.jira, projectKey), projectKey);
      contexts.set(projectKey, context);
    }
    if (projectKey !== projectKeyOf(issue)) warnings.push(`${issue.key} moved to project ${projectKey} (now ${current.key}); its fields are reverted there.`);
    const typeId = (current.fields.issuetype as { id: string } | undefined)?.id ?? '';
    const writes = await issueFieldWrites(issue, typeId, context, { issueKeyFor: (id, key) => key ?? id }, { only, compareWith: current.fields, forEdit: true });
    const snapshotStatus = (issue.fields.status as { name?: string } | undefined)?.name;
    const liveStatus = (current.fields.status as { name?: string } | undefined)?.name;
    const notSet = writes.notSet.filter((n) => !NOT_COMPARED.has(n.fieldId) && !sameAsLive(current.fields[n.fieldId], issue.fields[n.fieldId]));
    issues.push({
      sourceId: issue.id,
      sourceKey: issue.key,
      summary: String(issue.fields.summary ?? ''),
      action: 'revert',
      existing: { id: current.id, key: current.key },
      fieldsSet: writes.set,
      fieldsNotSet: notSet,
      targetStatus: request.status !== false && snapshotStatus && snapshotStatus !== liveStatus && (!only || only.has('status')) ? snapshotStatus : undefined,
      comments: [],
      worklogs: [],
      attachments: [],
      links: [],
      remoteLinks: [],
      watchers: [],
      properties: [],
      skipped: [],
      wave: 0,
    });
  }
  const targetKey = (live.get(snapshotIssues[0].id)!.fields.project as { key?: string } | undefined)?.key ?? projectKeyOf(snapshotIssues[0]);
  return {
    id: planId,
    snapshotId: view.snapshotId,
    request,
    createdAt: deps.clock.now(),
    target: { projectKey: targetKey },
    componentsToCreate: [],
    versionsToCreate: [],
    issues,
    fieldMap: [],
    liveIssues: Object.fromEntries(issues.map((i) => [i.sourceId, i.existing!])),
    issueTypeMap: {},
    notSettable: NOT_SETTABLE_SUMMARY,
    totals: totalsOf(issues, snapshotIssues),
    warnings,
  };
}

/** Fields a revert never reports as "not set": Jira maintains them and they always differ after any edit. */
const NOT_COMPARED = new Set(['updated', 'created', 'creator', 'lastViewed', 'statuscategorychangedate', 'resolutiondate', 'votes', 'watches', 'comment', 'worklog', 'attachment', 'issuelinks', 'subtasks', 'progress', 'aggregateprogress', 'workratio', 'timespent', 'aggregatetimespent', 'timeestimate', 'aggregatetimeestimate', 'timeoriginalestimate', 'aggregatetimeoriginalestimate', 'status', 'resolution', 'project', 'issuetype']);

function sameAsLive(live: unknown, snapshot: unknown): boolean {
  return JSON.stringify(live ?? null) === JSON.stringify(snapshot ?? null);
}
