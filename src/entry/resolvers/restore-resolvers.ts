import { forgeJobQueue, forgeKeyValue, forgeSecrets, consoleLogger } from '../../adapters/forge';
import { resolverJiraClient } from '../forge-ports';
import { AdminError, invalid } from '../../core/admin';
import { readSnapshot, type SnapshotManifest } from '../../core/format';
import type { BackupStore } from '../../ports/backup-store';
import {
  findIssues, formatSnapshotOpener, getRestoreStatus, listSnapshotProjects, loadDiff, loadPlan, loadPlanning, PLANNING_ID, queuePlanning, showIssue, startRestore,
  type PlanningRecord, type RestoreDeps, type RestorePlan, type RestoreOutcome, type RestoreRequest, type SnapshotOpener,
} from '../../core/restore';
import { loadJob, type RestoreJob } from '../../core/restore/job-state';
import { restoreAdminError } from '../restore-errors';
import { FINISHED_AUDIT_PREFIX } from '../restore-audited';
import type { AdminApp, AdminHandler } from './admin-app';
import { configuredStore } from './configured-store';

/**
 * The Restore tab's resolvers. Each gets the administrator check, the 25-second deadline and the {ok, data} envelope
 * from create-resolver.ts. None of them runs a restore: `restoreStart` stores the job and queues its first
 * `restore.step` event; the manifest's consumer (src/entry/worker.ts) does the writing. Nor do they read a whole
 * project: the dry run (`restorePreview`) and the comparison with the site (`restoreDiffProject`) read every issue of
 * the backup and of the site, which outlasts 25 s on a large project, so they only check the request and queue a
 * `restore.plan` event; the page polls `restorePreviewStatus` / `restoreDiffStatus` until the worker has the answer.
 */

/**
 * The engine's ports, plus the backup's manifest when the snapshots come from the format store: its per-project issue
 * counts answer `restoreListProjects` without decompressing every issue. Without it the issues are counted one by one.
 */
export interface RestoreResolverDeps extends RestoreDeps {
  manifest?: (snapshotId: string) => Promise<SnapshotManifest>;
}

/** Where the restore resolvers get their ports. Forge's by default; tests and the local CLI may install their own. */
export type RestoreDepsProvider = () => RestoreResolverDeps | Promise<RestoreResolverDeps>;

let provider: RestoreDepsProvider = forgeRestoreDeps;

export function provideRestoreDeps(next: RestoreDepsProvider | undefined): void {
  provider = next ?? forgeRestoreDeps;
}

/** Forge KVS, the backup-jobs queue, requestJira as the app behind the governor, and the store the admin configured. */
export async function forgeRestoreDeps(): Promise<RestoreResolverDeps> {
  const clock = { now: () => Date.now() };
  const kv = forgeKeyValue();
  const jira = resolverJiraClient(clock);
  let opened: Promise<BackupStore> | undefined;
  const store = () => (opened ??= configuredStore(kv, forgeSecrets(), clock).then((configured) => configured.store));
  const snapshots = lazySnapshotOpener(async () => formatSnapshotOpener(await store()));
  const manifest = async (snapshotId: string) => readSnapshot(await store(), snapshotId);
  return { jira, kv, queue: forgeJobQueue(), clock, logger: consoleLogger('restore-resolver'), snapshots, manifest };
}

/**
 * Opens the store only when a key first reads a snapshot. Opening it reads the storage secrets, and `restoreStatus`
 * needs only KVS: a missing or broken password must not stop the progress of a running restore from showing.
 */
export function lazySnapshotOpener(openStore: () => Promise<SnapshotOpener>): SnapshotOpener {
  let opener: Promise<SnapshotOpener> | undefined;
  const get = () => (opener ??= openStore());
  return {
    list: async () => (await get()).list(),
    open: async (snapshotId) => (await get()).open(snapshotId),
  };
}

const ISSUE_KEY_OR_ID = /^([A-Z][A-Z0-9_]*-\d+|\d+)$/;
const PROJECT_KEY = /^[A-Z][A-Z0-9_]{1,9}$/;
const MAX_CHOSEN_ISSUES = 5_000;

