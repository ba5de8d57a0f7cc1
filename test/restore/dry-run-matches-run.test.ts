import { getRestoreStatus, planRestore, startRestore } from '../../src/core/restore';
import type { RestorePlan } from '../../src/core/restore';
import { drain, restoreDeps, seedSite, snapshotOf } from './support/scenario';
import type { FakeJira } from './support/fake-jira';

function writesByKind(jira: FakeJira, since: number) {
  const writes = jira.log.slice(since).filter((l) => l.method !== 'GET' && !/bulkfetch|search\/jql/.test(l.path) && l.status < 300);
  const count = (pattern: RegExp) => writes.filter((w) => pattern.test(`${w.method} ${w.path}`)).length;
  return {
    issues: count(/POST \/rest\/api\/3\/issue(\/bulk)?$/),
    comments: count(/POST .*\/comment$/),
    worklogs: count(/POST .*\/worklog$/),
    attachments: count(/POST .*\/attachments$/),
    links: count(/POST \/rest\/api\/3\/issueLink$/),
    remoteLinks: count(/POST .*\/remotelink$/),
    watchers: count(/POST .*\/watchers$/),
    properties: count(/PUT .*\/properties\//),
    projects: count(/POST \/rest\/api\/3\/project$/),
    components: count(/POST \/rest\/api\/3\/component$/),
  };
}

function planned(plan: RestorePlan) {
  return {
    issues: plan.totals.issuesToCreate > 0 ? 1 : 0, // one bulk request for up to 50 issues
    comments: plan.totals.comments,
    worklogs: plan.totals.worklogs,
    attachments: plan.totals.attachments,
    links: plan.totals.links,
    remoteLinks: plan.totals.remoteLinks,
    watchers: plan.totals.watchers,
    // Re-created issues get their properties inside the create request; existing ones get one PUT each.
    properties: plan.issues.filter((i) => i.action === 'update').reduce((n, i) => n + i.properties.length, 0),
    projects: plan.target.create ? 1 : 0,
    components: plan.componentsToCreate.length,
  };
}

describe('the dry run', () => {
  it('writes nothing to Jira', async () => {
    const jira = seedSite();
    const snapshot = snapshotOf(jira);
    jira.issues.delete('10101');
    const before = jira.log.length;
    await planRestore(restoreDeps(jira, snapshot), { kind: 'project', snapshotId: 'snap-1', projectKey: 'ENG' });
    expect(writesByKind(jira, before)).toEqual({ issues: 0, comments: 0, worklogs: 0, attachments: 0, links: 0, remoteLinks: 0, watchers: 0, properties: 0, projects: 0, components: 0 });
  });

  it('lists exactly what the real run then writes: project restore into the original project', async () => {
    const jira = seedSite();
    const snapshot = snapshotOf(jira);
    // Data loss: a deleted sub-task, a deleted comment and attachment on an issue that still exists, a lost watcher.
    jira.issues.delete('10103');
    const task = jira.issues.get('10101')!;
    task.comments.splice(0, 1);
    task.attachments.splice(0, 1);
    task.watchers.clear();
    const deps = restoreDeps(jira, snapshot);
    const plan = await planRestore(deps, { kind: 'project', snapshotId: 'snap-1', projectKey: 'ENG' });
    expect(plan.issues.map((i) => [i.sourceKey, i.action])).toEqual([['ENG-1', 'update'], ['ENG-2', 'update'], ['ENG-3', 'update'], ['ENG-4', 'create']]);
    const eng2 = plan.issues.find((i) => i.sourceKey === 'ENG-2')!;
    expect({ comments: eng2.comments, attachments: eng2.attachments.map((a) => a.filename), watchers: eng2.watchers, links: eng2.links, properties: eng2.properties }).toEqual({
      comments: ['30001'],
      attachments: ['design.pdf'],
      watchers: ['acc-alice'],
      links: [],
      properties: [],
    });
    const before = jira.log.length;
    await startRestore(deps, plan);
    await drain(deps);
    expect(writesByKind(jira, before)).toEqual(planned(plan));
    const status = (await getRestoreStatus(deps, plan.id))!;
    for (const issue of plan.issues) {
      const result = status.issues.find((r) => r.sourceId === issue.sourceId)!;
      expect({ key: issue.sourceKey, set: result.fieldsSet, notSet: result.fieldsNotSet }).toEqual({ key: issue.sourceKey, set: issue.fieldsSet.map((f) => f.name), notSet: issue.fieldsNotSet });
      expect(result.comments).toEqual({ done: issue.comments.length, total: issue.comments.length, failures: [] });
    }
  });

  it('lists exactly what the real run then writes: a deleted project restored under a new key', async () => {
    const jira = seedSite();
    const snapshot = snapshotOf(jira);
    jira.projects.delete('ENG');
    for (const id of ['10100', '10101', '10102', '10103']) jira.issues.delete(id);
    const deps = restoreDeps(jira, snapshot);
    await expect(planRestore(deps, { kind: 'project', snapshotId: 'snap-1', projectKey: 'ENG' })).rejects.toThrow(/no longer exists.*choose a key/);
    const plan = await planRestore(deps, { kind: 'project', snapshotId: 'snap-1', projectKey: 'ENG', newProject: { key: 'ENGR' } });
    expect(plan.target.create).toMatchObject({ key: 'ENGR', name: 'Engineering (restored)', projectTypeKey: 'software' });
    expect(plan.componentsToCreate).toEqual(['Backend']);
    expect(plan.issues.map((i) => [i.sourceKey, i.action, i.wave])).toEqual([['ENG-1', 'create', 0], ['ENG-2', 'create', 1], ['ENG-3', 'create', 0], ['ENG-4', 'create', 2]]);
    const before = jira.log.length;
    await startRestore(deps, plan);
    await drain(deps);
    // Three waves (epic and ENG-3, then ENG-2, then its sub-task): one bulk create each.
    expect(writesByKind(jira, before)).toEqual({ ...planned(plan), issues: 3 });
    const restored = [...jira.issues.values()].filter((i) => i.projectKey === 'ENGR');
    expect(restored.map((i) => i.fields.summary).sort()).toEqual(['Ledger export', 'Payments epic', 'Refund API', 'Refund webhook']);
    const refund = restored.find((i) => i.fields.summary === 'Refund API')!;
    expect(plan.totals.properties).toBe(1);
    expect(refund.properties.get('review')).toEqual({ approved: true });
    expect(refund.fields.components).toEqual([{ id: jira.projects.get('ENGR')!.components[0].id, name: 'Backend' }]);
    expect(jira.links).toContainEqual(expect.objectContaining({ fromId: refund.id, toId: restored.find((i) => i.fields.summary === 'Ledger export')!.id }));
    // relative rank order restored after the issues: epic, task, export, webhook
    const keyOf = (summary: string) => restored.find((i) => i.fields.summary === summary)!.key;
    expect(jira.ranked).toEqual([[keyOf('Payments epic'), keyOf('Refund API'), keyOf('Ledger export'), keyOf('Refund webhook')]]);
  });
});
