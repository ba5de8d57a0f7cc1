import { createAdminResolver } from '../../src/entry/resolvers/create-resolver';
import { lazySnapshotOpener, progressOf, provideRestoreDeps } from '../../src/entry/resolvers/restore-resolvers';
import { formatSnapshotOpener, planRestore } from '../../src/core/restore';
import { readSnapshot, snapshotManifestPath } from '../../src/core/format';
import { issueRecord, memoryStore, writeFullSnapshot } from '../format/fixtures';
import type { RestoreJob } from '../../src/core/restore/job-state';
import { fakeAdminWorld } from '../admin/fakes';
import { drain, restoreDeps, seedSite, snapshotOf } from '../restore/support/scenario';
import { invokeAs } from './invoke';

/** The restore resolvers over the real engine and an in-memory Jira: what they refuse, and what they never do twice. */
function world(deleteIds: string[] = ['10101']) {
  const admin = fakeAdminWorld();
  const jira = seedSite();
  const snapshot = snapshotOf(jira);
  for (const id of deleteIds) jira.issues.delete(id);
  const deps = restoreDeps(jira, snapshot);
  provideRestoreDeps(() => deps);
  const resolver = createAdminResolver(({ accountId }) => admin.app(accountId), { logError: () => {} });
  const call = <T = unknown>(key: string, payload: Record<string, unknown>) => invokeAs<T>(resolver, 'admin-1', key, payload);
  /** The page's dry run: queue it, let the worker plan it, read the preview. */
  const preview = async (request: Record<string, unknown>, requestId = `dry-run-${++requests}`) => {
    const queued = await call<{ planningId: string }>('restorePreview', { fileId: 'snap-1', request, requestId });
    if (!queued.ok) throw new Error(queued.error.message);
    await drain(deps);
    const status = await call<{ state: string; preview?: { previewId: string } }>('restorePreviewStatus', { planningId: queued.data.planningId });
    if (!status.ok || !status.data.preview) throw new Error(`dry run not done: ${JSON.stringify(status)}`);
    return status.data.preview.previewId;
  };
  let requests = 0;
  return { admin, jira, deps, call, preview };
}

afterEach(() => provideRestoreDeps(undefined));

const issuesRequest = { kind: 'issues', issueIds: ['10101'] };