export const restoreHandlers: Record<string, AdminHandler> = {
  /** The backups one can restore from (failed ones hold nothing restorable), named as on the control panel. */
  restoreListSnapshots: async (app) => {
    const view = await app.panel.view();
    return { timeZone: view.timeZone, files: view.files.filter((file) => file.state !== 'failed'), error: view.filesError };
  },
  restoreListProjects: (_app, payload) =>
    withDeps(async (deps) => {
      const fileId = fileIdOf(payload);
      if (!deps.manifest) return listSnapshotProjects(deps, fileId);
      return (await deps.manifest(fileId)).projects.map((p) => ({ id: p.id, key: p.key, name: p.name, issueCount: p.issueCount }));
    }),
  restoreFindIssues: (_app, payload) =>
    withDeps(async (deps) => {
      const limit = typeof payload.limit === 'number' && payload.limit > 0 ? Math.min(200, Math.floor(payload.limit)) : 50;
      return findIssues(deps, fileIdOf(payload), {
        projectKey: projectKeyOf(payload.projectKey, 'projectKey'),
        text: optionalText(payload.text),
        issueType: optionalText(payload.issueType),
        status: optionalText(payload.status),
        assignee: optionalText(payload.assignee),
        limit,
      });
    }),
  restoreShowIssue: (_app, payload) =>
    withDeps(async (deps) => {
      const issue = typeof payload.issue === 'string' ? payload.issue.trim() : '';
      if (!ISSUE_KEY_OR_ID.test(issue)) throw invalid([{ field: 'issue', message: 'Give the issue key (ENG-12) or id (10042) as the snapshot has it.' }]);
      const found = await showIssue(deps, fileIdOf(payload), issue);
      if (!found) throw new AdminError('not-found', `${issue} is not in this backup. Search the backup for it by summary.`);
      return {
        id: found.id, key: found.key, fields: found.namedFields.map((f) => ({ name: f.name, value: displayValue(f.value) })),
        comments: found.comments.length, worklogs: found.worklogs.length, attachments: found.attachments.length,
      };
    }),
  restoreDiffProject: (_app, payload) =>
    withDeps(async (deps) => {
      const task = { kind: 'diff' as const, snapshotId: fileIdOf(payload), projectKey: projectKeyOf(payload.projectKey, 'projectKey') };
      return { diffId: (await queuePlanning(deps, requestIdOf(payload), task)).id };
    }),
  restoreDiffStatus: (_app, payload) =>
    withDeps(async (deps) => {
      const record = await planningOf(deps, payload.diffId, 'diff');
      if (record.state !== 'done') return planningStatus(record);
      const diff = await loadDiff(deps.kv, record.id);
      if (!diff) throw new AdminError('not-found', 'This comparison is no longer stored. Show the changes again.');
      return { ...planningStatus(record), diff };
    }),
  restorePreview: (_app, payload) =>
    withDeps(async (deps) => {
      const task = { kind: 'preview' as const, request: requestOf(payload) };
      return { planningId: (await queuePlanning(deps, requestIdOf(payload), task)).id };
    }),
  restorePreviewStatus: (_app, payload) =>
    withDeps(async (deps) => {
      const record = await planningOf(deps, payload.planningId, 'preview');
      if (record.state !== 'done') return planningStatus(record);
      const plan = await loadPlan(deps.kv, record.id);
      if (!plan) throw new AdminError('not-found', 'This dry run is no longer stored. Run the dry run again.');
      return { ...planningStatus(record), preview: previewOf(plan) };
    }),
  restoreStart: (app, payload, actor) =>
    withDeps(async (deps) => {
      if (payload.confirmed !== true) {
        throw new AdminError('invalid', 'A restore writes to your Jira site and needs confirmation: read the dry run, then confirm it in the dialog.');
      }
      // Only a stored dry run can start: it is what the admin read, and planning here could outrun Forge's 25 s limit
      // (and a retried call would plan and start a second job).
      const previewId = typeof payload.previewId === 'string' ? payload.previewId : '';
      if (!previewId) throw invalid([{ field: 'previewId', message: 'Run the dry run first, read it, then confirm that dry run to start the restore.' }]);
      const plan = await loadPlan(deps.kv, previewId);
      if (!plan) throw new AdminError('not-found', 'This dry run is no longer stored. Run the dry run again and confirm its result.');
      // Confirming twice (a double click, a retried call) must neither start a second run nor log a second start.
      const running = await loadJob(deps.kv, plan.id);
      if (running) return { restoreId: running.id, previewId: plan.id, alreadyStarted: true };
      const job = await startRestore(deps, plan);
      await app.audit.append({ actor, action: 'restore.started', subject: subjectOf(plan), details: auditDetails(plan, job) });
      return { restoreId: job.id, previewId: plan.id };
    }),
  restoreStatus: (app, payload) =>
    withDeps(async (deps) => {
      const restoreId = typeof payload.restoreId === 'string' ? payload.restoreId : '';
      const status = restoreId ? await getRestoreStatus(deps, restoreId) : undefined;
      if (!status) throw new AdminError('not-found', 'This restore is not known. Start it again from the dry run.');
      const plan = await loadPlan(deps.kv, status.job.planId);
      const finished = status.job.status === 'done' || status.job.status === 'failed';
      if (finished && plan) await auditFinishedOnce(app, deps, plan, status.job, status.outcome);
      return {
        restoreId: status.job.id,
        state: status.job.status,
        // 'done' only says the job finished; the outcome says whether everything planned was restored.
        outcome: status.outcome,
        phase: status.job.phase,
        progress: plan ? progressOf(status.job, plan) : { done: 0, total: 0 },
        target: plan?.target.projectKey,
        startedAt: status.job.startedAt,
        finishedAt: status.job.finishedAt,
        error: status.job.error,
        rateLimitedPauses: status.job.rateLimitedPauses,
        issues: status.issues.map((issue) => ({ sourceKey: issue.sourceKey, targetKey: issue.target?.key, action: issue.action, error: issue.error })),
        report: status.report,
        notSettable: status.notSettable,
      };
    }),
};

