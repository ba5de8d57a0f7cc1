/**
 * npm run roundtrip — the restore round trip on a seeded Jira simulator site:
 *   back it up (Extended) with the backup engine → delete issues, comments, attachments and a whole project →
 *   restore them (the project under a new key) → compare every field, comment, worklog, attachment byte, link,
 *   remote link, watcher and property with the original. Prints each difference with its reason; the last line is
 *   one JSON object with the counts. Exit code 1 when a difference has no reason.
 * By default the app runs on the local Forge emulator (real @forge/* packages, the manifest's worker consuming the
 * backup and restore queue events, managed storage); --direct drives the engines in-process instead.
 * Options: --seed N --issues N --projects N (defaults 7, 60, 3), --direct, --duplicates (the emulator delivers a
 * third of the events twice, as Forge's at-least-once delivery may).
 */
import { join } from 'node:path';
import { ForgePlatform } from '../local/forge';
import { forgeJiraClient, forgeJobQueue, forgeKeyValue } from '../src/adapters/forge';
import { ManagedStore } from '../src/adapters/storage/managed-store';
import type { BackupStore, JiraClient, JobQueue, KeyValue } from '../src/ports';
import { createHttpJiraClient } from '../src/adapters/jira/http-jira-client';
import { createRateLimitGovernor } from '../src/adapters/jira/rate-limit-governor';
import { MemoryStore } from '../src/adapters/storage/memory-store';
import { isBackupStepEvent, runStep, startBackup, type BackupStepEvent } from '../src/core/backup';
import { defaultPlan } from '../src/core/plans/defaults';
import { formatSnapshotOpener, getRestoreStatus, planRestore, runRestoreStep, startRestore, type RestoreDeps, type RestoreStepEvent } from '../src/core/restore';
import { compareIssue, type Difference } from '../src/core/restore/compare/compare-issue';
import { readIssueState, type IssueState } from '../src/core/restore/compare/issue-state';
import { IdMap } from '../src/core/restore/id-map';
import type { IssueResult } from '../src/core/restore/job-state';
import { startJiraSimulator, type JiraSimulator } from '../local/jira-sim/server';
import { deleteIssue, deleteProject } from '../local/jira-sim/mutations';
import { MemoryKeyValue } from '../test/restore/support/memory-kv';
import { MemoryQueue } from '../test/restore/support/scenario';

const arg = (name: string, fallback: number) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
};

async function main(): Promise<void> {
  const started = Date.now();
  const sim = await startJiraSimulator({ port: 0, site: { seed: arg('seed', 7), projects: arg('projects', 3), issues: arg('issues', 60), attachmentsMb: 1 } });
  const direct = process.argv.includes('--direct');
  const duplicateDelivery = process.argv.includes('--duplicates') ? 0.34 : false;
  const platform = direct ? undefined : await ForgePlatform.start({ appDir: join(__dirname, '..'), dataDir: 'memory', jira: { baseUrl: sim.baseUrl }, duplicateDelivery, seed: 1 });
  try {
    await roundTrip(sim, started, platform);
  } finally {
    await platform?.stop();
    await sim.stop();
  }
}

/** The ports: Forge's (through the emulator) or in-process ones. */
function ports(sim: JiraSimulator, platform: ForgePlatform | undefined): { jira: JiraClient; kv: KeyValue; queue: JobQueue & { events?: MemoryQueue['events'] }; store: BackupStore; clock: { now(): number } } {
  const clock = { now: () => Date.now() };
  const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
  if (platform) {
    const kv = forgeKeyValue();
    return { jira: createRateLimitGovernor(forgeJiraClient({ as: 'app' }), { clock, sleep }), kv, queue: forgeJobQueue(), store: new ManagedStore({ keyValue: kv, clock }), clock };
  }
  return {
    jira: createRateLimitGovernor(createHttpJiraClient({ baseUrl: sim.baseUrl }), { clock, sleep, maxConcurrency: 8 }),
    kv: new MemoryKeyValue(),
    queue: new MemoryQueue(),
    store: new MemoryStore({ maxObjectBytes: 4 * 1024 * 1024 }),
    clock,
  };
}

