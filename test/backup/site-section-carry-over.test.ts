/**
 * A site section Jira refuses (here: the app user lost the Administer Jira permission, so the simulator answers 403
 * to workflows, workflow schemes, field contexts and group members) must not make the newest snapshot lack that
 * section: the base snapshot's records are kept, the manifest says from which snapshot, and the snapshot is partial.
 */
import { getJobStatus, startBackup } from '../../src/core/backup';
import { SITE_SECTIONS } from '../../src/core/backup/read-site';
import {
  canonicalJson, deleteSnapshot, listSnapshots, readIndex, readRecords, verifySnapshot, type IndexEntry, type SnapshotManifest,
} from '../../src/core/format';
import { formatSnapshotOpener } from '../../src/core/restore/format-snapshot-view';
import { drain, latestSnapshot, startHarness, testPlan, type Harness, type SnapshotContents } from './harness';

const SITE = { seed: 8, projects: 2, issues: 30, attachmentsMb: 0 };
/** The sections an app user without Administer Jira cannot read in the simulator (and in Jira), in reading order. */
const ADMIN_SECTIONS = ['workflows', 'workflowSchemes', 'fields', 'groups'];
const typesOf = (names: string[]) => SITE_SECTIONS.filter((s) => names.includes(s.name)).flatMap((s) => s.types);

function setAppAdmin(h: Harness, admin: boolean): void {
  const app = h.sim.site.users.find((u) => u.accountId === h.sim.accounts.app);
  if (!app) throw new Error('the simulated site has no app user');
  app.admin = admin;
}

async function backUp(h: Harness, options: { full?: boolean } = {}): Promise<SnapshotContents> {
  h.clock.offset += 60 * 60_000;
  const started = await startBackup(h.deps, { plan: testPlan(), trigger: 'manual', now: h.clock.now(), ...options });
  expect(started.started).toBe(true);
  await drain(h);
  return latestSnapshot(h.store);
}

/** type/id → canonical JSON of the snapshot's records of these types. */
function recordsOf(snapshot: SnapshotContents, types: string[]): Map<string, string> {
  return new Map([...snapshot.records].filter(([, r]) => types.includes(r.type)).map(([key, r]) => [key, canonicalJson(r)]));
}

/** type/id → where the index says the record is (pack, line, hash). */
async function locations(h: Harness, manifest: SnapshotManifest, types: string[]): Promise<Map<string, string>> {
  const entries = (await readIndex(h.store, manifest, 'global')).filter((e) => types.includes(e.type));
  return new Map(entries.map((e: IndexEntry) => [`${e.type}/${e.id}`, `${e.pack}#${e.line}:${e.sha256}`]));
}

