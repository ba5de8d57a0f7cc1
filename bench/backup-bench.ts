/**
 * Backup benchmark (`npm run bench [-- --issues N] [--projects P] [--latency-ms 50] [--memory-limit-mb 256]`): backs up a simulated site
 * through the Forge emulator (the real worker, real @forge/* packages, managed storage on disk) for a full run and
 * an incremental run after 1% of the issues changed, and prints per run: Jira requests and points per 1,000
 * issues, the points lower bound, wall time, issues per minute, peak RSS and bytes written. The last line is one
 * JSON object with the same figures. Without --issues it runs 10,000 and 100,000 issues (the big one takes long).
 *
 * Three processes: this one leads; the Jira simulator runs in a child (this file with --serve-sim); each backup run
 * runs in a child of its own (--run-backup) with the emulator, so its peak RSS is the backup's (engine + emulator),
 * not the simulated site's. That child starts inside a memory cgroup of --memory-limit-mb (default 256) when the
 * machine allows it (memory-cgroup.ts says why): Node then sizes its heap as in a Forge function of that memory, and
 * a backup that needed more would be killed, not reported.
 *
 * Points lower bound: what a perfect reader must spend for the same run, 1 per request at the largest page each
 * endpoint allows + the points of every object that had to be read. Per-issue endpoints (remote links, properties,
 * comments and worklogs with their properties, watchers, votes) have no bulk form, so one request per issue that
 * needs them is part of the bound; progress counts, deleted-issue range checks beyond one count per project, and
 * ids-only listings are not (they count against us).
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryCgroup, type MemoryCgroup } from './memory-cgroup';

interface RouteStats { requests: number; points: number; objects: number }
interface SimStats { requests: number; points: number; lowerBound: number; byRoute: Record<string, RouteStats> }
interface RunFigures {
  run: string;
  issues: number;
  readIssues: number;
  requests: number;
  points: number;
  pointsLowerBound: number;
  requestsPer1000: number;
  pointsPer1000: number;
  lowerBoundPer1000: number;
  pointsOverLowerBound: number;
  wallSeconds: number;
  issuesPerMinute: number;
  peakRssMb: number;
  /** RSS when the run started (tsx, the emulator, the SDK packages): the peak minus this is what the backup added. */
  startRssMb: number;
  /** The V8 heap limit Node chose for the backup process (from the cgroup's memory limit when there is one). */
  heapLimitMb: number;
  bytesWritten: number;
  state: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Child role: the Jira simulator, answering the parent over IPC.
// ---------------------------------------------------------------------------------------------------------------

/** Largest page per route (objects per request) a perfect reader would use; absent: one object per request. */
const MAX_PAGE: Record<string, number> = {
  'GET /rest/api/3/search/jql': 100,
  'POST /rest/api/3/changelog/bulkfetch': 10000,
  'GET /rest/api/3/users/search': 1000,
  'GET /rest/api/3/statuses/search': 200,
  'GET /rest/api/3/issue/{issueIdOrKey}/comment': 100,
  'GET /rest/api/3/issue/{issueIdOrKey}/worklog': 5000,
  'GET /rest/api/3/field/{fieldId}/context/{contextId}/option': 100,
};
const DEFAULT_LIST_PAGE = 50;
const LISTS = /search|\/version$|\/component$|\/sprint$|\/board$|\/group\/|\/context$|\/remotelink$|\/watchers$|\/votes$|\/properties$|\/role$|\/issuetype$|\/field$|\/issueLinkType$/;