async function roundTrip(sim: JiraSimulator, started: number, platform: ForgePlatform | undefined): Promise<void> {
  const { jira, kv, queue, store, clock } = ports(sim, platform);
  const runQueue = async (what: string) => {
    if (!platform) return what === 'backup' ? drainBackup({ jira, store, kv, queue: queue as MemoryQueue, clock }) : drainRestore({ jira, kv, queue, clock, snapshots: formatSnapshotOpener(store) }, queue as MemoryQueue);
    const report = await platform.runUntilIdle();
    const failed = platform.invocations.filter((i) => i.functionKey === 'worker' && i.outcome !== 'ok');
    console.log(`  emulator: ${report.delivered} event(s) delivered to the worker, ${report.retried} retried, ${report.dropped} dropped, ${failed.length} failed invocation(s)`);
    for (const f of failed.slice(0, 5)) console.log(`    ${f.outcome}: ${String(f.error).slice(0, 200)}`);
  };
  console.log(platform ? 'mode: through the Forge emulator (worker consumes backup and restore events; managed storage)' : 'mode: direct (engines in-process)');

  // 1. Back up (Extended) with the engine.
  await startBackup({ jira, store, kv, queue, clock }, { plan: { ...defaultPlan('roundtrip', 'Round trip'), content: 'extended' }, trigger: 'manual', now: clock.now() });
  await runQueue('backup');
  const snapshots = formatSnapshotOpener(store);
  const [snapshot] = await snapshots.list();
  if (!snapshot) throw new Error('The backup committed no snapshot; see the engine output above.');
  console.log(`backup: snapshot ${snapshot.snapshotId} (${snapshot.kind}) of ${snapshot.projectKeys.join(', ')}`);

  // 2. Read the original state of the two projects the data loss hits, through the REST API.
  const [lossy, doomed] = sim.site.projects;
  const issuesOf = (projectId: number) => [...sim.site.issues.values()].filter((i) => i.projectId === projectId).map((i) => String(i.id));
  const originals = new Map<string, IssueState>();
  for (const id of [...issuesOf(lossy.id), ...issuesOf(doomed.id)]) originals.set(id, (await readIssueState(jira, id))!);

  // 3. Data loss: issues (with their sub-tasks), comments and attachments in one project; a whole project.
  const lossyIssues = issuesOf(lossy.id).map((id) => sim.site.issues.get(Number(id))!);
  // Survivors lose a comment or an attachment; other issues (with their sub-tasks) are deleted outright.
  const attachmentLoss = lossyIssues.filter((i) => i.attachmentIds.length > 0 && i.parentId === null).slice(0, 4);
  const commentLoss = lossyIssues.filter((i) => i.comments.length > 0 && i.parentId === null && !attachmentLoss.includes(i)).slice(0, 4);
  const deleted = lossyIssues.filter((i) => !attachmentLoss.includes(i) && !commentLoss.includes(i) && i.parentId === null && i.comments.length > 0).slice(0, 5);
  for (const issue of [...deleted]) for (const child of lossyIssues.filter((c) => c.parentId === issue.id)) if (!deleted.includes(child)) deleted.push(child);
  let commentsDeleted = 0;
  let attachmentsDeleted = 0;
  for (const issue of commentLoss) {
    issue.comments.splice(0, 1);
    commentsDeleted++;
  }
  for (const issue of attachmentLoss) {
    sim.site.attachments.delete(issue.attachmentIds.shift()!);
    attachmentsDeleted++;
  }
  for (const issue of deleted) deleteIssue(sim.site, issue.id);
  deleteProject(sim.site, doomed.id);
  console.log(`data loss: ${deleted.length} issues, ${commentsDeleted} comments, ${attachmentsDeleted} attachments in ${lossy.key}; project ${doomed.key} with ${issuesOf(doomed.id).length || originals.size - lossyIssues.length} issues`);

  // 4. Restore: the damaged project in place, the deleted one under a new key.
  const deps: RestoreDeps = { jira, kv, queue, clock, snapshots };
  const newKey = `R${doomed.key}`.slice(0, 10);
  const reports = new Map<string, IssueResult>();
  const rankOrders: { target: string; fieldId: string; order: string[] }[] = [];
  const skippedBySource = new Map<string, { what: string; reason: string }[]>();
  const restoreStarted = Date.now();
  const requestsBefore = sim.requestLog.entries?.length ?? 0;
  for (const request of [
    { kind: 'project' as const, snapshotId: snapshot.snapshotId, projectKey: lossy.key },
    { kind: 'project' as const, snapshotId: snapshot.snapshotId, projectKey: doomed.key, newProject: { key: newKey } },
  ]) {
    const plan = await planRestore(deps, request);
    console.log(`plan ${request.projectKey}${request.newProject ? ` → ${newKey}` : ''}: ${JSON.stringify(plan.totals)}`);
    for (const warning of plan.warnings) console.log(`  warning: ${warning}`);
    await startRestore(deps, plan);
    await runQueue('restore');
    const status = (await getRestoreStatus(deps, plan.id))!;
    console.log(`restore ${request.projectKey}: ${status.job.status} in ${status.job.steps} step(s)${status.job.error ? ` — ${status.job.error}` : ''}`);
    for (const line of status.report.filter((l) => /not restored|failed|not set|not "/.test(l)).slice(0, 20)) console.log(`  ${line}`);
    for (const result of status.issues) reports.set(result.sourceId, result);
    for (const issue of plan.issues) skippedBySource.set(issue.sourceId, issue.skipped);
    if (plan.rank) rankOrders.push({ target: plan.target.projectKey, ...plan.rank });
  }
  const restoreMs = Date.now() - restoreStarted;

  // 5. Compare each original issue with what is on the site now.
  const lossyMap = new IdMap(kv, lossy.key);
  const doomedMap = new IdMap(kv, newKey);
  const liveIds = new Map<string, string | undefined>();
  for (const id of originals.keys()) {
    const mapped = (await lossyMap.get('issue', id)) ?? (await doomedMap.get('issue', id));
    liveIds.set(id, mapped?.targetId ?? (sim.site.issues.has(Number(id)) ? id : undefined));
  }
  const liveIdOf = (id: string) => liveIds.get(id) ?? (sim.site.issues.has(Number(id)) ? id : undefined);
  const fields = new Map((await (await snapshots.open(snapshot.snapshotId)).fields()).map((f) => [f.id, f]));
  const doomedIds = new Set(issuesOf(doomed.id));
  let compared = 0;
  let equal = 0;
  const differences: Difference[] = [];
  const restoredStates = new Map<string, IssueState>();
  for (const [id, original] of originals) {
    const liveId = liveIds.get(id);
    const restored = liveId ? await readIssueState(jira, liveId) : undefined;
    if (restored) restoredStates.set(id, restored);
    const outcome = compareIssue(original, restored, {
      fields,
      liveIdOf,
      report: reports.get(id),
      skipped: skippedBySource.get(id),
      newProjectKey: doomedIds.has(id) || original.key.startsWith(`${doomed.key}-`) ? newKey : undefined,
      restoringAccountId: sim.accounts.app,
    });
    compared += outcome.compared;
    equal += outcome.equal;
    differences.push(...outcome.differences);
  }
  // Rank values are Jira's, but the relative order of the re-created issues must be the snapshot's.
  for (const { target, fieldId, order } of rankOrders) {
    const ranks = order.map((id) => restoredStates.get(id)?.fields[fieldId]).filter((r): r is string => typeof r === 'string');
    const sorted = [...ranks].sort();
    compared++;
    if (ranks.length === order.length && ranks.every((r, i) => r === sorted[i])) equal++;
    else differences.push({ issue: target, entity: `rank order of ${order.length} re-created issues`, original: order, restored: ranks });
  }
  const explained = differences.filter((d) => d.reason);
  const unexplained = differences.filter((d) => !d.reason);
  const byReason = new Map<string, number>();
  for (const d of explained) byReason.set(`${d.entity.replace(/ \d+/g, ' N').replace(/^(attachment|remote link) .*? (bytes|author and time)$/, '$1 … $2')}: ${d.reason}`, (byReason.get(`${d.entity.replace(/ \d+/g, ' N').replace(/^(attachment|remote link) .*? (bytes|author and time)$/, '$1 … $2')}: ${d.reason}`) ?? 0) + 1);
  console.log('\ndifferences with a reason (grouped):');
  for (const [line, count] of [...byReason].sort((a, b) => b[1] - a[1])) console.log(`  ${count} × ${line}`);
  console.log(`\ndifferences WITHOUT a reason: ${unexplained.length}`);
  for (const d of unexplained.slice(0, 50)) console.log(`  ${d.issue} ${d.entity}: original ${short(d.original)} restored ${short(d.restored)}`);
  const restoreRequests = (sim.requestLog.entries?.length ?? 0) - requestsBefore;
  console.log(
    JSON.stringify({
      issues: originals.size,
      entitiesCompared: compared,
      equal,
      differentWithReason: explained.length,
      differentUnexplained: unexplained.length,
      restoreMs,
      restoreRequests,
      totalMs: Date.now() - started,
    }),
  );
  if (unexplained.length > 0) process.exitCode = 1;
}

function short(value: unknown): string {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}

async function drainBackup(deps: Parameters<typeof runStep>[0] & { queue: MemoryQueue }): Promise<void> {
  for (let n = 0; deps.queue.events.length > 0; n++) {
    if (n > 10_000) throw new Error('the backup did not finish');
    const { event } = deps.queue.events.shift()!;
    if (!isBackupStepEvent(event)) throw new Error(`unexpected event ${JSON.stringify(event)}`);
    const outcome = await runStep(deps, event as BackupStepEvent, { remainingMs: 900_000 });
    if (outcome.action === 'retry-later') deps.queue.events.push({ event });
  }
}

async function drainRestore(deps: RestoreDeps, queue: MemoryQueue): Promise<void> {
  for (let n = 0; queue.events.length > 0; n++) {
    if (n > 10_000) throw new Error('the restore did not finish');
    const { event } = queue.events.shift()!;
    try {
      await runRestoreStep(deps, event as RestoreStepEvent);
    } catch (error) {
      console.log(`  step failed (redelivered): ${error instanceof Error ? error.message : String(error)}`);
      queue.events.push({ event });
    }
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
