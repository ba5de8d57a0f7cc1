import { getRestoreStatus, planRestore, runRestoreStep, startRestore, type RestoreStepEvent } from '../../src/core/restore';
import type { JiraRequest } from '../../src/ports';
import { drain, restoreDeps, seedSite, snapshotOf } from './support/scenario';

function projectLoss() {
  const jira = seedSite();
  const snapshot = snapshotOf(jira);
  for (const id of ['10101', '10102', '10103']) jira.issues.delete(id);
  const now = { t: Date.parse('2026-11-26T17:00:00Z') };
  // Every Jira request takes one second of the step's budget.
  const request = jira.request.bind(jira);
  jira.request = async (r: JiraRequest) => {
    now.t += 1000;
    return request(r);
  };
  return { jira, deps: restoreDeps(jira, snapshot, now) };
}

describe('running within a time budget and Jira rate limits', () => {
  it('stops a step when its budget is spent and continues in the next event, with the same result', async () => {
    const { jira, deps } = projectLoss();
    const plan = await planRestore(deps, { kind: 'project', snapshotId: 'snap-1', projectKey: 'ENG' });
    await startRestore(deps, plan);
    const steps = await drain(deps, { budgetMs: 5000 });
    expect(steps).toBeGreaterThan(3);
    const status = (await getRestoreStatus(deps, plan.id))!;
    expect(status.job).toMatchObject({ status: 'done', steps });
    expect([...jira.issues.values()].map((i) => i.fields.summary).sort()).toEqual(['Ledger export', 'Payments epic', 'Refund API', 'Refund webhook']);
    expect(status.report.filter((l) => l.includes('not restored'))).toEqual([]);
  });

  it('pauses on 429 and resumes after Retry-After without counting it as a failure', async () => {
    const { jira, deps } = projectLoss();
    const plan = await planRestore(deps, { kind: 'project', snapshotId: 'snap-1', projectKey: 'ENG' });
    await startRestore(deps, plan);
    // The first step meets a 429 on its very first write: it must pause, not fail anything.
    jira.rateLimitNext = 0;
    const request = jira.request.bind(jira);
    let armed = true;
    jira.request = async (r: JiraRequest) => {
      if (armed && r.method === 'POST') {
        armed = false;
        jira.rateLimitNext = 1;
      }
      return request(r);
    };
    const delays: (number | undefined)[] = [];
    while (deps.queue.events.length > 0) {
      const next = deps.queue.events.shift()!;
      delays.push(next.delaySeconds);
      await runRestoreStep(deps, next.event as RestoreStepEvent);
    }
    expect(delays).toEqual([undefined, 2]);
    const status = (await getRestoreStatus(deps, plan.id))!;
    expect(status.job).toMatchObject({ status: 'done', rateLimitedPauses: 1 });
    expect(status.issues.every((r) => !r.error && r.comments.failures.length === 0)).toBe(true);
    expect([...jira.issues.values()].filter((i) => i.fields.summary === 'Refund API')).toHaveLength(1);
  });
});