async function serveSimulator(): Promise<void> {
  const { startJiraSimulator } = await import('../local/jira-sim/server');
  const { recordChange, deleteIssue, insertIssue } = await import('../local/jira-sim/mutations');
  const options = JSON.parse(process.env.BENCH_SIM ?? '{}') as { issues: number; projects: number; latencyMs: number };
  const sim = await startJiraSimulator({ port: 0, site: { seed: 42, issues: options.issues, projects: options.projects, attachmentsMb: 0 }, latencyMs: options.latencyMs });

  const stats = (): SimStats => {
    const byRoute: Record<string, RouteStats> = {};
    // Lower bound per distinct list (route + path + query without paging): ceil(objects / max page) requests.
    const lists = new Map<string, { route: string; objects: number; objectPoints: number }>();
    let requests = 0;
    let points = 0;
    for (const e of sim.requestLog.entries) {
      const route = `${e.method} ${e.route ?? e.path}`;
      const slot = (byRoute[route] ??= { requests: 0, points: 0, objects: 0 });
      slot.requests++;
      slot.points += e.points;
      slot.objects += e.objects;
      requests++;
      points += e.points;
      if (e.status < 200 || e.status > 299) continue;
      const idsOnly = /fields=id(&|$)/.test(e.query);
      if (idsOnly || route.endsWith('/search/approximate-count')) continue; // overhead, see the header
      const query = e.query.replace(/[?&](startAt|maxResults|nextPageToken)=[^&]*/g, '');
      const key = route.endsWith('/search/jql') || route.endsWith('/changelog/bulkfetch') ? route : `${route} ${e.path}${query}`;
      const list = lists.get(key) ?? { route, objects: 0, objectPoints: 0 };
      list.objects += e.objects;
      list.objectPoints += Math.max(0, e.points - 1);
      lists.set(key, list);
    }
    let lowerBound = 0;
    for (const list of lists.values()) {
      const page = MAX_PAGE[list.route] ?? (LISTS.test(list.route) ? DEFAULT_LIST_PAGE : 1);
      lowerBound += Math.max(1, Math.ceil(list.objects / page)) + list.objectPoints;
    }
    // One count per project is what a perfect deleted-issue check needs (incremental runs only).
    if (sim.requestLog.entries.some((e) => e.route === '/rest/api/3/search/jql' && /updated/.test(decodeURIComponent(e.query)))) lowerBound += sim.site.projects.length;
    return { requests, points, lowerBound, byRoute };
  };

  process.on('message', (message: { id: number; cmd: string; share?: number }) => {
    let reply: unknown;
    if (message.cmd === 'stats') reply = stats();
    else if (message.cmd === 'clear') sim.requestLog.clear();
    else if (message.cmd === 'mutate') {
      // 1% of issues change: most are edited, a few are created and a few deleted.
      const site = sim.site;
      const now = Date.now();
      const all = [...site.issues.values()];
      const count = Math.max(1, Math.round(all.length * (message.share ?? 0.01)));
      const step = Math.max(1, Math.floor(all.length / count));
      let edited = 0;
      let deleted = 0;
      for (let i = 0, n = 0; n < count && i < all.length; i += step, n++) {
        const issue = all[i];
        if (n % 50 === 49) {
          deleteIssue(site, issue.id);
          deleted++;
          continue;
        }
        recordChange(site, issue, site.appAccountId, now, [{ field: 'summary', fieldtype: 'jira', fieldId: 'summary', from: null, fromString: issue.summary, to: null, toString: `${issue.summary} (edited)` }]);
        issue.summary = `${issue.summary} (edited)`;
        edited++;
      }
      const created = Math.max(1, Math.round(count / 50));
      const project = site.projects[0];
      for (let n = 0; n < created; n++) {
        insertIssue(site, {
          projectId: project.id, issueTypeId: project.issueTypeIds[0], statusId: site.statuses[0].id, priorityId: site.priorities[0].id, resolutionId: null,
          summary: 'Created for the incremental benchmark', description: null, environment: null, reporterId: site.appAccountId, assigneeId: null,
          creatorId: site.appAccountId, resolutionDate: null, dueDate: null, labels: [], componentIds: [], fixVersionIds: [], affectsVersionIds: [], parentId: null, custom: {},
        }, now);
      }
      reply = { edited, deleted, created, issues: site.issues.size };
    } else if (message.cmd === 'stop') {
      void sim.stop().then(() => process.exit(0));
      return;
    }
    process.send?.({ id: message.id, reply });
  });
  process.send?.({ id: 0, reply: { baseUrl: sim.baseUrl, issues: sim.site.issues.size } });
}

// ---------------------------------------------------------------------------------------------------------------
// Parent role: the benchmark.
// ---------------------------------------------------------------------------------------------------------------

