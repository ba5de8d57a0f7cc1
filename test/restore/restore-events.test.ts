import { handleRestoreEvent, isRestoreEvent } from '../../src/entry/restore-events';
import { getRestoreStatus, planRestore, startRestore } from '../../src/core/restore';
import { restoreDeps, seedSite, snapshotOf } from './support/scenario';

describe('the restore event entry', () => {
  it('runs queued restore steps through the worker entry point until the job is done', async () => {
    const jira = seedSite();
    const snapshot = snapshotOf(jira);
    jira.issues.delete('10102');
    const deps = restoreDeps(jira, snapshot);
    const plan = await planRestore(deps, { kind: 'issues', snapshotId: 'snap-1', issueIds: ['10102'] });
    await startRestore(deps, plan);
    expect(deps.queue.events.map((e) => e.event)).toEqual([{ kind: 'restore.step', jobId: plan.id, seq: 1 }]);
    expect(isRestoreEvent(deps.queue.events[0].event)).toBe(true);
    expect(isRestoreEvent({ kind: 'backup.step' })).toBe(false);
    await handleRestoreEvent(deps.queue.events.shift()!.event, deps, { remainingMs: 890_000 });
    expect((await getRestoreStatus(deps, plan.id))!.job.status).toBe('done');
  });

  it('refuses events it does not know, and says what it expected', async () => {
    const deps = restoreDeps(seedSite(), snapshotOf(seedSite()));
    await expect(handleRestoreEvent({ kind: 'restore.unknown' }, deps)).rejects.toThrow(/Unknown restore event .*expected \{kind: "restore.step", jobId, seq\}/);
    await expect(handleRestoreEvent({ kind: 'restore.step', jobId: 'x', seq: 1 })).rejects.toThrow(/needs the app's ports/);
  });

  it('ignores a duplicate delivery of an older step event', async () => {
    const jira = seedSite();
    const snapshot = snapshotOf(jira);
    jira.issues.delete('10102');
    const deps = restoreDeps(jira, snapshot);
    const plan = await planRestore(deps, { kind: 'issues', snapshotId: 'snap-1', issueIds: ['10102'] });
    await startRestore(deps, plan);
    const first = deps.queue.events[0].event;
    await handleRestoreEvent(first, deps);
    const writes = jira.writes;
    await handleRestoreEvent(first, deps);
    expect(jira.writes).toBe(writes);
    expect([...jira.issues.values()].filter((i) => i.fields.summary === 'Ledger export')).toHaveLength(1);
  });
});
