import { getRestoreStatus, planRestore, runRestoreStep, startRestore, type RestoreStepEvent } from '../../src/core/restore';
import { ORIGIN_PROPERTY_KEY } from '../../src/core/restore/origin';
import { restoreDeps, seedSite, snapshotOf } from './support/scenario';

type Deps = ReturnType<typeof restoreDeps>;

/** Runs the queue like Forge does: an event whose step throws is delivered again (at least once). */
async function runWithRedelivery(deps: Deps): Promise<number> {
  let crashes = 0;
  for (let guard = 0; deps.queue.events.length > 0; guard++) {
    if (guard > 500) throw new Error('restore did not finish');
    const { event } = deps.queue.events.shift()!;
    try {
      await runRestoreStep(deps, event as RestoreStepEvent);
    } catch {
      crashes++;
      deps.queue.events.push({ event });
    }
  }
  return crashes;
}

async function restoreWithCrashAt(crashAfterWrites: number | undefined) {
  const jira = seedSite();
  const snapshot = snapshotOf(jira);
  jira.issues.delete('10101');
  jira.issues.delete('10103');
  // the link's other end and the parent stay; one comment of the epic's child is gone too
  const deps = restoreDeps(jira, snapshot);
  const plan = await planRestore(deps, { kind: 'issues', snapshotId: 'snap-1', issueIds: ['10101', '10103'] });
  await startRestore(deps, plan);
  jira.crashAfterWrites = crashAfterWrites;
  const crashes = await runWithRedelivery(deps);
  const copies = (originalId: string) => [...jira.issues.values()].filter((i) => (i.properties.get(ORIGIN_PROPERTY_KEY) as { originalId?: string } | undefined)?.originalId === originalId);
  const [task] = copies('10101');
  const [sub] = copies('10103');
  return {
    crashes,
    status: (await getRestoreStatus(deps, plan.id))!,
    shape: {
      taskCopies: copies('10101').length,
      subCopies: copies('10103').length,
      comments: task?.comments.length,
      subComments: sub?.comments.length,
      worklogs: task?.worklogs.length,
      attachments: task?.attachments.length,
      remoteLinks: task?.remoteLinks.length,
      links: jira.links.filter((l) => l.fromId === task?.id).length,
      watchers: task?.watchers.size,
      status: [task?.fields.status, sub?.fields.status],
      sprint: jira.sprintIssues.get(7)?.size,
    },
    writes: jira.writes,
  };
}

describe('a restore killed midway and rerun', () => {
  it('produces no duplicate issue, comment, worklog, attachment or link, wherever it was killed', async () => {
    const clean = await restoreWithCrashAt(undefined);
    expect(clean.crashes).toBe(0);
    expect(clean.shape).toEqual({ taskCopies: 1, subCopies: 1, comments: 2, subComments: 1, worklogs: 1, attachments: 1, remoteLinks: 1, links: 1, watchers: 1, status: [{ name: 'Done' }, { name: 'In Progress' }], sprint: 1 });
    // Kill it after every single write in turn: the entity exists in Jira but the run never learned its id.
    for (let n = 0; n < clean.writes; n++) {
      const crashed = await restoreWithCrashAt(n);
      expect({ n, crashes: crashed.crashes }).toEqual({ n, crashes: 1 });
      expect({ n, shape: crashed.shape }).toEqual({ n, shape: clean.shape });
      expect(crashed.status.job.status).toBe('done');
    }
  });
});