/** Opens the ports and turns the engine's errors into messages the page can show: a lost backup, a Jira refusal, bad input. */
async function withDeps<T>(work: (deps: RestoreResolverDeps) => Promise<T>): Promise<T> {
  const deps = await provider();
  try {
    return await work(deps);
  } catch (error) {
    throw restoreAdminError(error) ?? error;
  }
}

/** The id the page made for this dry run or comparison: a retried call carries the same one and queues nothing new. */
function requestIdOf(payload: Record<string, unknown>): string {
  const id = payload.requestId;
  if (typeof id !== 'string' || !PLANNING_ID.test(id)) {
    const message = 'This request carries no valid id (the page makes one per dry run); reload the page and try again.';
    throw invalid([{ field: 'requestId', message }], message);
  }
  return id;
}

async function planningOf(deps: RestoreDeps, id: unknown, kind: PlanningRecord['task']['kind']): Promise<PlanningRecord> {
  const record = typeof id === 'string' && PLANNING_ID.test(id) ? await loadPlanning(deps.kv, id) : undefined;
  if (!record || record.task.kind !== kind) {
    throw new AdminError('not-found', kind === 'preview' ? 'This dry run is not known. Run the dry run again.' : 'This comparison is not known. Show the changes again.');
  }
  return record;
}

/**
 * How far a queued dry run or comparison is. A planning that failed answers with its error as data, not as a failed
 * call: the page must tell "the dry run says no" (final) from "this poll did not get through" (ask again).
 */
function planningStatus(record: PlanningRecord) {
  return {
    state: record.state,
    issuesRead: record.issuesRead,
    issuesCompared: record.issuesCompared,
    ...(record.error ? { error: { code: record.error.code, message: record.error.message, fields: record.error.fields ?? [] } } : {}),
  };
}

function fileIdOf(payload: Record<string, unknown>): string {
  const fileId = payload.fileId;
  if (typeof fileId !== 'string' || fileId.trim() === '') throw invalid([{ field: 'fileId', message: 'Pick the backup to restore from.' }]);
  return fileId;
}