describe('a site section Jira refuses, with a base snapshot', () => {
  let h: Harness;
  let base: SnapshotContents;
  let refused: SnapshotContents;
  const keptTypes = typesOf(ADMIN_SECTIONS);

  beforeAll(async () => {
    h = await startHarness({ sim: { site: SITE }, limits: { issuesPerCheckpoint: 20 } });
    base = await backUp(h);
    expect(base.manifest.state).toBe('complete');

    // Between the runs the site changes in a section that will be refused and in one that will be read…
    h.sim.site.workflows[0].name = 'Workflow renamed after the base';
    h.sim.site.priorities[0].name = 'Priority renamed after the base';
    // …and the app loses Administer Jira.
    setAppAdmin(h, false);
    refused = await backUp(h);
  });
  afterAll(() => h.stop());

  it('every site record type belongs to exactly one section (what a failed section keeps is all it would have read)', () => {
    const declared = SITE_SECTIONS.flatMap((s) => s.types);
    expect(new Set(declared).size).toBe(declared.length);
    const globalTypes = new Set([...base.records.values()].filter((r) => r.project === undefined).map((r) => r.type));
    expect([...globalTypes].filter((type) => !declared.includes(type))).toEqual([]);
    for (const type of keptTypes) expect(globalTypes.has(type)).toBe(true);
  });

  it('keeps the base records of each refused section, identical and at the same place in the base packs', async () => {
    expect(refused.manifest.id).not.toBe(base.manifest.id);
    const kept = recordsOf(refused, keptTypes);
    expect(kept.size).toBeGreaterThan(0);
    expect(kept).toEqual(recordsOf(base, keptTypes));
    expect(await locations(h, refused.manifest, keptTypes)).toEqual(await locations(h, base.manifest, keptTypes));
    // Kept, not read: the simulator's renamed workflow is not in the snapshot, the base's name is.
    const names = [...refused.records.values()].filter((r) => r.type === 'workflow').map((r) => JSON.stringify(r.data));
    expect(names.some((text) => text.includes('Workflow renamed after the base'))).toBe(false);
  });

  it('reads the sections that succeed from Jira, not from the base', () => {
    const priorities = [...refused.records.values()].filter((r) => r.type === 'priority').map((r) => r.data.name);
    expect(priorities).toContain('Priority renamed after the base');
    const basePriorities = [...base.records.values()].filter((r) => r.type === 'priority').map((r) => r.data.name);
    expect(basePriorities).not.toContain('Priority renamed after the base');
    expect(refused.manifest.failedSiteSections?.map((s) => s.name)).not.toContain('priorities');
  });

  it('says in the manifest which sections failed, why, and from which snapshot their records are', () => {
    const { manifest } = refused;
    expect(manifest.state).toBe('partial');
    expect(manifest.projects.every((p) => p.state === 'complete')).toBe(true);
    const failed = manifest.failedSiteSections ?? [];
    expect(failed.map((s) => s.name)).toEqual(ADMIN_SECTIONS);
    for (const section of failed) {
      expect(section.error).toMatch(/Jira answered 403 .*Administrator privileges are required/);
      expect(section.recordTypes).toEqual(typesOf([section.name]));
      const inBase = [...base.records.values()].filter((r) => section.recordTypes.includes(r.type)).length;
      expect(section.keptFrom).toEqual({ snapshotId: base.manifest.id, startedAt: base.manifest.startedAt, records: inBase });
    }
    expect(base.manifest.failedSiteSections).toBeUndefined();
  });

  it('tells the admin in the job status that the section failed and where its records come from', async () => {
    const status = await getJobStatus(h.deps, 'plan-1');
    expect(status?.state).toBe('partial');
    expect(Object.keys(status?.siteErrors ?? {})).toEqual(ADMIN_SECTIONS);
    expect(status?.siteErrors.workflows).toMatch(new RegExp(`^Jira answered 403 .*; kept from snapshot ${base.manifest.id} \\(\\d+ records as they were on \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC\\)$`));
  });

  it('passes verify, and restore reads the kept records', async () => {
    const report = await verifySnapshot(h.store, refused.manifest.id);
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    const opener = formatSnapshotOpener(h.store);
    const fromRefused = await (await opener.open(refused.manifest.id)).fields();
    const fromBase = await (await opener.open(base.manifest.id)).fields();
    expect(fromRefused.length).toBeGreaterThan(0);
    expect(fromRefused).toEqual(fromBase);
  });

  it('a forced full run keeps them from the last complete snapshot too; once Jira answers again they are read fresh', async () => {
    const full = await backUp(h, { full: true });
    expect(full.manifest.incrementalFrom).toBeUndefined();
    // The partial snapshot is no base: the records still come from (and are dated by) the complete one.
    expect(full.manifest.failedSiteSections?.map((s) => s.keptFrom?.snapshotId)).toEqual(ADMIN_SECTIONS.map(() => base.manifest.id));
    expect(recordsOf(full, keptTypes)).toEqual(recordsOf(base, keptTypes));
    expect((await verifySnapshot(h.store, full.manifest.id)).ok).toBe(true);

    setAppAdmin(h, true);
    const fresh = await backUp(h);
    expect(fresh.manifest.state).toBe('complete');
    expect(fresh.manifest.failedSiteSections).toBeUndefined();
    const workflows = [...fresh.records.values()].filter((r) => r.type === 'workflow').map((r) => JSON.stringify(r.data));
    expect(workflows.some((text) => text.includes('Workflow renamed after the base'))).toBe(true);
    expect((await listSnapshots(h.store)).manifests.map((m) => m.state)).toEqual(['complete', 'partial', 'partial', 'complete']);
  });

  it('keeps the kept records readable when retention deletes the snapshot they came from', async () => {
    const ids = (await listSnapshots(h.store)).manifests.map((m) => m.id);
    await deleteSnapshot(h.store, base.manifest.id, ids.filter((id) => id !== base.manifest.id));
    expect((await verifySnapshot(h.store, refused.manifest.id)).ok).toBe(true);
    const read = new Map<string, string>();
    for await (const { record } of readRecords(h.store, await readIndex(h.store, refused.manifest, 'global'))) {
      if (keptTypes.includes(record.type)) read.set(`${record.type}/${record.id}`, canonicalJson(record));
    }
    expect(read).toEqual(recordsOf(base, keptTypes));
  });
});