class SimChild {
  private nextId = 1;
  private readonly waiting = new Map<number, (reply: unknown) => void>();
  private constructor(private readonly child: ChildProcess) {
    child.on('message', (message: { id: number; reply: unknown }) => {
      this.waiting.get(message.id)?.(message.reply);
      this.waiting.delete(message.id);
    });
  }

  static start(issues: number, projects: number, latencyMs: number): Promise<{ sim: SimChild; baseUrl: string }> {
    const child = fork(__filename, ['--serve-sim'], {
      execArgv: ['--import', 'tsx', '--max-old-space-size=4096'],
      env: { ...process.env, BENCH_SIM: JSON.stringify({ issues, projects, latencyMs }) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const sim = new SimChild(child);
    return new Promise((resolve, reject) => {
      sim.waiting.set(0, (reply) => resolve({ sim, baseUrl: (reply as { baseUrl: string }).baseUrl }));
      child.once('exit', (code) => reject(new Error(`The simulator process exited (${code}) before it was ready.`)));
    });
  }

  ask<T>(cmd: string, extra: Record<string, unknown> = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, (reply) => resolve(reply as T));
      this.child.send({ id, cmd, ...extra });
    });
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.send({ id: -1, cmd: 'stop' });
    });
  }
}

/** What one backup run reports from its own process. */
interface BackupOutcome {
  wallSeconds: number;
  peakRssMb: number;
  startRssMb: number;
  heapLimitMb: number;
  bytesWritten: number;
  state: string;
  dropped: number;
}

// ---------------------------------------------------------------------------------------------------------------
// Child role: one backup run (full or incremental), as its own process so that its memory is measured alone and
// can be limited like a Forge function's. The platform's state (KVS, objects, events) lives in dataDir between runs,
// as Forge keeps it between invocations.
// ---------------------------------------------------------------------------------------------------------------

async function runBackup(): Promise<void> {
  const { baseUrl, dataDir, run } = JSON.parse(process.env.BENCH_RUN ?? '{}') as { baseUrl: string; dataDir: string; run: 'full' | 'incremental' };
  const { ForgePlatform } = await import('../local/forge');
  const { forgeJiraClient, forgeJobQueue, forgeKeyValue } = await import('../src/adapters/forge');
  const { createRateLimitGovernor } = await import('../src/adapters/jira/rate-limit-governor');
  const { ManagedStore } = await import('../src/adapters/storage/managed-store');
  const { getJobStatus, startBackup } = await import('../src/core/backup');
  const { defaultPlan } = await import('../src/core/plans/defaults');
  const { getHeapStatistics } = await import('node:v8');

  const platform = await ForgePlatform.start({ appDir: join(__dirname, '..'), dataDir, jira: { baseUrl } });
  const clock = { now: () => Date.now() };
  const kv = forgeKeyValue();
  const deps = {
    jira: createRateLimitGovernor(forgeJiraClient({ as: 'app' }), { clock, sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)) }),
    store: new ManagedStore({ keyValue: kv, clock, quotaBytes: 100 * 1024 ** 3 }),
    kv,
    queue: forgeJobQueue(),
    clock,
  };
  const plan = { ...defaultPlan('bench', 'Benchmark'), content: 'basic' as const };
  const startRss = process.memoryUsage().rss;
  const started = performance.now();
  const result = await startBackup(deps, { plan, trigger: 'manual', now: clock.now() });
  if (!result.started) throw new Error(`The ${run} backup did not start: ${result.message}`);
  if (result.mode !== run) throw new Error(`Expected a ${run} run, got ${result.mode}.`);
  const report = await platform.runUntilIdle({ maxDeliveries: 100_000 });
  const wallSeconds = (performance.now() - started) / 1000;
  const status = await getJobStatus(deps, plan.id);
  await platform.stop();
  const outcome: BackupOutcome = {
    wallSeconds,
    // The kernel's high-water mark for this process (KiB): every byte it ever had resident, not a sample.
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    startRssMb: Math.round(startRss / 1024 / 1024),
    heapLimitMb: Math.round(getHeapStatistics().heap_size_limit / 1024 / 1024),
    bytesWritten: status?.bytesWritten ?? 0,
    state: status?.state ?? 'unknown',
    dropped: report.dropped,
  };
  process.send?.(outcome, () => process.exit(0));
}

