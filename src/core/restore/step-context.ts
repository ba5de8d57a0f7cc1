import { IdMap } from './id-map';
import { JiraCallError } from './jira-call';
import type { RestoreJob } from './job-state';
import { liveIssues, liveProject } from './live-site';
import type { IssuePlan, RestorePlan } from './plan-types';
import type { RestoreDeps } from './restore-deps';
import type { SnapshotIssue, SnapshotView } from './snapshot-view';
import { buildTargetContext, type TargetContext } from './target-context';

/** Thrown when a step's time budget is spent: the step saves its cursor and queues its continuation. */
export class BudgetSpent extends Error {
  constructor() {
    super('The step used its time budget; the restore continues in the next step.');
  }
}

/** What one step of a restore job works with. Lookups are cached for the step only (the next may run elsewhere). */
export class StepContext {
  readonly idMap: IdMap;
  private targetContext?: Promise<TargetContext>;
  private readonly planBySource: Map<string, IssuePlan>;
  private readonly sourceIdByKey: Map<string, string>;

  constructor(
    readonly deps: RestoreDeps,
    readonly job: RestoreJob,
    readonly plan: RestorePlan,
    readonly view: SnapshotView,
    private readonly deadline: number,
  ) {
    this.idMap = new IdMap(deps.kv, plan.target.projectKey, () => this.markProgress());
    this.planBySource = new Map(plan.issues.map((issue) => [issue.sourceId, issue]));
    this.sourceIdByKey = new Map(plan.issues.map((issue) => [issue.sourceKey, issue.sourceId]));
  }

  private progress = 0;

  /** Records that the step moved the job forward (an entity created and mapped, a cursor advanced). */
  markProgress(): void {
    this.progress++;
  }

  /**
   * Stops the step (BudgetSpent) once the budget is used; called between writes, never in the middle of one.
   * A step always makes some progress first: otherwise a budget smaller than one issue's reads would loop forever.
   */
  checkBudget(): void {
    if (this.progress > 0 && this.deps.clock.now() >= this.deadline) throw new BudgetSpent();
  }

  async snapshotIssue(sourceId: string): Promise<SnapshotIssue> {
    const issue = await this.view.issue(sourceId);
    if (!issue) throw new Error(`Issue ${sourceId} disappeared from snapshot ${this.view.snapshotId}; the snapshot may have been deleted by rotation.`);
    return issue;
  }

  /** The target project's context, built once per step (concurrent callers share the same build). */
  target(): Promise<TargetContext> {
    this.targetContext ??= this.buildTarget();
    return this.targetContext;
  }

  private async buildTarget(): Promise<TargetContext> {
    const project = await liveProject(this.deps.jira, this.plan.target.projectKey);
    if (!project) throw new Error(`The target project ${this.plan.target.projectKey} does not exist; it may have been deleted while the restore ran.`);
    const snapshotProjectKey = this.plan.target.create?.templateFromKey ?? projectKeyOfPlan(this.plan);
    const snapshotProject = (await this.view.projects()).find((p) => p.key === snapshotProjectKey);
    if (!snapshotProject) throw new Error(`Project ${snapshotProjectKey} is missing from snapshot ${this.view.snapshotId}.`);
    return buildTargetContext(this.deps.jira, await this.view.fields(), snapshotProject, project, project.key);
  }

  /** A new project has no components yet when the step starts; after the project phase creates them, rebuild. */
  forgetTarget(): void {
    this.targetContext = undefined;
  }

  /** The live issue a snapshot issue now is: re-created (id map) or untouched on the site. */
  async liveIssueFor(sourceId: string): Promise<{ id: string; key: string } | undefined> {
    const mapped = await this.idMap.get('issue', sourceId);
    if (mapped) return { id: mapped.targetId, key: mapped.targetKey ?? mapped.targetId };
    const planned = this.planBySource.get(sourceId);
    if (planned?.existing) return planned.existing;
    return this.plan.liveIssues[sourceId];
  }

  private statuses = new Map<string, string>();

  /**
   * The live status of an issue the content phase is about to transition, read 100 issues per bulkfetch ahead of
   * need (one request instead of one per issue). Undefined when unknown: the walk then reads it itself.
   */
  async currentStatus(liveId: string): Promise<string | undefined> {
    if (!this.statuses.has(liveId)) await this.prefetchStatuses(liveId);
    const status = this.statuses.get(liveId);
    this.statuses.delete(liveId); // read once: the walk changes it
    return status;
  }

  private async prefetchStatuses(firstLiveId: string): Promise<void> {
    const ids = [firstLiveId];
    const pending = this.plan.issues.filter((i) => i.targetStatus && !i.blockedReason && i.action !== 'revert');
    const start = pending.findIndex((i) => this.prefetched.has(i.sourceId) === false);
    for (const issue of pending.slice(Math.max(0, start), Math.max(0, start) + 150)) {
      if (ids.length >= 100) break;
      this.prefetched.add(issue.sourceId);
      const live = await this.liveIssueFor(issue.sourceId);
      if (live && !ids.includes(live.id)) ids.push(live.id);
    }
    for (const issue of await liveIssues(this.deps.jira, ids, ['status'])) {
      const name = (issue.fields.status as { name?: string } | undefined)?.name;
      if (name) this.statuses.set(issue.id, name);
    }
  }

  private readonly prefetched = new Set<string>();

  sourceIdForKey(key: string): string | undefined {
    return this.sourceIdByKey.get(key);
  }

  /** Resolves the live keys of the parent / epic of each issue in the batch, for the synchronous payload builder. */
  async keyResolverFor(issues: SnapshotIssue[]): Promise<(sourceId: string | undefined, sourceKey: string | undefined) => string | undefined> {
    const keys = new Map<string, string>();
    for (const issue of issues) {
      const parent = issue.fields.parent as { id?: string; key?: string } | undefined;
      const refs = [parent?.id, ...Object.values(issue.fields).filter((v): v is string => typeof v === 'string' && this.sourceIdByKey.has(v)).map((k) => this.sourceIdByKey.get(k))];
      for (const ref of refs) {
        if (!ref || keys.has(ref)) continue;
        const live = await this.liveIssueFor(ref);
        if (live) keys.set(ref, live.key);
      }
    }
    return (sourceId, sourceKey) => {
      const id = sourceId || (sourceKey ? this.sourceIdByKey.get(sourceKey) : undefined);
      return id ? keys.get(id) : undefined;
    };
  }
}

function projectKeyOfPlan(plan: RestorePlan): string {
  return plan.request.kind === 'project' ? plan.request.projectKey : plan.target.projectKey;
}

/** Errors that end the whole job, not one item: the admin has to act (permissions, a deleted project). */
export function isJobFatal(error: unknown): boolean {
  return error instanceof JiraCallError && error.status === 401;
}
