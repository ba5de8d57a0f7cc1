import { getJobProjects, getJobStatus, runStep, startBackup, type BackupJob, type BackupStepEvent, type ProjectProgress } from '../../src/core/backup';
import { backupKeys } from '../../src/core/backup/keys';
import { PROJECTS_PER_CHUNK } from '../../src/core/backup/project-list';
import { Rng } from '../../local/jira-sim/random';
import { drain, latestSnapshot, startHarness, testPlan, type Harness } from './harness';
import { expectSnapshotMatchesSite } from './expect-ground-truth';

/** Three chunks of the project list (50 + 50 + 30), so the cursor, the counters and the planning units cross chunk boundaries. */
const SITE = { seed: 12, projects: 130, issues: 260, attachmentsMb: 0 };

/** What the status must say when every project completed: exact counters, every line complete with its own issue count. */
async function expectAllComplete(h: Harness): Promise<void> {
  const status = (await getJobStatus(h.deps, 'plan-1'))!;
  expect(status).toMatchObject({ state: 'complete', projectsTotal: 130, projectsDone: 130, issuesDone: 260, issuesTotal: 260, projectErrors: [], siteErrors: {} });
  expect(status.projectStates).toEqual({ pending: 0, running: 0, complete: 130, failed: 0 });
  const { projects, total } = (await getJobProjects(h.deps, status.jobId, { from: 0, limit: 500 }))!;
  expect(total).toBe(130);
  const issuesOf = new Map<number, number>();
  for (const issue of h.sim.site.issues.values()) issuesOf.set(issue.projectId, (issuesOf.get(issue.projectId) ?? 0) + 1);
  expect(projects.map((p) => ({ key: p.key, state: p.state, issuesDone: p.issuesDone, issuesTotal: p.issuesTotal }))).toEqual(
    [...h.sim.site.projects]
      .sort((a, b) => a.key.localeCompare(b.key))
      .map((p) => ({ key: p.key, state: 'complete', issuesDone: issuesOf.get(p.id) ?? 0, issuesTotal: issuesOf.get(p.id) ?? 0 })),
  );
  const snapshot = await latestSnapshot(h.store);
  expect(snapshot.manifest.projects).toHaveLength(130);
  await expectSnapshotMatchesSite(snapshot, h.sim.site);
}

