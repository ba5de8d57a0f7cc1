import { getRestoreStatus, planRestore, runRestoreStep, startRestore, type RestoreStepEvent } from '../../src/core/restore';
import { ORIGIN_PROPERTY_KEY } from '../../src/core/restore/origin';
import { drain, restoreDeps, seedSite, snapshotOf } from './support/scenario';

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

async function restoreWithCrashAt(crashAfterWrites: number | undefined, crashAs: 'lost' | 502 = 'lost') {
  const jira = seedSite();
  // A remote link without globalId: Jira does not dedupe it, so only the restore's own check can.
  jira.issues.get('10101')!.remoteLinks.push({ id: 2, object: { url: 'https://wiki.example.com/refunds', title: 'Refund design' } });
  const snapshot = snapshotOf(jira);
  jira.issues.delete('10101');
  jira.issues.delete('10103');
  // the link's other end and the parent stay; one comment of the epic's child is gone too
  const deps = restoreDeps(jira, snapshot);
  const plan = await planRestore(deps, { kind: 'issues', snapshotId: 'snap-1', issueIds: ['10101', '10103'] });
  await startRestore(deps, plan);
  jira.crashAfterWrites = crashAfterWrites;
  jira.crashAs = crashAs;
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
    expect(clean.shape).toEqual({ taskCopies: 1, subCopies: 1, comments: 2, subComments: 1, worklogs: 1, attachments: 1, remoteLinks: 2, links: 1, watchers: 1, status: [{ name: 'Done' }, { name: 'In Progress' }], sprint: 1 });
    // Kill it after every single write in turn: the entity exists in Jira but the run never learned its id.
    for (let n = 0; n < clean.writes; n++) {
      const crashed = await restoreWithCrashAt(n);
      expect({ n, crashes: crashed.crashes }).toEqual({ n, crashes: 1 });
      expect({ n, shape: crashed.shape }).toEqual({ n, shape: clean.shape });
      expect(crashed.status.job.status).toBe('done');
      expect({ n, outcome: crashed.status.outcome }).toEqual({ n, outcome: 'complete' });
    }
  });

  it('produces no duplicate when a write Jira applied is answered with a 502, wherever that happens', async () => {
    const clean = await restoreWithCrashAt(undefined);
    for (let n = 0; n < clean.writes; n++) {
      const failed = await restoreWithCrashAt(n, 502);
      // The 502 stops the step (the item stays in flight) instead of reporting the item as not restored.
      expect({ n, crashes: failed.crashes }).toEqual({ n, crashes: 1 });
      expect({ n, shape: failed.shape }).toEqual({ n, shape: clean.shape });
      expect({ n, failures: failed.status.report.filter((line) => /not restored|\d+ of \d+ restored \(/.test(line)) }).toEqual({ n, failures: [] });
      expect(failed.status.job.status).toBe('done');
    }
  });

  it('does not post a remote link without globalId again when a step resumes after its time budget ran out', async () => {
    const jira = seedSite();
    // First in line, so the step stops right after creating it.
    jira.issues.get('10101')!.remoteLinks.unshift({ id: 2, object: { url: 'https://wiki.example.com/refunds', title: 'Refund design' } });
    const snapshot = snapshotOf(jira);
    jira.issues.delete('10101');
    const now = { t: Date.parse('2026-11-26T17:00:00Z') };
    const deps = restoreDeps(jira, snapshot, now);
    const plan = await planRestore(deps, { kind: 'issues', snapshotId: 'snap-1', issueIds: ['10101'] });
    await startRestore(deps, plan);
    // The clock moves on with every remote link created: the step stops right after the first one.
    const request = jira.request.bind(jira);
    jira.request = async (r) => {
      const answer = await request(r);
      if (r.method === 'POST' && r.path.endsWith('/remotelink')) now.t += 60_000;
      return answer;
    };
    const steps = await drain(deps, { budgetMs: 30_000 });
    expect(steps).toBeGreaterThan(1);
    const [copy] = [...jira.issues.values()].filter((i) => (i.properties.get(ORIGIN_PROPERTY_KEY) as { originalId?: string } | undefined)?.originalId === '10101');
    expect(copy.remoteLinks.map((l) => l.object.url).sort()).toEqual(['https://ci.example.com/77', 'https://wiki.example.com/refunds']);
  });
});
