import { startBackup } from '../../src/core/backup';
import { deleteIssue, insertIssue, recordChange } from '../../local/jira-sim/mutations';
import { LEAF_SIZE } from '../../src/core/backup/find-deleted';
import { drain, latestSnapshot, startHarness, testPlan, type Harness } from './harness';
import { expectSnapshotMatchesSite } from './expect-ground-truth';

describe('an incremental run after changes', () => {
  let h: Harness;
  const plan = testPlan({ content: 'extended' });
  const changedIds: number[] = [];
  let deletedIds: number[] = [];

  beforeAll(async () => {
    h = await startHarness({ sim: { site: { seed: 21, projects: 3, issues: 200, attachmentsMb: 1 } }, limits: { issuesPerCheckpoint: 50 } });
    await startBackup(h.deps, { plan, trigger: 'manual', now: h.clock.now() });
    await drain(h);
    h.clock.offset += 60 * 60_000; // an hour later…

    const site = h.sim.site;
    const now = h.clock.now();
    const all = [...site.issues.values()];
    // …some issues were edited, one got a comment, two were created and three deleted.
    // One edited issue has attachments: its bytes must come from the previous snapshot, not from Jira again.
    const withAttachments = all.find((i) => i.attachmentIds.length > 0 && ![3, 10, 11, 50, 77, 120, 150, 199].includes(all.indexOf(i)))!;
    for (const issue of [all[3], all[50], all[120], all[199], withAttachments]) {
      recordChange(site, issue, site.appAccountId, now, [{ field: 'summary', fieldtype: 'jira', fieldId: 'summary', from: null, fromString: issue.summary, to: null, toString: 'Edited' }]);
      issue.summary = 'Edited';
      changedIds.push(issue.id);
    }
    const commented = all[77];
    commented.comments.push({ id: 990001, authorId: site.appAccountId, updateAuthorId: site.appAccountId, body: 'New comment', created: now, updated: now, properties: new Map() });
    commented.updated = now;
    changedIds.push(commented.id);
    for (const project of site.projects.slice(0, 2)) {
      const created = insertIssue(site, {
        projectId: project.id, issueTypeId: project.issueTypeIds[0], statusId: site.statuses[0].id, priorityId: site.priorities[0].id, resolutionId: null,
        summary: 'Created after the first backup', description: null, environment: null, reporterId: site.appAccountId, assigneeId: null,
        creatorId: site.appAccountId, resolutionDate: null, dueDate: null, labels: [], componentIds: [], fixVersionIds: [], affectsVersionIds: [], parentId: null, custom: {},
      }, now);
      changedIds.push(created.id);
    }
    deletedIds = [all[10].id, all[11].id, all[150].id];
    for (const id of deletedIds) deleteIssue(site, id);

    h.sim.requestLog.clear();
    h.clock.offset += 60_000;
    const started = await startBackup(h.deps, { plan, trigger: 'manual', now: h.clock.now() });
    expect(started).toMatchObject({ started: true, mode: 'incremental' });
    await drain(h);
  });
  afterAll(() => h.stop());

  it('produces a logically full snapshot equal to the site (deleted issues gone, unchanged ones carried over)', async () => {
    const snapshot = await latestSnapshot(h.store);
    expect(snapshot.manifest.incrementalFrom).toBeDefined();
    await expectSnapshotMatchesSite(snapshot, h.sim.site, { store: h.store, extended: true });
    for (const id of deletedIds) expect(snapshot.records.has(`issue/${id}`)).toBe(false);
  });

  it('reads from Jira only the changed issues', () => {
    const log = h.sim.requestLog.entries;
    // Per-issue reads (remote links are read for every issue read) touched exactly the changed issues.
    const perIssue = new Set(log.filter((e) => e.route === '/rest/api/3/issue/{issueIdOrKey}/remotelink').map((e) => e.path.split('/')[5]));
    expect([...perIssue].sort()).toEqual(changedIds.map(String).sort());
    // Issues returned by search: only the changed ones (ids-only sweeps for deletions excepted).
    const searched = log.filter((e) => e.route === '/rest/api/3/search/jql' && !/fields=id(&|$)/.test(e.query)).reduce((sum, e) => sum + e.objects, 0);
    expect(searched).toBe(changedIds.length);
    // Deleted issues were found by counting id ranges, not by listing every id of the projects.
    const listedIds = log.filter((e) => e.route === '/rest/api/3/search/jql' && /fields=id(&|$)/.test(e.query)).reduce((sum, e) => sum + e.objects, 0);
    expect(listedIds).toBeLessThan(deletedIds.length * 2 * LEAF_SIZE + 10); // a leaf range or two per deleted issue, not all 200 ids
  });

  it('downloads no attachment again', () => {
    const downloads = h.sim.requestLog.entries.filter((e) => e.route === '/rest/api/3/attachment/content/{id}');
    expect(downloads).toEqual([]);
  });
});