describe('the job project list (chunked, out of the job record)', () => {
  it('killed at random points across chunks and resumed, counts every project and issue exactly once', async () => {
    // One unit of work per step: planning (list, then one count per chunk), every project stage and finalize each its own step.
    const h = await startHarness({ sim: { site: SITE }, limits: { issuesPerCheckpoint: 20, stepBudgetMs: 1, maxStepAttempts: 40 } });
    try {
      // Kill a KVS write a few dozen writes ahead, again whenever the last one was used up (a kill that hits the lease's
      // release is swallowed on purpose, so count kills by the steps that died).
      const rng = Rng.for(7, 1, 1);
      let armed = 0;
      let kills = 0;
      await startBackup(h.deps, { plan: testPlan(), trigger: 'manual', now: h.clock.now() });
      for (let n = 0; n < 20_000 && h.queue.pending.length > 0; n++) {
        if (!h.kv.failOnWrite && armed < 80) {
          h.kv.failOnWrite = { countdown: rng.int(1, 40), error: new Error('invocation killed (KVS write)') };
          armed++;
        }
        const next = h.queue.pending.shift()!;
        if (next.delaySeconds) h.clock.offset += next.delaySeconds * 1000;
        try {
          const outcome = await runStep(h.deps, next.event as BackupStepEvent, { remainingMs: 900_000 });
          if (outcome.action === 'retry-later') {
            h.clock.offset += outcome.afterSeconds * 1000;
            h.queue.pending.push({ event: next.event });
          }
        } catch {
          // The platform redelivers the event of a step that died.
          kills++;
          h.clock.offset += 30_000;
          h.queue.pending.push({ event: next.event });
        }
      }
      expect(h.queue.pending).toEqual([]);
      expect(kills).toBeGreaterThanOrEqual(40);
      await expectAllComplete(h);
    } finally {
      await h.stop();
    }
  }, 60_000);

  it('every event delivered twice at once: the cursor moves once per project', async () => {
    const h = await startHarness({ sim: { site: SITE }, limits: { issuesPerCheckpoint: 20, stepBudgetMs: 1 } });
    try {
      await startBackup(h.deps, { plan: testPlan(), trigger: 'manual', now: h.clock.now() });
      for (let n = 0; n < 5_000 && h.queue.pending.length > 0; n++) {
        const { event } = h.queue.pending.shift()!;
        const results = await Promise.all([1, 2].map((i) => runStep(h.deps, event as BackupStepEvent, { remainingMs: 900_000, invocationId: `inv-${n}-${i}` })));
        for (const result of results) {
          if (result.action !== 'retry-later') continue;
          h.clock.offset += result.afterSeconds * 1000;
          h.queue.pending.push({ event });
        }
      }
      expect(h.queue.pending).toEqual([]);
      await expectAllComplete(h);
    } finally {
      await h.stop();
    }
  }, 60_000);

  it('a selection of thousands of keys stays out of the job record; the missing ones are summarised', async () => {
    const h = await startHarness({ sim: { site: { seed: 4, projects: 3, issues: 9, attachmentsMb: 0 } } });
    try {
      const gone = Array.from({ length: 3_000 }, (_, i) => `GONE${i}`);
      const plan = testPlan({ projects: { mode: 'selected', keys: ['DEMO', ...gone, 'OMEGA'] } });
      const { jobId } = (await startBackup(h.deps, { plan, trigger: 'manual', now: h.clock.now() })) as { jobId: string };
      await drain(h);

      const raw = h.kv.data.get(backupKeys.job(jobId))!;
      expect(raw.length).toBeLessThan(8 * 1024);
      expect(JSON.parse(raw).plan).not.toHaveProperty('projects');
      const status = (await getJobStatus(h.deps, 'plan-1'))!;
      expect(status).toMatchObject({ state: 'partial', projectsTotal: 2, projectStates: { pending: 0, running: 0, complete: 2, failed: 0 } });
      expect(status.projects.map((p) => p.key)).toEqual(['DEMO', 'OMEGA']);
      expect(status.siteErrors.projects).toBe(
        `Selected project(s) ${gone.slice(0, 20).join(', ')} and 2980 more not found in Jira (deleted, renamed or not visible to the app); they are not in this snapshot.`,
      );
      expect((await latestSnapshot(h.store)).manifest.projects.map((p) => p.key)).toEqual(['DEMO', 'OMEGA']);
    } finally {
      await h.stop();
    }
  });

  it('a job record of the previous shape (every project inline) is read by the status and carried on by the next step', async () => {
    const h = await startHarness({ sim: { site: SITE }, limits: { issuesPerCheckpoint: 20, stepBudgetMs: 1 } });
    try {
      const { jobId } = (await startBackup(h.deps, { plan: testPlan(), trigger: 'manual', now: h.clock.now() })) as { jobId: string };
      // Run until the job is in the middle of its projects (past the first chunk).
      for (;;) {
        const job = (await h.kv.get<BackupJob>(backupKeys.job(jobId)))!;
        if (job.phase === 'projects' && job.projectCursor > PROJECTS_PER_CHUNK + 3) break;
        const next = h.queue.pending.shift()!;
        await runStep(h.deps, next.event as BackupStepEvent, { remainingMs: 900_000 });
      }
      const before = (await getJobStatus(h.deps, 'plan-1'))!;
      await rewriteAsLegacy(h, jobId);

      const legacy = (await getJobStatus(h.deps, 'plan-1'))!;
      expect(legacy).toEqual(before);
      await drain(h);
      expect(await h.kv.get(backupKeys.job(jobId))).not.toHaveProperty('projects');
      await expectAllComplete(h);
    } finally {
      await h.stop();
    }
  }, 60_000);
});

/** What an older app version stored: the list inline in the job record, the selection in its plan copy, no counters. */
async function rewriteAsLegacy(h: Harness, jobId: string): Promise<void> {
  const job = (await h.kv.get<BackupJob>(backupKeys.job(jobId)))!;
  const projects: ProjectProgress[] = [];
  for (let n = 0; n * PROJECTS_PER_CHUNK < job.projectCount; n++) {
    projects.push(...(await h.kv.get<ProjectProgress[]>(backupKeys.projectChunk(jobId, n)))!);
    await h.kv.delete(backupKeys.projectChunk(jobId, n));
  }
  const selection = await h.kv.get(backupKeys.selection(jobId));
  await h.kv.delete(backupKeys.selection(jobId));
  const {
    planned: _planned, projectCount: _count, projectCursor: _cursor, projectsComplete: _complete, projectsFailed: _failed,
    issuesDone: _done, issuesTotal: _total, projectErrors: _errors, ...rest
  } = job;
  await h.kv.set(backupKeys.job(jobId), { ...rest, plan: { ...job.plan, projects: selection }, projects });
}