/** Runs one backup in a child process, inside the memory cgroup when there is one. */
function backupProcess(baseUrl: string, dataDir: string, run: 'full' | 'incremental', cgroup: MemoryCgroup | undefined): Promise<BackupOutcome> {
  const node = [process.execPath, '--import', 'tsx', __filename, '--run-backup'];
  // The shell moves itself into the cgroup, then becomes node: Node starts inside the limit and sizes its heap from it.
  const [command, ...args] = cgroup ? ['/bin/sh', '-c', 'echo $$ > "$0" && exec "$@"', cgroup.procsFile, ...node] : node;
  const child = spawn(command, args, {
    env: { ...process.env, BENCH_RUN: JSON.stringify({ baseUrl, dataDir, run }) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    let outcome: BackupOutcome | undefined;
    child.on('message', (message: BackupOutcome) => (outcome = message));
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (outcome) return resolve(outcome);
      if (cgroup && cgroup.oomKills() > 0) {
        return reject(new Error(`The ${run} backup needed more than ${cgroup.limitMb} MB: the kernel killed it (out of memory in its cgroup).`));
      }
      reject(new Error(`The ${run} backup process ended (${signal ?? `exit code ${code}`}) without a result; see its output above.`));
    });
  });
}

async function benchSize(issues: number, projects: number, latencyMs: number, cgroup: MemoryCgroup | undefined): Promise<RunFigures[]> {
  const { sim, baseUrl } = await SimChild.start(issues, projects, latencyMs);
  const dataDir = mkdtempSync(join(tmpdir(), 'backup-bench-'));
  const figures: RunFigures[] = [];
  try {
    for (const run of ['full', 'incremental'] as const) {
      let readIssues = issues;
      if (run === 'incremental') {
        const changed = await sim.ask<{ edited: number; deleted: number; created: number; issues: number }>('mutate', { share: 0.01 });
        readIssues = changed.edited + changed.created;
        console.error(`  changed: ${changed.edited} edited, ${changed.created} created, ${changed.deleted} deleted`);
      }
      await sim.ask('clear');
      const outcome = await backupProcess(baseUrl, dataDir, run, cgroup);
      const stats = await sim.ask<SimStats>('stats');
      if (outcome.dropped > 0) console.error(`  warning: ${outcome.dropped} event(s) dropped`);
      const per1000 = (n: number) => Math.round((n / issues) * 1000 * 10) / 10;
      figures.push({
        run: `${run} ${issues.toLocaleString('en-US')}`,
        issues,
        readIssues,
        requests: stats.requests,
        points: stats.points,
        pointsLowerBound: stats.lowerBound,
        requestsPer1000: per1000(stats.requests),
        pointsPer1000: per1000(stats.points),
        lowerBoundPer1000: per1000(stats.lowerBound),
        pointsOverLowerBound: Math.round((stats.points / stats.lowerBound) * 100) / 100,
        wallSeconds: Math.round(outcome.wallSeconds * 10) / 10,
        issuesPerMinute: Math.round(readIssues / (outcome.wallSeconds / 60)),
        peakRssMb: outcome.peakRssMb,
        startRssMb: outcome.startRssMb,
        heapLimitMb: outcome.heapLimitMb,
        bytesWritten: outcome.bytesWritten,
        state: outcome.state,
      });
      console.error(`  ${run}: ${outcome.state} in ${outcome.wallSeconds.toFixed(1)} s; top routes: ${topRoutes(stats.byRoute)}`);
    }
  } finally {
    await sim.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return figures;
}

function topRoutes(byRoute: Record<string, RouteStats>): string {
  return Object.entries(byRoute)
    .sort(([, a], [, b]) => b.points - a.points)
    .slice(0, 4)
    .map(([route, s]) => `${route.replace('/rest/api/3', '')} ${s.requests} req/${s.points} pts`)
    .join(', ');
}

function printTable(rows: RunFigures[]): void {
  const columns: [string, (r: RunFigures) => string][] = [
    ['run', (r) => r.run],
    ['read issues', (r) => String(r.readIssues)],
    ['requests', (r) => String(r.requests)],
    ['req/1k', (r) => String(r.requestsPer1000)],
    ['points', (r) => String(r.points)],
    ['pts/1k', (r) => String(r.pointsPer1000)],
    ['bound', (r) => String(r.pointsLowerBound)],
    ['bound/1k', (r) => String(r.lowerBoundPer1000)],
    ['pts/bound', (r) => r.pointsOverLowerBound.toFixed(2)],
    ['wall s', (r) => r.wallSeconds.toFixed(1)],
    ['issues/min', (r) => String(r.issuesPerMinute)],
    ['peak RSS MB', (r) => String(r.peakRssMb)],
    ['RSS at start MB', (r) => String(r.startRssMb)],
    ['heap limit MB', (r) => String(r.heapLimitMb)],
    ['bytes written', (r) => String(r.bytesWritten)],
    ['state', (r) => r.state],
  ];
  const widths = columns.map(([name, get]) => Math.max(name.length, ...rows.map((r) => get(r).length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i])).join('  ');
  console.log(line(columns.map(([name]) => name)));
  for (const row of rows) console.log(line(columns.map(([, get]) => get(row))));
}

const USAGE = 'Usage: npm run bench -- [--issues N] [--projects P] [--latency-ms MS] [--memory-limit-mb MB (0: none)]';

function parseArgs(argv: string[]): { sizes: number[]; projects?: number; latencyMs: number; memoryLimitMb: number } {
  const sizes: number[] = [];
  let projects: number | undefined;
  let latencyMs = 50;
  let memoryLimitMb = 256;
  for (let i = 0; i < argv.length; i++) {
    const value = Number(argv[i + 1]);
    const needNumber = (name: string) => {
      if (!Number.isInteger(value) || value < 0) throw new Error(`${name} needs a whole number, got '${argv[i + 1]}'. ${USAGE}`);
    };
    if (argv[i] === '--issues') { needNumber('--issues'); sizes.push(value); i++; }
    else if (argv[i] === '--projects') { needNumber('--projects'); projects = value; i++; }
    else if (argv[i] === '--latency-ms') { needNumber('--latency-ms'); latencyMs = value; i++; }
    else if (argv[i] === '--memory-limit-mb') { needNumber('--memory-limit-mb'); memoryLimitMb = value; i++; }
    else throw new Error(`Unknown argument '${argv[i]}'. ${USAGE}`);
  }
  return { sizes: sizes.length > 0 ? sizes : [10_000, 100_000], projects, latencyMs, memoryLimitMb };
}

async function main(): Promise<void> {
  const { sizes, projects, latencyMs, memoryLimitMb } = parseArgs(process.argv.slice(2));
  const cgroup = memoryLimitMb > 0 ? createMemoryCgroup(memoryLimitMb) : { unavailable: 'no limit asked for (--memory-limit-mb 0)' };
  const limited = 'unavailable' in cgroup ? undefined : cgroup;
  console.error(limited
    ? `The backup runs in a child process inside a ${memoryLimitMb} MB memory cgroup, as a Forge function runs in a VM of its memoryMB.`
    : `The backup runs in a child process WITHOUT a memory limit (${(cgroup as { unavailable: string }).unavailable}): Node sizes its heap from this machine's memory, so its RSS is higher than in a Forge function.`);
  const rows: RunFigures[] = [];
  try {
    for (const issues of sizes) {
      const projectCount = projects ?? Math.max(3, Math.min(20, Math.round(issues / 5000)));
      console.error(`Backing up ${issues} issues in ${projectCount} projects, ${latencyMs} ms per Jira request…`);
      rows.push(...(await benchSize(issues, projectCount, latencyMs, limited)));
    }
  } finally {
    limited?.remove();
  }
  printTable(rows);
  console.log(JSON.stringify({ benchmark: 'backup', latencyMs, memoryLimitMb: limited ? memoryLimitMb : null, runs: rows }));
}

if (process.argv.includes('--serve-sim')) {
  void serveSimulator();
} else if (process.argv.includes('--run-backup')) {
  runBackup().catch((error: unknown) => {
    console.error(error instanceof Error ? error.stack : error);
    process.exit(1);
  });
} else {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error instanceof Error ? error.stack : error);
      process.exit(1);
    },
  );
}
