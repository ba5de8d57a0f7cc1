import { getRestoreStatus, planRestore, startRestore } from '../../src/core/restore';
import { drain, restoreDeps, seedSite, snapshotOf } from './support/scenario';

describe('reverting a bulk-edited issue', () => {
  async function bulkEdited() {
    const jira = seedSite();
    const snapshot = snapshotOf(jira);
    // An unwanted bulk edit: new labels, priority, assignee and story points, and the status moved back to To Do.
    for (const id of ['10101', '10102']) {
      const issue = jira.issues.get(id)!;
      issue.fields.labels = ['triage'];
      issue.fields.priority = { id: '4', name: 'Low' };
      issue.fields.assignee = { accountId: 'acc-carol' };
      issue.fields.status = { name: 'To Do' };
    }
    jira.issues.get('10101')!.fields.customfield_10010 = 13;
    return { jira, snapshot, deps: restoreDeps(jira, snapshot) };
  }

  it('plans only the fields that differ, and the status walk', async () => {
    const { deps } = await bulkEdited();
    const plan = await planRestore(deps, { kind: 'revert', snapshotId: 'snap-1', issueIds: ['ENG-2', 'ENG-3'] });
    const [task, other] = plan.issues;
    expect(task.fieldsSet.map((f) => f.name).sort()).toEqual(['Assignee', 'Labels', 'Priority', 'Story Points']);
    expect(task.targetStatus).toBe('Done');
    // ENG-3 had no labels, assignee or priority in the snapshot: Jira's "empty" is written back as null.
    expect(other.fieldsSet.map((f) => f.name).sort()).toEqual(['Assignee', 'Labels', 'Priority']);
    expect(other.targetStatus).toBeUndefined();
  });

  it('puts the values back and walks the workflow to the snapshot status', async () => {
    const { jira, deps } = await bulkEdited();
    const plan = await planRestore(deps, { kind: 'revert', snapshotId: 'snap-1', issueIds: ['10101', '10102'] });
    await startRestore(deps, plan);
    await drain(deps);
    const task = jira.issues.get('10101')!;
    expect(task.fields).toMatchObject({ labels: ['api', 'payments'], priority: { id: '2' }, assignee: { accountId: 'acc-bob' }, customfield_10010: 5, status: { name: 'Done' } });
    expect(jira.issues.get('10102')!.fields).toMatchObject({ labels: null, priority: null, assignee: null, status: { name: 'To Do' } });
    const status = (await getRestoreStatus(deps, plan.id))!;
    expect(status.issues[0].status).toEqual({ target: 'Done', reached: true, path: ['To Do', 'In Progress', 'Done'] });
    expect(status.report[0]).toMatch(/^ENG-2 → ENG-2 \(revert\): fields: 4 set; status: now "Done"$/);
    // Reverting again finds nothing left to change.
    const again = await planRestore(deps, { kind: 'revert', snapshotId: 'snap-1', issueIds: ['10101', '10102'] });
    expect(again.issues.map((i) => [i.fieldsSet.length, i.targetStatus])).toEqual([[0, undefined], [0, undefined]]);
  });

  it('reverts only the chosen fields', async () => {
    const { jira, deps } = await bulkEdited();
    const plan = await planRestore(deps, { kind: 'revert', snapshotId: 'snap-1', issueIds: ['10101'], fields: ['Labels'] });
    await startRestore(deps, plan);
    await drain(deps);
    expect(jira.issues.get('10101')!.fields).toMatchObject({ labels: ['api', 'payments'], priority: { id: '4', name: 'Low' }, status: { name: 'To Do' } });
  });

  it('edits again until Jira takes the rest when it rejects one field per answer, and reports only written fields as set', async () => {
    const { jira, deps } = await bulkEdited();
    // Jira names one rejected field at a time: labels first, then (on the second edit) priority.
    jira.refuseEdit = (fields) => {
      const field = ['labels', 'priority'].find((f) => f in fields);
      return field ? { errorMessages: [], errors: { [field]: `${field} cannot be set here` } } : undefined;
    };
    const plan = await planRestore(deps, { kind: 'revert', snapshotId: 'snap-1', issueIds: ['10101'] });
    await startRestore(deps, plan);
    await drain(deps);
    expect(jira.issues.get('10101')!.fields).toMatchObject({ labels: ['triage'], priority: { id: '4' }, assignee: { accountId: 'acc-bob' }, customfield_10010: 5 });
    const [result] = (await getRestoreStatus(deps, plan.id))!.issues;
    expect(result.fieldsSet.sort()).toEqual(['Assignee', 'Story Points']);
    expect(result.fieldsNotSet.map((f) => [f.name, f.reason])).toEqual([
      ['Labels', 'Jira rejected the value: labels cannot be set here'],
      ['Priority', 'Jira rejected the value: priority cannot be set here'],
    ]);
  });

  it('reports no field as set when Jira refuses the edit without naming a field', async () => {
    const { jira, deps } = await bulkEdited();
    jira.refuseEdit = () => ({ errorMessages: ['The issue is locked by an approval.'], errors: {} });
    const plan = await planRestore(deps, { kind: 'revert', snapshotId: 'snap-1', issueIds: ['10101'] });
    await startRestore(deps, plan);
    await drain(deps);
    const [result] = (await getRestoreStatus(deps, plan.id))!.issues;
    expect(result.fieldsSet).toEqual([]);
    expect(result.fieldsNotSet.map((f) => f.name).sort()).toEqual(['Assignee', 'Labels', 'Priority', 'Story Points']);
    expect(new Set(result.fieldsNotSet.map((f) => f.reason))).toEqual(new Set(['Jira refused the edit: The issue is locked by an approval.']));
    expect(jira.issues.get('10101')!.fields).toMatchObject({ labels: ['triage'], assignee: { accountId: 'acc-carol' } });
  });

  it('refuses to revert an issue that was deleted, and says to restore it', async () => {
    const { jira, deps } = await bulkEdited();
    jira.issues.delete('10101');
    await expect(planRestore(deps, { kind: 'revert', snapshotId: 'snap-1', issueIds: ['10101'] })).rejects.toThrow('ENG-2 no longer exist on the site; restore it instead of reverting.');
  });
});
