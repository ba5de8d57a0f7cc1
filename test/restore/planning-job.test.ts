import { loadPlan, loadPlanning, queuePlanning, runPlanning, type PlanningEvent } from '../../src/core/restore';
import { handleRestoreEvent } from '../../src/entry/restore-events';
import type { JiraRequest } from '../../src/ports';
import { drain, restoreDeps, seedSite, snapshotOf } from './support/scenario';

/** Dry runs and project diffs queued by the page and planned by the worker (src/core/restore/planning-job.ts). */
function world() {
  const jira = seedSite();
  const snapshot = snapshotOf(jira);
  jira.issues.delete('10101');
  const now = { t: Date.parse('2026-11-26T17:00:00Z') };
  const deps = restoreDeps(jira, snapshot, now);
  return { jira, deps, now };
}

const projectTask = { kind: 'preview' as const, request: { kind: 'project' as const, snapshotId: 'snap-1', projectKey: 'ENG' } };
const planKeys = (keys: Iterable<string>) => [...keys].filter((k) => k.startsWith('restore-plan:'));

describe('a queued dry run', () => {
  it('plans once in the worker, under the planning id, and counts what it read', async () => {
    const { deps, jira } = world();
    await queuePlanning(deps, 'dry-run-1', projectTask);
    expect(jira.log).toEqual([]);
    expect(deps.queue.events.map((e) => e.event)).toEqual([{ kind: 'restore.plan', planningId: 'dry-run-1' }]);
    await drain(deps);
    expect(await loadPlanning(deps.kv, 'dry-run-1')).toMatchObject({ state: 'done', issuesRead: 4, issuesCompared: 3, attempts: 1 });
    const plan = (await loadPlan(deps.kv, 'dry-run-1'))!;
    expect(plan.issues.map((i) => `${i.sourceKey} ${i.action}`)).toEqual(['ENG-1 update', 'ENG-2 create', 'ENG-3 update', 'ENG-4 update']);
  });

  it('writes how far it is while it reads a large project, for the page to show', async () => {
    const jira = seedSite();
    for (let n = 0; n < 446; n++) jira.addIssue('ENG', { summary: `Bulk ${n}`, issuetype: { id: '10001', name: 'Task' } });
    const deps = restoreDeps(jira, snapshotOf(jira));
    await queuePlanning(deps, 'dry-run-1', projectTask);
    const seen: string[] = [];
    const set = deps.kv.set.bind(deps.kv);
    deps.kv.set = async (key, value) => {
      const record = value as { state?: string; issuesRead?: number; issuesCompared?: number };
      if (key === 'restore-planning:dry-run-1') seen.push(`${record.state} ${record.issuesRead}/${record.issuesCompared}`);
      return set(key, value);
    };
    await drain(deps);
    // Every 200 issues read (from the backup, then compared with the site), then the end.
    expect(seen).toEqual(['running 0/0', 'running 200/0', 'running 400/0', 'running 450/150', 'running 450/350', 'done 450/450']);
  });

  it('makes one plan from duplicate deliveries, whether they arrive together or one after the other', async () => {
    const { deps } = world();
    await queuePlanning(deps, 'dry-run-1', projectTask);
    const event = deps.queue.events.shift()!.event as PlanningEvent;
    const explain = () => undefined;
    const together = await Promise.all([runPlanning(deps, event, { explain }), runPlanning(deps, event, { explain })]);
    expect(together.sort()).toEqual(['done', 'ignored']);
    const stored = [...deps.kv.data.entries()].filter(([k]) => k.startsWith('restore-plan:'));
    const writes = deps.kv.writes;
    expect(await runPlanning(deps, event, { explain })).toBe('ignored');
    expect(deps.kv.writes).toBe(writes);
    expect([...deps.kv.data.entries()].filter(([k]) => k.startsWith('restore-plan:'))).toEqual(stored);
    expect(planKeys(deps.kv.data.keys()).filter((k) => !k.includes(':issues:'))).toEqual(['restore-plan:dry-run-1']);
    expect((await loadPlanning(deps.kv, 'dry-run-1'))!.attempts).toBe(1);
  });

  it('stops past its budget with a message that says so and what to do, storing no plan', async () => {
    const { deps, jira, now } = world();
    // Every Jira request takes five minutes: the worker's budget (9 of its 10 minutes left) is spent after two.
    const request = jira.request.bind(jira);
    jira.request = async (r: JiraRequest) => {
      now.t += 5 * 60_000;
      return request(r);
    };
    await queuePlanning(deps, 'dry-run-1', projectTask);
    await handleRestoreEvent(deps.queue.events.shift()!.event, deps, { remainingMs: 600_000 });
    const record = (await loadPlanning(deps.kv, 'dry-run-1'))!;
    expect(record).toMatchObject({ state: 'failed', error: { code: 'unavailable' } });
    expect(record.error!.message).toMatch(
      /^The dry run did not finish in the \d+ minutes a background task may run \(4 issues read from the backup, \d+ compared with the site\)\. Restore this project in parts: choose its issues in batches/,
    );
    expect(planKeys(deps.kv.data.keys())).toEqual([]);
    expect(deps.queue.events).toEqual([]);
  });

  it('waits out a Jira rate limit and plans again, then is done', async () => {
    const { deps, jira } = world();
    await queuePlanning(deps, 'dry-run-1', projectTask);
    jira.rateLimitNext = 1;
    const event = deps.queue.events.shift()!.event as PlanningEvent;
    expect(await runPlanning(deps, event, { explain: () => undefined })).toBe('requeued');
    expect(deps.queue.events).toEqual([{ event: { kind: 'restore.plan', planningId: 'dry-run-1' }, delaySeconds: 2 }]);
    expect(await loadPlanning(deps.kv, 'dry-run-1')).toMatchObject({ state: 'queued' });
    await drain(deps);
    expect(await loadPlanning(deps.kv, 'dry-run-1')).toMatchObject({ state: 'done', attempts: 2 });
  });

  it('leaves an unexpected error to the queue to retry, and gives up with its message after three deliveries', async () => {
    const { deps, jira } = world();
    jira.request = async () => {
      throw new TypeError('socket hang up');
    };
    await queuePlanning(deps, 'dry-run-1', projectTask);
    const event = deps.queue.events.shift()!.event;
    for (let delivery = 1; delivery <= 2; delivery++) {
      await expect(handleRestoreEvent(event, deps)).rejects.toThrow('socket hang up');
      expect(await loadPlanning(deps.kv, 'dry-run-1')).toMatchObject({ state: 'queued', attempts: delivery });
    }
    await handleRestoreEvent(event, deps);
    expect(await loadPlanning(deps.kv, 'dry-run-1')).toMatchObject({ state: 'failed', attempts: 3, error: { code: 'unavailable', message: 'The dry run failed: socket hang up' } });
  });

  it('ends a planning whose deliveries were all cut off, instead of retrying it for a day', async () => {
    const { deps } = world();
    await queuePlanning(deps, 'dry-run-1', projectTask);
    const event = deps.queue.events.shift()!.event;
    // Three deliveries started and were killed by the platform (no chance to record anything but the start).
    const record = (await loadPlanning(deps.kv, 'dry-run-1'))!;
    await deps.kv.set('restore-planning:dry-run-1', { ...record, state: 'running', attempts: 3 });
    await handleRestoreEvent(event, deps);
    expect(await loadPlanning(deps.kv, 'dry-run-1')).toMatchObject({
      state: 'failed',
      error: { message: expect.stringMatching(/^The dry run was stopped 3 times before it could finish/) },
    });
  });

  it('reports the planner\'s refusals with their advice (the project is gone: choose a new key)', async () => {
    const { deps, jira } = world();
    jira.projects.delete('ENG');
    await queuePlanning(deps, 'dry-run-1', projectTask);
    await drain(deps);
    expect(await loadPlanning(deps.kv, 'dry-run-1')).toMatchObject({
      state: 'failed',
      error: { code: 'invalid', message: expect.stringMatching(/^Project ENG no longer exists on the site\. Restore it into a new project \(choose a key\)/) },
    });
  });
});

