import { IdMap, restoredAnywhere } from './id-map';
import { jiraJson, jiraJsonOrUndefined } from './jira-call';
import { liveIssues, liveProject, type LiveProject } from './live-site';
import { readLiveStates } from './live-state';
import { planIssue, type IssueWhereabouts } from './plan-issue';
import { NO_PROGRESS, type PlanningProgress } from './planning-progress';
import { savePlan } from './plan-store';
import { ALL_CONTENT, type IssuePlan, type RestoreContent, type RestorePlan, type RestoreRequest } from './plan-types';
import { NOT_SETTABLE_SUMMARY, projectKeyOf, totalsOf } from './plan-summary';
import { planRevert } from './revert-planner';
import { newIdFrom, type RestoreDeps } from './restore-deps';
import type { SnapshotIssue, SnapshotProject, SnapshotSprint, SnapshotView } from './snapshot-view';
import { buildTargetContext } from './target-context';

export interface PlanOptions {
  /** The plan's id. A queued dry run passes its planning id, so a second delivery of its event rewrites the same plan. */
  planId?: string;
  /** Told of each issue read; may throw to stop a planning past its budget. */
  progress?: PlanningProgress;
}

/** The dry run: reads the snapshot and the live site, writes nothing to Jira, stores the plan (KVS) and returns it. */
export async function planRestore(deps: RestoreDeps, request: RestoreRequest, options: PlanOptions = {}): Promise<RestorePlan> {
  const view = await deps.snapshots.open(request.snapshotId);
  const planId = options.planId ?? newIdFrom(deps);
  const progress = options.progress ?? NO_PROGRESS;
  const plan = request.kind === 'revert' ? await planRevert(deps, view, request, planId) : await planRecreate(deps, view, request, planId, progress);
  await savePlan(deps.kv, plan);
  return plan;
}

