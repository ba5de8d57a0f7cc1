import { getRestoreStatus, planRestore, startRestore } from '../../src/core/restore';
import type { JiraRequest, JiraResponse } from '../../src/ports';
import { drain, restoreDeps, seedSite, snapshotOf } from './support/scenario';

/** Restores the deleted task and sub-task; `refuse` answers 400 to the requests it picks, as Jira would. */
async function restoreRefusing(refuse: (request: JiraRequest) => string | undefined) {
  const jira = seedSite();
  const snapshot = snapshotOf(jira);
  jira.issues.delete('10101');
  jira.issues.delete('10103');
  const deps = restoreDeps(jira, snapshot);
  const plan = await planRestore(deps, { kind: 'issues', snapshotId: 'snap-1', issueIds: ['10101', '10103'] });
  await startRestore(deps, plan);
  const send = jira.request.bind(jira);
  jira.request = async (request): Promise<JiraResponse> => {
    const message = refuse(request);
    if (!message) return send(request);
    const text = JSON.stringify({ errorMessages: [message], errors: {} });
    return { status: 400, headers: { 'content-type': 'application/json' }, json: async <T>() => JSON.parse(text) as T, text: async () => text, bytes: async () => new TextEncoder().encode(text) };
  };
  await drain(deps);
  return (await getRestoreStatus(deps, plan.id))!;
}

describe('the outcome of a finished restore', () => {
  it('is complete when everything planned was restored', async () => {
    const status = await restoreRefusing(() => undefined);
    expect(status.job.status).toBe('done');
    expect(status.outcome).toBe('complete');
  });

  it('is partial when an item was not restored', async () => {
    let refused = false;
    const status = await restoreRefusing((r) => {
      if (refused || r.method !== 'POST' || !r.path.endsWith('/comment')) return undefined;
      refused = true;
      return 'Comments are disabled on this issue.';
    });
    expect(status.job.status).toBe('done');
    expect(status.outcome).toBe('partial');
  });

  it('is failed, though the job finished, when no issue could be restored', async () => {
    const status = await restoreRefusing((r) => (r.method === 'POST' && /\/rest\/api\/3\/issue(\/bulk)?$/.test(r.path) ? 'You do not have permission to create issues in this project.' : undefined));
    expect(status.job.status).toBe('done');
    expect(status.issues.map((i) => i.error)).toEqual([expect.stringMatching(/permission to create issues/), expect.stringMatching(/permission to create issues/)]);
    expect(status.outcome).toBe('failed');
  });
});