describe('queueing a planning', () => {
  it('queues the event again only when the first call stored the request and then stopped before queueing it', async () => {
    const { deps, now } = world();
    // The first call stored the record, then its invocation died before the push.
    await queuePlanning(deps, 'dry-run-1', projectTask);
    deps.queue.events.length = 0;
    await deps.kv.delete('restore-planning:dry-run-1:queued');
    await queuePlanning(deps, 'dry-run-1', projectTask);
    expect(deps.queue.events).toEqual([]); // it may still be running: wait until its 25 s are certainly over
    now.t += 31_000;
    await queuePlanning(deps, 'dry-run-1', projectTask);
    expect(deps.queue.events.map((e) => e.event)).toEqual([{ kind: 'restore.plan', planningId: 'dry-run-1' }]);
    await queuePlanning(deps, 'dry-run-1', projectTask);
    expect(deps.queue.events).toHaveLength(1);
  });

  it('refuses an id that cannot be part of a KVS key, and a request too large for one KVS value', async () => {
    const { deps } = world();
    await expect(queuePlanning(deps, 'a/b', projectTask)).rejects.toThrow('"a/b" is not a valid request id');
    const huge = { kind: 'diff' as const, snapshotId: 'x'.repeat(200_000), projectKey: 'ENG' };
    await expect(queuePlanning(deps, 'dry-run-1', huge)).rejects.toThrow(/^This request is too large to queue \(200\d+ characters\)/);
    expect([...deps.kv.data.keys()]).toEqual([]);
    expect(deps.queue.events).toEqual([]);
  });
});