async function planRecreate(deps: RestoreDeps, view: SnapshotView, request: Exclude<RestoreRequest, { kind: 'revert' }>, id: string, progress: PlanningProgress): Promise<RestorePlan> {
  const { jira } = deps;
  const content: RestoreContent = { ...ALL_CONTENT, ...request.content };
  const scope = await scopeIssues(view, request, progress);
  const projectKey = request.kind === 'project' ? request.projectKey : projectKeyOf(scope[0]);
  const snapshotProject = (await view.projects()).find((p) => p.key === projectKey);
  if (!snapshotProject) throw new Error(`Project ${projectKey} is not in snapshot ${view.snapshotId}; pick a snapshot that contains it.`);

  const warnings: string[] = [];
  const original = await liveProject(jira, projectKey);
  const newProject = request.kind === 'project' ? request.newProject : undefined;
  if (!newProject && !original) {
    throw new Error(
      `Project ${projectKey} no longer exists on the site. Restore it into a new project (choose a key), or first restore it from Jira's trash (within 60 days of deletion) and plan again.`,
    );
  }
  const targetKey = newProject?.key ?? projectKey;
  if (newProject && !/^[A-Z][A-Z0-9_]{1,9}$/.test(newProject.key)) {
    throw new Error(`"${newProject.key}" is not a valid project key: use 2–10 capital letters, digits or underscores, starting with a letter.`);
  }
  const liveTarget: LiveProject | undefined = newProject ? await liveProject(jira, newProject.key) : original;
  if (newProject && liveTarget) warnings.push(`Project ${newProject.key} already exists: issues go into it (a rerun of an earlier restore, or a project the admin created).`);
  const globalTypes = liveTarget ? [] : await jiraJson<{ id: string; name: string }[]>(jira, { method: 'GET', path: '/rest/api/3/issuetype' });
  const context = await buildTargetContext(jira, await view.fields(), snapshotProject, liveTarget, targetKey, globalTypes);
  const idMap = new IdMap(deps.kv, targetKey);

  // Which scope issues are still live (same id, in the target project) or were restored by an earlier run.
  const scopeIds = scope.map((issue) => issue.id);
  const liveOriginals = new Map((await liveIssues(jira, scopeIds, ['project'])).map((i) => [i.id, i]));
  const where: IssueWhereabouts = { restored: new Set(), live: new Map(), idByKey: new Map() };
  const liveIdOf = new Map<string, string>();
  for (const issue of scope) {
    where.idByKey.set(issue.key, issue.id);
    const same = liveOriginals.get(issue.id);
    if (same && (same.fields.project as { key?: string } | undefined)?.key === targetKey) {
      liveIdOf.set(issue.id, same.id);
      where.live.set(issue.id, { id: same.id, key: same.key });
      continue;
    }
    const mapped = await idMap.get('issue', issue.id);
    if (mapped) liveIdOf.set(issue.id, mapped.targetId);
    else where.restored.add(issue.id);
  }
  // Mapped issues count as live only if they still are (an admin may have deleted a restored copy).
  const mappedIds = scope.filter((i) => liveIdOf.has(i.id) && !where.live.has(i.id)).map((i) => liveIdOf.get(i.id)!);
  const mappedLive = new Map((await liveIssues(jira, mappedIds, ['summary'])).map((i) => [i.id, i]));
  for (const issue of scope) {
    const liveId = liveIdOf.get(issue.id);
    if (!liveId || where.live.has(issue.id)) continue;
    const found = mappedLive.get(liveId);
    if (found) where.live.set(issue.id, { id: found.id, key: found.key });
    else {
      liveIdOf.delete(issue.id);
      where.restored.add(issue.id);
    }
  }
  await addOtherEnds(deps, scope, where, idMap);

  const states = await readLiveStates(jira, scope.filter((i) => liveIdOf.has(i.id)).map((i) => ({ liveId: liveIdOf.get(i.id)!, snapshot: i })), {
    onIssueRead: () => progress.readFromSite(),
  });
  const sprintFieldId = [...context.snapshotFields.values()].find((f) => f.schema?.custom === 'com.pyxis.greenhopper.jira:gh-sprint')?.id;
  const sprintsById = content.sprints && sprintFieldId ? await sprintsWithLiveness(deps, view) : new Map();
  const { componentsToCreate, versionsToCreate } = missingComponentsAndVersions(snapshotProject, scope, where, context);

  const issues: IssuePlan[] = [];
  for (const issue of scope) {
    const liveId = liveIdOf.get(issue.id);
    const action = where.restored.has(issue.id) ? 'create' : 'update';
    const liveState = liveId ? states.get(liveId) : undefined;
    issues.push(await planIssue({ issue, action, liveState, context, where, idMap, content, sprintsById, sprintFieldId }));
  }
  assignWaves(issues);
  const rankFieldId = [...context.snapshotFields.values()].find((f) => f.schema?.custom === 'com.pyxis.greenhopper.jira:gh-lexo-rank')?.id;
  return {
    id,
    snapshotId: view.snapshotId,
    request,
    createdAt: deps.clock.now(),
    target: {
      projectKey: targetKey,
      projectId: liveTarget?.id,
      create: newProject && !liveTarget ? { ...newProject, name: newProject.name ?? `${snapshotProject.name} (restored)`, projectTypeKey: snapshotProject.projectTypeKey ?? 'software', templateFromKey: projectKey } : undefined,
    },
    componentsToCreate,
    versionsToCreate,
    issues,
    fieldMap: [...context.fieldMap.values()].map((m) => ({ sourceId: m.sourceId, name: m.sourceName, targetId: m.targetId, reason: m.reason, byName: m.byName })),
    liveIssues: Object.fromEntries(where.live),
    issueTypeMap: Object.fromEntries(context.issueTypeMap),
    rank: content.rank && rankFieldId ? { fieldId: rankFieldId, order: rankOrder(scope, rankFieldId, where) } : undefined,
    notSettable: NOT_SETTABLE_SUMMARY,
    totals: totalsOf(issues, scope),
    warnings,
  };
}

async function scopeIssues(view: SnapshotView, request: Exclude<RestoreRequest, { kind: 'revert' }>, progress: PlanningProgress): Promise<SnapshotIssue[]> {
  if (request.kind === 'project') {
    const issues: SnapshotIssue[] = [];
    for await (const issue of view.issues(request.projectKey)) {
      issues.push(issue);
      await progress.readFromBackup();
    }
    return issues;
  }
  if (request.issueIds.length === 0) throw new Error('Choose at least one issue to restore.');
  const issues: SnapshotIssue[] = [];
  for (const id of request.issueIds) {
    const issue = await view.issue(id);
    if (!issue) throw new Error(`Issue ${id} is not in snapshot ${view.snapshotId}; search the snapshot for it first.`);
    issues.push(issue);
    await progress.readFromBackup();
  }
  const projects = new Set(issues.map(projectKeyOf));
  if (projects.size > 1) throw new Error(`The chosen issues belong to ${projects.size} projects (${[...projects].join(', ')}); restore one project's issues at a time.`);
  return issues;
}

