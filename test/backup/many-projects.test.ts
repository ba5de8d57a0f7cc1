import { join } from 'node:path';
import { ForgePlatform } from '../../local/forge';
import { startJiraSimulator, type JiraSimulator } from '../../local/jira-sim';
import { forgeKeyValue } from '../../src/adapters/forge';
import { MemoryStore } from '../../src/adapters/storage/memory-store';
import { forgeWorkerDeps, provideWorkerDeps } from '../../src/entry/worker';
import type { ControlPanelView } from '../../src/core/admin';
import { getJobProjects, getJobStatus, MAX_JOB_PROJECT_ERRORS, STATUS_PROJECTS, type JobProjectLine } from '../../src/core/backup';
import { listSnapshots } from '../../src/core/format';
import { defaultPlan } from '../../src/core/plans';

/**
 * A site of 3,000 projects, backed up as deployed: the admin page's resolvers save the plan and press "Back up now",
 * the manifest's consumer runs every step on the real @forge/kvs against the emulator, which refuses any KVS value
 * over 240 KiB with Forge's own error (so does the resolver answer over 5 MB). A job record listing every project
 * would be ~300 KB here: the backup could not even be planned.
 */
describe('a site with thousands of projects, through the Forge emulator', () => {
  const PAGE = 'backup-center-admin-page';
  const PROJECTS = 3_000;
  /** Projects deleted while the backup reads them (their configuration then answers 404): more than the job record names. */
  const doomed = new Set(Array.from({ length: MAX_JOB_PROJECT_ERRORS + 5 }, (_, i) => `M${String(100 + i * 97).padStart(4, '0')}`));
  let sim: JiraSimulator;
  let platform: ForgePlatform;
  let admin: string;
  // Objects of at most 4 MiB, like the relay-backed store (the strictest): the manifest of 3,000 projects is ~2 MB.
  const store = new MemoryStore({ maxObjectBytes: 4 * 1024 * 1024 });

  beforeAll(async () => {
    sim = await startJiraSimulator({
      port: 0,
      site: { seed: 3, projects: 2, issues: 40, attachmentsMb: 0 },
      faults: {
        // Someone deletes these projects while the backup runs: the first read of their configuration finds them gone.
        onRequest: ({ site, path, now }) => {
          const key = /^\/rest\/api\/3\/project\/([A-Z0-9]+)\/component$/.exec(path)?.[1];
          const project = key && doomed.has(key) ? site.projects.find((p) => p.key === key) : undefined;
          if (project && project.trashedAt === undefined) project.trashedAt = now;
        },
      },
    });
    // The rest of the site: empty projects, created through Jira's own endpoint.
    for (let i = sim.site.projects.length; i < PROJECTS; i++) {
      const response = await fetch(`${sim.baseUrl}/rest/api/3/project`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ key: `M${String(i).padStart(4, '0')}`, name: `Many ${i}`, projectTypeKey: 'software' }),
      });
      expect(response.status).toBe(201);
    }
    // Small projects: POST /project gives each three roles; without them a project's configuration is 4 reads, not 7.
    for (const project of sim.site.projects.slice(2)) project.roles = [];
    platform = await ForgePlatform.start({ appDir: join(__dirname, '..', '..'), dataDir: 'memory', jira: { baseUrl: sim.baseUrl } });
    admin = sim.accounts.admin;
    // The worker's own Forge ports (KVS, queue, requestJira behind its governor), with the snapshot kept in memory:
    // managed storage costs ~10 platform calls per object, which would make this a five-minute test (it has its own,
    // through-emulator.test.ts); every KVS value of the engine still goes through the emulator's limits.
    provideWorkerDeps(async () => {
      const real = await forgeWorkerDeps();
      return { ...real, backup: { ...real.backup, store } };
    });
  }, 60_000);
  afterAll(async () => {
    provideWorkerDeps(forgeWorkerDeps);
    await platform?.stop();
    await sim?.stop();
  });

  it('backs every project up, each its own task; the status and the panel list states and errors, all bounded', async () => {
    const { id: _id, ...draft } = { ...defaultPlan('', 'All projects'), content: 'basic' as const, schedule: { days: 'daily' as const, time: '02:00' } };
    const saved = await platform.invoke<{ ok: true; data: { id: string } }>(PAGE, 'savePlan', { plan: draft }, { accountId: admin });
    expect(saved.ok).toBe(true);
    const planId = saved.data.id;
    expect((await platform.invoke<{ ok: boolean }>(PAGE, 'backupNow', { planId }, { accountId: admin })).ok).toBe(true);

    const report = await platform.runUntilIdle();
    expect(report.dropped).toBe(0);
    // No step failed: a KVS value over 240 KiB, or a transaction over 25 operations, would have failed one.
    expect(platform.invocations.filter((i) => i.functionKey === 'worker' && i.outcome !== 'ok').map((i) => i.error)).toEqual([]);

    const kv = forgeKeyValue();
    const status = (await getJobStatus({ kv }, planId))!;
    expect(status).toMatchObject({ state: 'partial', projectsTotal: PROJECTS, projectsDone: PROJECTS, issuesDone: 40, issuesTotal: 40 });
    expect(status.projectStates).toEqual({ pending: 0, running: 0, complete: PROJECTS - doomed.size, failed: doomed.size });
    const siteKeys = sim.site.projects.map((p) => p.key).sort((a, b) => a.localeCompare(b));
    expect(status.projects.map((p) => p.key)).toEqual(siteKeys.slice(0, STATUS_PROJECTS));
    expect(status.projectErrors).toHaveLength(MAX_JOB_PROJECT_ERRORS);
    for (const e of status.projectErrors) {
      expect(doomed.has(e.key)).toBe(true);
      expect(e.error).toMatch(/404.*No project could be found/);
    }

    // Every project's line, paged: the doomed ones failed with their error, all others complete.
    const lines: JobProjectLine[] = [];
    for (let from = 0; ; from += 500) {
      const page = (await getJobProjects({ kv }, status.jobId, { from, limit: 500 }))!;
      expect(page.total).toBe(PROJECTS);
      lines.push(...page.projects);
      if (page.projects.length < 500) break;
    }
    expect(lines.map((l) => l.key)).toEqual(siteKeys);
    for (const line of lines) {
      if (doomed.has(line.key)) expect(line).toMatchObject({ state: 'failed', error: expect.stringMatching(/404.*No project could be found/) });
      else expect({ key: line.key, state: line.state, error: line.error }).toEqual({ key: line.key, state: 'complete', error: undefined });
    }

    // The snapshot lists every project, the deleted ones as failed with their error.
    const { manifests } = await listSnapshots(store);
    const manifest = manifests[manifests.length - 1];
    expect(manifest.state).toBe('partial');
    expect(manifest.projects).toHaveLength(PROJECTS);
    expect(manifest.projects.filter((p) => p.state === 'failed').map((p) => p.key).sort()).toEqual([...doomed].sort());
    expect(manifest.projects.reduce((sum, p) => sum + p.issueCount, 0)).toBe(40);

    // What KVS holds stays small: the job record is a few KB (counters, 20 errors), a chunk of the list a few more.
    const values = Object.entries(platform.kvs.dump()).map(([key, value]) => ({ key, bytes: Buffer.byteLength(JSON.stringify(value)) }));
    const sizeOf = (prefix: string) => Math.max(...values.filter((v) => v.key.startsWith(prefix)).map((v) => v.bytes));
    expect(sizeOf('backup:job:')).toBeLessThan(16 * 1024);
    expect(sizeOf('backup:projects:')).toBeLessThan(32 * 1024);

    // The control panel: counts for all, the first errors by name and how many there are in all; a small answer.
    const panel = await platform.invoke<{ ok: true; data: ControlPanelView }>(PAGE, 'getControlPanel', {}, { accountId: admin });
    const run = panel.data.plans.find((p) => p.planId === planId)!.latest!;
    expect(run.progress.text).toBe(`${PROJECTS} of ${PROJECTS} projects, 40 of 40 issues`);
    expect(run.projectErrors).toHaveLength(MAX_JOB_PROJECT_ERRORS);
    expect(run.projectErrorCount).toBe(doomed.size);
    expect(Buffer.byteLength(JSON.stringify(panel))).toBeLessThan(200 * 1024);
  }, 120_000);
});