describe('restore resolvers', () => {
  it('refuses to start without the confirmation, and writes nothing', async () => {
    const { call, deps, admin, preview } = world();
    const previewId = await preview(issuesRequest);
    for (const confirmed of [undefined, false, 'yes']) {
      expect(await call('restoreStart', { previewId, confirmed })).toEqual({
        ok: false, error: expect.objectContaining({ code: 'invalid', message: expect.stringMatching(/needs confirmation: read the dry run, then confirm it in the dialog/) }),
      });
    }
    expect(deps.queue.events).toEqual([]);
    expect((await admin.audit.read()).entries).toEqual([]);
  });

  it('starts a confirmed dry run once: a second confirmation returns the same restore and logs nothing new', async () => {
    const { call, deps, admin, jira, preview } = world();
    const previewId = await preview(issuesRequest);
    const first = await call<{ restoreId: string }>('restoreStart', { previewId, confirmed: true });
    const second = await call<{ restoreId: string; alreadyStarted: boolean }>('restoreStart', { previewId, confirmed: true });
    expect(first).toEqual({ ok: true, data: { restoreId: previewId, previewId } });
    expect(second).toEqual({ ok: true, data: { restoreId: previewId, previewId, alreadyStarted: true } });
    expect(deps.queue.events).toHaveLength(1);
    expect((await admin.audit.read()).entries.map((e) => e.action)).toEqual(['restore.started']);
    await drain(deps);
    expect([...jira.issues.values()].map((i) => i.fields.summary)).toContain('Refund API');
  });

  it('starts only a stored dry run: a bare request is refused, and nothing is planned, queued or logged', async () => {
    const { call, deps, admin } = world();
    const started = await call('restoreStart', { fileId: 'snap-1', request: issuesRequest, confirmed: true });
    expect(started).toMatchObject({ ok: false, error: { code: 'invalid', fields: [{ field: 'previewId', message: expect.stringMatching(/^Run the dry run first/) }] } });
    expect(deps.queue.events).toEqual([]);
    expect([...deps.kv.data.keys()]).toEqual([]);
    expect((await admin.audit.read()).entries).toEqual([]);
  });

  it('says what to do with unknown dry runs, restores and issues, and with bad requests', async () => {
    const { call, deps } = world();
    expect(await call('restoreStart', { previewId: 'gone', confirmed: true })).toMatchObject({ ok: false, error: { code: 'not-found', message: expect.stringMatching(/Run the dry run again/) } });
    expect(await call('restoreStatus', { restoreId: 'gone' })).toMatchObject({ ok: false, error: { code: 'not-found', status: 404 } });
    expect(await call('restoreShowIssue', { fileId: 'snap-1', issue: 'ENG-99' })).toMatchObject({ ok: false, error: { code: 'not-found', message: 'ENG-99 is not in this backup. Search the backup for it by summary.' } });
    expect(await call('restoreListProjects', {})).toMatchObject({ ok: false, error: { code: 'invalid', fields: [{ field: 'fileId', message: 'Pick the backup to restore from.' }] } });
    expect(await call('restorePreview', { fileId: 'snap-1', request: { kind: 'issues', issueIds: [] }, requestId: 'dry-run-1' })).toMatchObject({
      ok: false, error: { code: 'invalid', fields: [{ field: 'issueIds', message: expect.stringMatching(/^Choose at least one issue/) }] },
    });
    expect(await call('restorePreview', { fileId: 'snap-1', request: { kind: 'wipe' }, requestId: 'dry-run-1' })).toMatchObject({ ok: false, error: { code: 'invalid', fields: [{ field: 'request' }] } });
    const tooMany = Array.from({ length: 5001 }, (_, n) => String(20000 + n));
    expect(await call('restorePreview', { fileId: 'snap-1', request: { kind: 'issues', issueIds: tooMany }, requestId: 'dry-run-1' })).toMatchObject({
      ok: false, error: { code: 'invalid', fields: [{ field: 'issueIds', message: 'Choose at most 5,000 issues at a time; to bring back more, restore the whole project.' }] },
    });
    expect(await call('restorePreview', { fileId: 'snap-1', request: issuesRequest })).toMatchObject({ ok: false, error: { code: 'invalid', fields: [{ field: 'requestId' }] } });
    expect(await call('restorePreview', { fileId: 'snap-1', request: issuesRequest, requestId: 'a/b:c' })).toMatchObject({ ok: false, error: { code: 'invalid', fields: [{ field: 'requestId' }] } });
    // Bad requests are refused before anything is stored or queued.
    expect(deps.queue.events).toEqual([]);
    expect([...deps.kv.data.keys()]).toEqual([]);
    expect(await call('restorePreviewStatus', { planningId: 'never-queued' })).toMatchObject({ ok: false, error: { code: 'not-found', message: 'This dry run is not known. Run the dry run again.' } });
    expect(await call('restoreDiffStatus', { diffId: 'never-queued' })).toMatchObject({ ok: false, error: { code: 'not-found', message: 'This comparison is not known. Show the changes again.' } });
  });

  it('reports the engine\'s own refusals from the worker as bad input, with their advice, as when the resolver planned', async () => {
    const { call, deps } = world();
    expect(await call('restorePreview', { fileId: 'snap-1', request: { kind: 'issues', issueIds: ['424242'] }, requestId: 'dry-run-1' })).toEqual({ ok: true, data: { planningId: 'dry-run-1' } });
    expect(await call('restorePreviewStatus', { planningId: 'dry-run-1' })).toEqual({ ok: true, data: { state: 'queued', issuesRead: 0, issuesCompared: 0 } });
    await drain(deps);
    expect(await call('restorePreviewStatus', { planningId: 'dry-run-1' })).toEqual({
      ok: true,
      data: { state: 'failed', issuesRead: 0, issuesCompared: 0, error: { code: 'invalid', message: 'Issue 424242 is not in snapshot snap-1; search the snapshot for it first.', fields: [] } },
    });
    // A failed dry run stays failed: nothing to start from.
    expect(await call('restoreStart', { previewId: 'dry-run-1', confirmed: true })).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('queues a dry run once however often the same call is retried, and refuses its id for another request', async () => {
    const { call, deps } = world();
    const payload = { fileId: 'snap-1', request: issuesRequest, requestId: 'dry-run-7' };
    const answers = await Promise.all([call('restorePreview', payload), call('restorePreview', payload)]);
    answers.push(await call('restorePreview', payload));
    expect(answers).toEqual([0, 1, 2].map(() => ({ ok: true, data: { planningId: 'dry-run-7' } })));
    expect(deps.queue.events.map((e) => e.event)).toEqual([{ kind: 'restore.plan', planningId: 'dry-run-7' }]);
    expect(await call('restorePreview', { ...payload, request: { kind: 'issues', issueIds: ['10102'] } })).toMatchObject({
      ok: false, error: { code: 'invalid', message: 'The request id dry-run-7 was already used for another request; reload the page and try again.' },
    });
    expect(deps.queue.events).toHaveLength(1);
    await drain(deps);
    // Asked again after it was planned: the same dry run, not a new one.
    expect(await call('restorePreview', payload)).toEqual({ ok: true, data: { planningId: 'dry-run-7' } });
    expect(deps.queue.events).toEqual([]);
    expect([...deps.kv.data.keys()].filter((k) => /^restore-plan:[^:]+$/.test(k))).toEqual(['restore-plan:dry-run-7']);
  });

  it('compares a project with the site in the worker and answers the comparison once it is done', async () => {
    const { call, deps, jira } = world();
    jira.issues.get('10102')!.fields.summary = 'Ledger export (bulk edited)';
    const queued = await call<{ diffId: string }>('restoreDiffProject', { fileId: 'snap-1', projectKey: 'eng', requestId: 'diff-0001' });
    expect(queued).toEqual({ ok: true, data: { diffId: 'diff-0001' } });
    expect(jira.log).toEqual([]); // the resolver read nothing: the worker compares
    expect(await call('restoreDiffStatus', { diffId: 'diff-0001' })).toMatchObject({ ok: true, data: { state: 'queued' } });
    // A dry run's id is not a comparison's, and the other way round.
    expect(await call('restorePreviewStatus', { planningId: 'diff-0001' })).toMatchObject({ ok: false, error: { code: 'not-found' } });
    await drain(deps);
    const status = await call<{ state: string; issuesRead: number; issuesCompared: number; diff: { deletedIssues: { key: string }[]; changedIssues: unknown[] } }>('restoreDiffStatus', { diffId: 'diff-0001' });
    expect(status).toMatchObject({ ok: true, data: { state: 'done', issuesRead: 4, issuesCompared: 4 } });
    expect(status.ok && status.data.diff.deletedIssues.map((i) => i.key)).toEqual(['ENG-2']);
    expect(status.ok && status.data.diff.changedIssues).toEqual([{ key: 'ENG-3', id: '10102', summary: 'Ledger export', fields: [{ id: 'summary', name: 'Summary' }] }]);
  });

  it('lists restorable backups only (not failed ones)', async () => {
    const { call, admin } = world();
    admin.files.files = [
      { id: 'snap-1', planName: 'Nightly', createdAt: Date.UTC(2026, 10, 20), kind: 'extended', sizeBytes: 1, state: 'partial' },
      { id: 'snap-0', planName: 'Nightly', createdAt: Date.UTC(2026, 10, 19), kind: 'basic', sizeBytes: 1, state: 'failed' },
    ];
    const listed = await call<{ files: { id: string }[] }>('restoreListSnapshots', {});
    expect(listed.ok && listed.data.files.map((f) => f.id)).toEqual(['snap-1']);
  });
});

describe('opening the store for restore keys', () => {
  it('shows a running restore\'s progress when the store cannot be opened, and opens it once for the keys that read a backup', async () => {
    const { call, deps, preview } = world();
    const previewId = await preview(issuesRequest);
    expect((await call('restoreStart', { previewId, confirmed: true })).ok).toBe(true);
    // From now on the store's password is missing: opening the store fails, as configuredStore does without secrets.
    let opens = 0;
    provideRestoreDeps(() => ({
      ...deps,
      snapshots: lazySnapshotOpener(async () => {
        opens += 1;
        throw new Error('The storage password is not set; enter it on the Storage tab.');
      }),
    }));
    expect(await call('restoreStatus', { restoreId: previewId })).toMatchObject({ ok: true, data: { restoreId: previewId, state: 'running' } });
    expect(opens).toBe(0);
    expect(await call('restoreListProjects', { fileId: 'snap-1' })).toMatchObject({ ok: false, error: { message: expect.stringContaining('The storage password is not set') } });
    expect(opens).toBe(1);
  });
});

describe('listing a backup\'s projects', () => {
  it('takes each project\'s issue count from the manifest and its project list, reading no issue', async () => {
    const { deps } = world();
    const store = memoryStore();
    const id = '20261126T020000Z-daily';
    await writeFullSnapshot(store, id, 'ENG', [1, 2, 3].map((n) => issueRecord('ENG', n)));
    const reads: string[] = [];
    const get = store.get.bind(store);
    store.get = async (path) => {
      reads.push(path);
      return get(path);
    };
    provideRestoreDeps(() => ({ ...deps, snapshots: formatSnapshotOpener(store), manifest: (snapshotId) => readSnapshot(store, snapshotId) }));
    const resolver = createAdminResolver(({ accountId }) => fakeAdminWorld().app(accountId), { logError: () => {} });
    expect(await invokeAs(resolver, 'admin-1', 'restoreListProjects', { fileId: id })).toEqual({ ok: true, data: [{ id: '1300', key: 'ENG', name: 'Project ENG', issueCount: 3 }] });
    // The manifest, then the project list it names (format 2); no index part, no pack.
    expect(reads[0]).toBe(snapshotManifestPath(id));
    expect(reads.slice(1)).toEqual([expect.stringMatching(/^projects\/[0-9a-f]{2}\/[0-9a-f]{64}\.jsonl\.gz$/)]);
  });
});

describe('restore progress', () => {
  it('counts the project setup, each issue created, each issue\'s content, each link and the rank as steps', async () => {
    const jira = seedSite();
    const snapshot = snapshotOf(jira);
    jira.issues.delete('10101');
    jira.issues.delete('10103');
    const plan = await planRestore(restoreDeps(jira, snapshot), { kind: 'issues', snapshotId: 'snap-1', issueIds: ['10101', '10103'] });
    const job = (patch: Partial<RestoreJob>): RestoreJob => ({
      id: plan.id, planId: plan.id, status: 'running', phase: 'project', wave: 0, cursor: 0, inFlight: [], seq: 1, startedAt: 0, updatedAt: 0, steps: 0,
      rateLimitedPauses: 0, links: { done: 0, total: 0, failures: [] }, ...patch,
    });
    // 1 project + 2 creates (parent wave 0, sub-task wave 1) + 2 content + 1 link + 1 rank.
    expect(progressOf(job({}), plan)).toEqual({ done: 0, total: 7 });
    expect(progressOf(job({ phase: 'issues', wave: 1, cursor: 0 }), plan)).toEqual({ done: 2, total: 7 });
    expect(progressOf(job({ phase: 'content', cursor: 0, doneAhead: ['10103'] }), plan)).toEqual({ done: 4, total: 7 });
    expect(progressOf(job({ phase: 'rank' }), plan)).toEqual({ done: 6, total: 7 });
    expect(progressOf(job({ phase: 'done', status: 'done' }), plan)).toEqual({ done: 7, total: 7 });
  });
});