/** Link and parent targets outside the scope: still on the site (same id), or restored earlier (id map)? */
async function addOtherEnds(deps: RestoreDeps, scope: SnapshotIssue[], where: IssueWhereabouts, idMap: IdMap): Promise<void> {
  const others = new Map<string, string | undefined>();
  for (const issue of scope) {
    const fields = issue.fields as { parent?: { id: string; key?: string }; issuelinks?: { inwardIssue?: { id: string; key?: string }; outwardIssue?: { id: string; key?: string } }[] };
    const refs = [fields.parent, ...(fields.issuelinks ?? []).map((l) => l.inwardIssue ?? l.outwardIssue)];
    for (const ref of refs) if (ref && !where.restored.has(ref.id) && !where.live.has(ref.id)) others.set(ref.id, ref.key);
  }
  if (others.size === 0) return;
  const found = await liveIssues(deps.jira, [...others.keys()], ['summary']);
  for (const issue of found) where.live.set(issue.id, { id: issue.id, key: issue.key });
  const stillMissing = [...others.keys()].filter((id) => !where.live.has(id));
  const mapped = new Map<string, string>();
  for (const id of stillMissing) {
    const entity = (await idMap.get('issue', id)) ?? (await restoredAnywhere(deps.kv, id));
    if (entity) mapped.set(entity.targetId, id);
  }
  for (const issue of await liveIssues(deps.jira, [...mapped.keys()], ['summary'])) where.live.set(mapped.get(issue.id)!, { id: issue.id, key: issue.key });
  for (const [id, key] of others) if (key) where.idByKey.set(key, id);
}

async function sprintsWithLiveness(deps: RestoreDeps, view: SnapshotView): Promise<Map<number, SnapshotSprint & { live: boolean }>> {
  const result = new Map<number, SnapshotSprint & { live: boolean }>();
  for (const sprint of await view.sprints()) {
    if (sprint.state === 'closed') {
      result.set(sprint.id, { ...sprint, live: false });
      continue;
    }
    const live = await jiraJsonOrUndefined<{ id: number; state: string }>(deps.jira, { method: 'GET', path: `/rest/agile/1.0/sprint/${sprint.id}` });
    result.set(sprint.id, { ...sprint, live: live !== undefined && live.state !== 'closed' });
  }
  return result;
}

/** Components and versions the re-created issues use but the target project lacks: created first, by name. */
function missingComponentsAndVersions(
  project: SnapshotProject,
  scope: SnapshotIssue[],
  where: IssueWhereabouts,
  context: { componentIdByName: Map<string, string>; versionIdByName: Map<string, string> },
): { componentsToCreate: string[]; versionsToCreate: string[] } {
  const usedComponents = new Set<string>();
  const usedVersions = new Set<string>();
  for (const issue of scope.filter((i) => where.restored.has(i.id))) {
    for (const c of (issue.fields.components as { name: string }[] | undefined) ?? []) usedComponents.add(c.name);
    for (const field of ['fixVersions', 'versions']) for (const v of (issue.fields[field] as { name: string }[] | undefined) ?? []) usedVersions.add(v.name);
  }
  const componentsToCreate = project.components.map((c) => c.name).filter((name) => usedComponents.has(name) && !context.componentIdByName.has(name));
  const versionsToCreate = project.versions.map((v) => v.name).filter((name) => usedVersions.has(name) && !context.versionIdByName.has(name));
  // While planning, the ones to create stand in with placeholder ids so field values using them plan as settable.
  for (const name of componentsToCreate) context.componentIdByName.set(name, `planned:${name}`);
  for (const name of versionsToCreate) context.versionIdByName.set(name, `planned:${name}`);
  return { componentsToCreate, versionsToCreate };
}

/** Parents are created before children: wave = depth of the issue in the chain of re-created parents. */
function assignWaves(issues: IssuePlan[]): void {
  const bySource = new Map(issues.map((i) => [i.sourceId, i]));
  const depth = (issue: IssuePlan, seen: Set<string>): number => {
    if (!issue.parent || issue.parent.otherEnd !== 'restored' || seen.has(issue.sourceId)) return 0;
    const parent = bySource.get(issue.parent.sourceId);
    return parent ? 1 + depth(parent, new Set(seen).add(issue.sourceId)) : 0;
  };
  for (const issue of issues) issue.wave = issue.action === 'create' ? depth(issue, new Set()) : 0;
}

function rankOrder(scope: SnapshotIssue[], rankFieldId: string, where: IssueWhereabouts): string[] {
  return scope
    .filter((issue) => where.restored.has(issue.id) && typeof issue.fields[rankFieldId] === 'string')
    .sort((a, b) => String(a.fields[rankFieldId]).localeCompare(String(b.fields[rankFieldId])))
    .map((issue) => issue.id);
}

export { NOT_SETTABLE_SUMMARY, projectKeyOf, totalsOf, hasWork } from './plan-summary';
