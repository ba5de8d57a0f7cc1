import { getRestoreStatus, planRestore, startRestore } from '../../src/core/restore';
import { ORIGIN_PROPERTY_KEY } from '../../src/core/restore/origin';
import { withoutOriginLine } from '../../src/core/restore/origin';
import { drain, restoreDeps, seedSite, snapshotOf } from './support/scenario';

/** Deletes the task with everything on it and its sub-task, then restores both from the snapshot. */
async function deletedAndRestored() {
  const jira = seedSite();
  const snapshot = snapshotOf(jira);
  jira.issues.delete('10101');
  jira.issues.delete('10103');
  const deps = restoreDeps(jira, snapshot);
  const plan = await planRestore(deps, { kind: 'issues', snapshotId: 'snap-1', issueIds: ['10101', 'ENG-4'] });
  await startRestore(deps, plan);
  await drain(deps);
  const restored = [...jira.issues.values()].find((i) => (i.properties.get(ORIGIN_PROPERTY_KEY) as { originalId?: string } | undefined)?.originalId === '10101')!;
  const restoredSub = [...jira.issues.values()].find((i) => (i.properties.get(ORIGIN_PROPERTY_KEY) as { originalId?: string } | undefined)?.originalId === '10103')!;
  return { jira, snapshot, deps, plan, restored, restoredSub };
}

describe('restoring a deleted issue', () => {
  it('re-creates the fields Jira lets us set, mapped to the live site', async () => {
    const { restored, snapshot } = await deletedAndRestored();
    const original = snapshot.issueList.find((i) => i.id === '10101')!;
    for (const field of ['summary', 'description', 'labels', 'customfield_10010']) expect(restored.fields[field]).toEqual(original.fields[field]);
    expect(restored.fields.assignee).toEqual({ accountId: 'acc-bob' });
    expect(restored.fields.priority).toEqual({ id: '2' });
    expect(restored.fields.customfield_10040).toEqual({ id: '9001' });
    expect(restored.fields.components).toEqual([{ id: '501', name: 'Backend' }]);
    expect(restored.fields.parent).toEqual({ id: '10100', key: 'ENG-1' });
    expect(restored.fields.status).toEqual({ name: 'Done' });
  });

  it('keeps the original key, id, creator and creation time in the origin property', async () => {
    const { restored } = await deletedAndRestored();
    expect(restored.key).not.toBe('ENG-2');
    expect(restored.properties.get(ORIGIN_PROPERTY_KEY)).toMatchObject({ originalId: '10101', originalKey: 'ENG-2', snapshotId: 'snap-1', created: '2026-01-05T10:00:00.000+0000', creator: 'Alice (acc-alice)' });
  });

  it('restores comments and worklogs with an "Originally by" line, and attachment bytes exactly', async () => {
    const { restored, snapshot } = await deletedAndRestored();
    const original = snapshot.issueList.find((i) => i.id === '10101')!;
    expect(restored.comments.map((c) => withoutOriginLine(c.body))).toEqual(original.comments.map((c) => c.body));
    expect(JSON.stringify(restored.comments[0].body)).toContain('Originally by Alice (acc-alice) on 2026-01-06T09:00:00.000+0000');
    expect(restored.worklogs).toEqual([expect.objectContaining({ started: '2026-01-06T13:00:00.000+0000', timeSpentSeconds: 5400 })]);
    expect(withoutOriginLine(restored.worklogs[0].comment)).toEqual(original.worklogs[0].comment);
    expect(restored.attachments.map((a) => [a.filename, a.mimeType, Buffer.from(a.bytes).toString()])).toEqual([['design.pdf', 'application/pdf', '%PDF-design']]);
  });

  it('restores links, remote links, watchers, properties, sub-task parent and sprint', async () => {
    const { jira, restored, restoredSub } = await deletedAndRestored();
    expect(jira.links.filter((l) => l.fromId === restored.id)).toEqual([expect.objectContaining({ typeName: 'Blocks', toId: '10102' })]);
    expect(restored.remoteLinks).toEqual([expect.objectContaining({ globalId: 'system=https://ci.example.com&id=77', object: { url: 'https://ci.example.com/77', title: 'Build 77' } })]);
    expect([...restored.watchers]).toEqual(['acc-alice']);
    expect(restored.properties.get('review')).toEqual({ approved: true });
    expect(restoredSub.fields.parent).toEqual({ id: restored.id, key: restored.key });
    expect(restoredSub.fields.status).toEqual({ name: 'In Progress' });
    expect([...(jira.sprintIssues.get(7) ?? [])]).toEqual([restored.key]);
  });

  it('reports per item, and lists what Jira does not let us set', async () => {
    const { deps, plan } = await deletedAndRestored();
    const status = (await getRestoreStatus(deps, plan.id))!;
    expect(status.job.status).toBe('done');
    const line = status.report.find((l) => l.startsWith('ENG-2 →'))!;
    expect(line).toContain('comments: 2 of 2 restored');
    expect(line).toContain('attachments: 1 of 1 restored');
    expect(line).toContain('Created (Jira sets the creation time');
    expect(status.report).toContain('links: 1 of 1 restored');
    expect(plan.issues[0].skipped).toEqual([{ what: 'membership of closed sprint "Sprint 3"', reason: 'Jira adds issues only to open or active sprints' }]);
    expect(status.notSettable.join(' ')).toMatch(/Votes can only be cast/);
  });
});