describe('a site section Jira refuses, without a base snapshot', () => {
  it('leaves the section out and records the error, as before', async () => {
    const h = await startHarness({ sim: { site: SITE }, limits: { issuesPerCheckpoint: 20 } });
    try {
      setAppAdmin(h, false);
      const first = await backUp(h);
      expect(first.manifest.state).toBe('partial');
      expect(recordsOf(first, typesOf(ADMIN_SECTIONS)).size).toBe(0);
      // The sections that could be read are there.
      expect([...first.records.values()].some((r) => r.type === 'priority')).toBe(true);
      const failed = first.manifest.failedSiteSections ?? [];
      expect(failed.map((s) => [s.name, s.keptFrom])).toEqual(ADMIN_SECTIONS.map((name) => [name, undefined]));
      for (const section of failed) expect(section.error).toMatch(/Jira answered 403/);
      const status = await getJobStatus(h.deps, 'plan-1');
      expect(Object.keys(status?.siteErrors ?? {})).toEqual(ADMIN_SECTIONS);
      for (const message of Object.values(status?.siteErrors ?? {})) expect(message).not.toMatch(/kept from/);
      expect((await verifySnapshot(h.store, first.manifest.id)).ok).toBe(true);
    } finally {
      await h.stop();
    }
  });
});

describe('a site section Jira keeps failing on until the step is given up', () => {
  it('keeps that section from the base and still reads the sections after it', async () => {
    const h = await startHarness({ sim: { site: SITE }, limits: { issuesPerCheckpoint: 20 }, maxRetries: 1 });
    try {
      const base = await backUp(h);
      h.sim.site.workflowSchemes[0].name = 'Scheme renamed after the base';
      // Every read of workflows fails with 500: transient each time, so the step is redelivered until it is given up.
      h.sim.configure({ faults: { pathPattern: '/rest/api/3/workflows/search', serverErrorRate: 1 } });
      const next = await backUp(h);

      expect(next.manifest.state).toBe('partial');
      expect(next.manifest.failedSiteSections).toEqual([
        {
          name: 'workflows',
          error: expect.stringMatching(/^gave up after 5 failed attempts: .*HTTP 500/),
          recordTypes: ['workflow'],
          keptFrom: { snapshotId: base.manifest.id, startedAt: base.manifest.startedAt, records: recordsOf(base, ['workflow']).size },
        },
      ]);
      expect(recordsOf(next, ['workflow'])).toEqual(recordsOf(base, ['workflow']));
      // The section after the failing one was read from Jira, not skipped and not kept.
      const schemes = [...next.records.values()].filter((r) => r.type === 'workflowScheme').map((r) => r.data.name);
      expect(schemes).toContain('Scheme renamed after the base');
      const status = await getJobStatus(h.deps, 'plan-1');
      expect(Object.keys(status?.siteErrors ?? {})).toEqual(['workflows']);
      expect(status?.siteErrors.workflows).toMatch(new RegExp(`kept from snapshot ${base.manifest.id}`));
      expect((await verifySnapshot(h.store, next.manifest.id)).ok).toBe(true);
    } finally {
      await h.stop();
    }
  });
});