function projectKeyOf(value: unknown, field: string): string {
  const key = typeof value === 'string' ? value.trim().toUpperCase() : '';
  if (!key) throw invalid([{ field, message: 'Pick a project of this backup.' }]);
  return key;
}

function optionalText(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** The page's request, checked field by field so each message lands next to its control. */
export function requestOf(payload: Record<string, unknown>): RestoreRequest {
  const snapshotId = fileIdOf(payload);
  const raw = payload.request;
  if (!raw || typeof raw !== 'object') throw invalid([{ field: 'request', message: 'Choose what to restore: issues or a whole project.' }]);
  const request = raw as Record<string, unknown>;
  const issueIds = () => {
    const ids = Array.isArray(request.issueIds) ? request.issueIds.filter((id): id is string => typeof id === 'string' && id !== '') : [];
    if (ids.length === 0) throw invalid([{ field: 'issueIds', message: 'Choose at least one issue: search the backup and add the issues you want back.' }]);
    // The request is kept in one KVS value (240 KiB) while the worker plans it; more issues are a project restore.
    if (ids.length > MAX_CHOSEN_ISSUES || ids.some((id) => id.length > 100)) {
      throw invalid([{ field: 'issueIds', message: `Choose at most ${MAX_CHOSEN_ISSUES.toLocaleString('en-US')} issues at a time; to bring back more, restore the whole project.` }]);
    }
    return ids;
  };
  switch (request.kind) {
    case 'issues':
      return { kind: 'issues', snapshotId, issueIds: issueIds() };
    case 'revert':
      return { kind: 'revert', snapshotId, issueIds: issueIds(), ...(Array.isArray(request.fields) ? { fields: request.fields.filter((f): f is string => typeof f === 'string') } : {}) };
    case 'project': {
      const projectKey = projectKeyOf(request.projectKey, 'projectKey');
      const newProject = request.newProject as { key?: unknown; name?: unknown } | undefined;
      if (!newProject) return { kind: 'project', snapshotId, projectKey };
      const key = typeof newProject.key === 'string' ? newProject.key.trim().toUpperCase() : '';
      if (!PROJECT_KEY.test(key)) {
        throw invalid([{ field: 'newProjectKey', message: 'Type a new project key: 2–10 capital letters, digits or underscores, starting with a letter (e.g. ENGR).' }]);
      }
      const name = typeof newProject.name === 'string' && newProject.name.trim() ? newProject.name.trim() : undefined;
      return { kind: 'project', snapshotId, projectKey, newProject: { key, ...(name ? { name } : {}) } };
    }
    default:
      throw invalid([{ field: 'request', message: 'Choose what to restore: "issues", a whole "project", or "revert" existing issues.' }]);
  }
}

/** The dry run as the page shows it: counts, one row per issue, what cannot be set and why. */
export function previewOf(plan: RestorePlan) {
  return {
    previewId: plan.id,
    snapshotId: plan.snapshotId,
    kind: plan.request.kind,
    target: { projectKey: plan.target.projectKey, createProject: plan.target.create ? { key: plan.target.create.key, name: plan.target.create.name } : undefined },
    componentsToCreate: plan.componentsToCreate,
    versionsToCreate: plan.versionsToCreate,
    totals: plan.totals,
    issues: plan.issues.map((issue) => ({
      sourceKey: issue.sourceKey,
      summary: issue.summary,
      action: issue.action,
      existingKey: issue.existing?.key,
      fieldsSet: issue.fieldsSet.length,
      fieldsNotSet: issue.fieldsNotSet.map((f) => ({ name: f.name, reason: f.reason })),
      targetStatus: issue.targetStatus,
      comments: issue.comments.length,
      worklogs: issue.worklogs.length,
      attachments: issue.attachments.length,
      links: issue.links.length,
      skipped: issue.skipped,
      blockedReason: issue.blockedReason,
    })),
    notSettable: plan.notSettable,
    warnings: plan.warnings,
  };
}

/**
 * How far the run is, in items: the project setup, each issue to create, each issue's content, each link, the rank
 * order. The job's phase and cursor say where it is; earlier phases count as done.
 */
export function progressOf(job: RestoreJob, plan: RestorePlan): { done: number; total: number } {
  const live = plan.issues.filter((issue) => !issue.blockedReason);
  if (plan.request.kind === 'revert') {
    const total = live.length;
    return { done: job.phase === 'done' ? total : Math.min(job.cursor, total), total };
  }
  const creates = live.filter((issue) => issue.action === 'create');
  const units: [RestoreJob['phase'], number][] = [
    ['project', 1],
    ['issues', creates.length],
    ['content', live.length],
    ['links', plan.totals.links],
    ['rank', 1],
  ];
  const total = units.reduce((sum, [, n]) => sum + n, 0);
  if (job.phase === 'done') return { done: total, total };
  let done = 0;
  for (const [phase, count] of units) {
    if (phase !== job.phase) {
      done += count;
      continue;
    }
    if (phase === 'issues') done += creates.filter((issue) => issue.wave < job.wave).length + job.cursor;
    else if (phase === 'content') done += job.cursor + (job.doneAhead?.length ?? 0);
    else if (phase === 'links') done += job.cursor;
    return { done: Math.min(done, total), total };
  }
  return { done: 0, total };
}

function subjectOf(plan: RestorePlan): string {
  const request = plan.request;
  const into = plan.target.create ? ` into new project ${plan.target.create.key}` : ` into ${plan.target.projectKey}`;
  if (request.kind === 'project') return `Project ${request.projectKey}${into} from backup ${plan.snapshotId}`;
  const keys = plan.issues.map((issue) => issue.sourceKey);
  const shown = keys.length > 5 ? `${keys.slice(0, 5).join(', ')} and ${keys.length - 5} more` : keys.join(', ');
  return `${request.kind === 'revert' ? 'Revert' : 'Issues'} ${shown}${into} from backup ${plan.snapshotId}`;
}

function auditDetails(plan: RestorePlan, job: RestoreJob): Record<string, string | number> {
  return {
    restoreId: job.id, fileId: plan.snapshotId, kind: plan.request.kind, targetProject: plan.target.projectKey,
    issuesToCreate: plan.totals.issuesToCreate, issuesToUpdate: plan.totals.issuesToUpdate, issuesToRevert: plan.totals.issuesToRevert,
  };
}

/**
 * `restore.finished` once per job, written by the first status read that sees it end (the worker keeps no audit log),
 * or by housekeeping (src/entry/housekeeping.ts) before it removes a finished restore nobody looked at.
 */
export async function auditFinishedOnce(
  app: Pick<AdminApp, 'audit'>, deps: Pick<RestoreDeps, 'kv'>, plan: RestorePlan, job: RestoreJob, outcome: RestoreOutcome | undefined,
): Promise<void> {
  const marker = FINISHED_AUDIT_PREFIX + job.id;
  if (await deps.kv.get(marker)) return;
  await deps.kv.set(marker, true);
  await app.audit.append({
    actor: 'system', action: 'restore.finished', subject: subjectOf(plan),
    details: { restoreId: job.id, outcome: outcome ?? job.status, ...(job.error ? { error: job.error.slice(0, 300) } : {}) },
  });
}

/** Field values as short text for the issue view (rich text and objects reduced to what a person reads). */
function displayValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map(displayValue).filter(Boolean).join(', ');
  const object = value as Record<string, unknown>;
  if (object.type === 'doc') return adfText(object).trim();
  for (const key of ['displayName', 'name', 'value', 'key']) if (typeof object[key] === 'string') return object[key] as string;
  return JSON.stringify(value).slice(0, 200);
}

function adfText(node: unknown): string {
  if (!node || typeof node !== 'object') return '';
  const n = node as { text?: string; content?: unknown[]; type?: string };
  const inner = (n.content ?? []).map(adfText).join(n.type === 'doc' ? '\n' : '');
  return (n.text ?? '') + inner;
}
