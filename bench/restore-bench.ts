/**
 * Restore benchmark: restores a deleted 1,000-issue project from an Extended snapshot into a new project on the
 * Jira simulator with Jira's rate limits on (65,000 points/h, 100 req/s per endpoint, 20 writes / 2 s and 100 / 30 s
 * per issue), through the rate-limit governor. Prints time, requests, points and 429s per route; the last line is
 * one JSON object. Options: --issues N (1000) --latency ms (50) --seed N (21).
 */
import { createHttpJiraClient } from '../src/adapters/jira/http-jira-client';
import { createRateLimitGovernor } from '../src/adapters/jira/rate-limit-governor';
import { MemoryStore } from '../src/adapters/storage/memory-store';
import { isBackupStepEvent, runStep, startBackup, type BackupStepEvent } from '../src/core/backup';
import { defaultPlan } from '../src/core/plans/defaults';
import { formatSnapshotOpener, getRestoreStatus, planRestore, runRestoreStep, startRestore, type RestoreDeps, type RestoreStepEvent } from '../src/core/restore';
import { startJiraSimulator } from '../local/jira-sim/server';
import { deleteProject } from '../local/jira-sim/mutations';
import { MemoryKeyValue } from '../test/restore/support/memory-kv';
import { MemoryQueue } from '../test/restore/support/scenario';

const arg = (name: string, fallback: number) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
};

async function main(): Promise<void> {
  const issues = arg('issues', 1000);
  const sim = await startJiraSimulator({ port: 0, site: { seed: arg('seed', 21), projects: 1, issues, attachmentsMb: 2 } });
  try {
    const clock = { now: () => Date.now() };
    const jira = createRateLimitGovernor(createHttpJiraClient({ baseUrl: sim.baseUrl }), { clock, sleep: (ms) => new Promise((r) => setTimeout(r, ms)), maxConcurrency: 8 });
    const store = new MemoryStore({ maxObjectBytes: 8 * 1024 * 1024 });
    const kv = new MemoryKeyValue();
    const queue = new MemoryQueue();

    // Setup (not measured): an Extended snapshot of the site, then the project is deleted.
    await startBackup({ jira, store, kv, queue, clock }, { plan: { ...defaultPlan('bench', 'Bench'), content: 'extended' }, trigger: 'manual', now: clock.now() });
    while (queue.events.length > 0) {
      const { event } = queue.events.shift()!;
      if (!isBackupStepEvent(event)) throw new Error(`unexpected event ${event.kind}`);
      const outcome = await runStep({ jira, store, kv, queue, clock }, event as BackupStepEvent, { remainingMs: 900_000 });
      if (outcome.action === 'retry-later') queue.events.push({ event });
    }
    const snapshots = formatSnapshotOpener(store);
    const [snapshot] = await snapshots.list();
    const project = sim.site.projects[0];
    deleteProject(sim.site, project.id);

    // Measured: plan + run, with rate limits on.
    sim.configure({ rateLimits: {}, latencyMs: arg('latency', 50) });
    sim.requestLog.clear();
    const before = { ...jira.stats };
    const deps: RestoreDeps = { jira, kv, queue, clock, snapshots };
    const started = Date.now();
    const plan = await planRestore(deps, { kind: 'project', snapshotId: snapshot.snapshotId, projectKey: project.key, newProject: { key: 'BENCH' } });
    const planMs = Date.now() - started;
    const planRequests = sim.requestLog.entries.length;
    await startRestore(deps, plan);
    let steps = 0;
    while (queue.events.length > 0) {
      const { event, delaySeconds } = queue.events.shift()!;
      if (delaySeconds) await new Promise((r) => setTimeout(r, delaySeconds * 1000));
      steps++;
      await runRestoreStep(deps, event as RestoreStepEvent);
    }
    const totalMs = Date.now() - started;
    const status = (await getRestoreStatus(deps, plan.id))!;
    const log = sim.requestLog.entries;
    const throttled = log.filter((e) => e.status === 429);
    const byReason = new Map<string, number>();
    for (const e of throttled) byReason.set(e.rateLimitReason ?? '?', (byReason.get(e.rateLimitReason ?? '?') ?? 0) + 1);
    const failed = status.issues.filter((r) => r.error).length;

    console.log(`restore of ${plan.totals.issuesToCreate} issues (${project.key} → BENCH) with rate limits on`);
    console.log(`plan (dry run): ${planMs} ms, ${planRequests} requests; totals ${JSON.stringify(plan.totals)}`);
    console.log(`run: ${totalMs - planMs} ms in ${steps} step(s), job ${status.job.status}, ${failed} issue(s) not restored`);
    console.log('\nrequests by route (method template: requests / points / 429s)');
    const routes = new Map<string, { requests: number; points: number; throttled: number }>();
    for (const e of log) {
      const key = `${e.method} ${e.route ?? e.path}`;
      const slot = routes.get(key) ?? { requests: 0, points: 0, throttled: 0 };
      slot.requests++;
      slot.points += e.points;
      if (e.status === 429) slot.throttled++;
      routes.set(key, slot);
    }
    const first = log[0]?.at ?? 0;
    const span = new Map<string, [number, number]>();
    for (const e of log) {
      const key = `${e.method} ${e.route ?? e.path}`;
      const s = span.get(key) ?? [e.at, e.at];
      span.set(key, [Math.min(s[0], e.at), Math.max(s[1], e.at)]);
    }
    if (process.argv.includes('--timeline')) for (const [route, [a, b]] of [...span].sort((x, y) => x[1][0] - y[1][0])) console.log(`  ${String(a - first).padStart(7)}–${String(b - first).padStart(7)} ms  ${route}`);
    for (const [route, s] of [...routes].sort((a, b) => b[1].requests - a[1].requests)) console.log(`  ${route.padEnd(64)} ${String(s.requests).padStart(6)} ${String(s.points).padStart(7)} ${String(s.throttled).padStart(5)}`);
    const summary = {
      issues: plan.totals.issuesToCreate,
      restored: status.issues.filter((r) => r.target && !r.error).length,
      comments: plan.totals.comments,
      worklogs: plan.totals.worklogs,
      attachments: plan.totals.attachments,
      attachmentBytes: plan.totals.attachmentBytes,
      totalMs,
      planMs,
      issuesPerMinute: Math.round((plan.totals.issuesToCreate / totalMs) * 60_000),
      requests: log.length,
      requestsPer1000Issues: Math.round((log.length / Math.max(1, plan.totals.issuesToCreate)) * 1000),
      points: log.reduce((sum, e) => sum + e.points, 0),
      throttled429: throttled.length,
      throttledByReason: Object.fromEntries(byReason),
      governorRetries: jira.stats.retries - before.retries,
      governorWaitedMs: jira.stats.waitedMs - before.waitedMs,
      steps,
      jobStatus: status.job.status,
      peakRssMb: Math.round(process.memoryUsage().rss / 1048576),
    };
    console.log(JSON.stringify(summary));
  } finally {
    await sim.stop();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
