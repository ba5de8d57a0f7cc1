import '../frontend/install-bridge';
import { join } from 'node:path';
import React from 'react';
import { ForgePlatform } from '../../local/forge';
import { startJiraSimulator, type JiraSimulator } from '../../local/jira-sim/server';
import { App } from '../../src/frontend/App';
import { withoutOriginLine } from '../../src/core/restore/origin';
import { forgeJobQueue } from '../../src/adapters/forge';
import { ForgeUiHost } from '../frontend/forge-ui-host';

/**
 * Restore as deployed, on the local Forge platform: the page's invokes go to the app's own resolver (default Forge
 * ports, the configured managed store). "Show what changed" and "Dry run" only queue `restore.plan` and "Restore now"
 * only queues `restore.step`; the manifest's consumer (src/entry/worker.ts) compares, plans, and writes the issue
 * back into the Jira simulator.
 */
const RESTORE_KEYS = [
  'restoreListSnapshots', 'restoreListProjects', 'restoreFindIssues', 'restoreShowIssue', 'restoreDiffProject', 'restoreDiffStatus', 'restorePreview',
  'restorePreviewStatus', 'restoreStart', 'restoreStatus',
];

interface Comment {
  id: string;
  body: unknown;
}

describe('Restore tab through the Forge emulator and the Jira simulator', () => {
  let sim: JiraSimulator;
  let platform: ForgePlatform;
  /** Object Store operations the app asked for (a backup is read through download URLs). */
  const objectStoreCalls: string[] = [];
  beforeAll(async () => {
    sim = await startJiraSimulator({ port: 0, site: { seed: 5, projects: 1, issues: 12, attachmentsMb: 0 } });
    platform = await ForgePlatform.start({ appDir: join(__dirname, '..', '..'), dataDir: 'memory', jira: { baseUrl: sim.baseUrl } });
    // Watches the emulator's Object Store endpoint (the platform side, not the app's @forge package) for reads.
    const service = (platform as unknown as { objectStoreService: { handle: (path: string, init?: RequestInit) => Response } }).objectStoreService;
    const handle = service.handle.bind(service);
    service.handle = (path, init) => {
      objectStoreCalls.push(path);
      return handle(path, init);
    };
  });
  afterAll(async () => {
    await platform?.stop();
    await sim?.stop();
  });

  const jira = async <T,>(path: string, init?: RequestInit): Promise<{ status: number; body: T }> => {
    const response = await fetch(`${sim.baseUrl}${path}`, init);
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
  };
  const invoke = <T,>(key: string, payload: Record<string, unknown>, accountId = sim.accounts.admin) =>
    platform.invoke<T>('backup-center-admin-page', key, payload, { accountId });

  it('backs up, deletes an issue, and brings it back with its summary and comments through the page', async () => {
    // A backup of the site, through the app's own resolvers and worker.
    const saved = await invoke<{ ok: boolean; data: { id: string } }>('savePlan', {
      plan: { name: 'Nightly', enabled: true, projects: { mode: 'all' }, content: 'basic', schedule: { days: 'daily', time: '02:30' }, retention: { mode: 'count', keep: 7 } },
    });
    expect(saved.ok).toBe(true);
    expect((await invoke<{ ok: boolean }>('backupNow', { planId: saved.data.id })).ok).toBe(true);
    expect((await platform.runUntilIdle()).dropped).toBe(0);

    // An issue with a few comments is deleted on the site.
    const ids = [...sim.site.issues.keys()].sort((a, b) => a - b);
    let victim: { key: string; summary: string; comments: Comment[] } | undefined;
    for (const id of ids) {
      const comments = (await jira<{ comments: Comment[]; total: number }>(`/rest/api/3/issue/${id}/comment?maxResults=100`)).body;
      if (comments.total < 1 || comments.total > 10) continue;
      const issue = (await jira<{ key: string; fields: { summary: string } }>(`/rest/api/3/issue/${id}?fields=summary`)).body;
      victim = { key: issue.key, summary: issue.fields.summary, comments: comments.comments };
      break;
    }
    expect(victim).toBeDefined();
    const { key, summary, comments } = victim!;
    expect((await jira(`/rest/api/3/issue/${key}`, { method: 'DELETE' })).status).toBe(204);
    expect((await jira(`/rest/api/3/issue/${key}`)).status).toBe(404);

    // The admin restores it from the Restore tab.
    const admin = sim.accounts.admin;
    const host = new ForgeUiHost((fn, payload) => platform.invoke('backup-center-admin-page', fn, payload, { accountId: admin }), { accountId: admin });
    await host.render(<App pollIntervalMs={0} />);
    await host.byTestId('backup-center')!.children[0].props.onChange(4);
    await host.settle();
    const files = host.field('fileId').props.options as { value: string; label: string }[];
    expect(files.map((f) => f.label)).toEqual([expect.stringMatching(/^Nightly \d{4}-\d{2}-\d{2} \d{2}:\d{2} · Basic$/)]);
    await host.change('fileId', files[0].value);
    const projectKey = key.split('-')[0];
    await host.change('projectKey', projectKey);
    await host.click(host.button('Show what changed since this backup'));
    expect((await platform.runUntilIdle()).dropped).toBe(0);
    await host.click(host.button('Refresh'));
    expect(host.text(host.ofType('DynamicTable').find((t) => t.props.caption === 'Deleted issues'))).toContain(key);
    await host.change('searchText', key);
    await host.click(host.button('Search'));
    const found = host.ofType('DynamicTable').find((t) => t.props.caption === 'Issues found in the backup')!;
    expect(host.text(found)).toContain(`${key} ${summary}`.replace(/\s+/g, ' ').trim().slice(0, 40));
    await host.click(host.button('Add', found));

    // The dry run goes through the queue: the resolver answers at once, having read neither the backup nor the site.
    const jiraRequests = sim.requestLog.entries.length;
    const objectCalls = objectStoreCalls.length;
    await host.click(host.button('Dry run'));
    // (The administrator check's own request aside: every key asks Jira whether the caller administers it.)
    expect(sim.requestLog.entries.slice(jiraRequests).filter((r) => r.route !== '/rest/api/3/mypermissions')).toEqual([]);
    expect(objectStoreCalls.slice(objectCalls)).toEqual([]);
    expect(platform.events.pending().map((q) => q.event.body)).toEqual([{ kind: 'restore.plan', planningId: expect.any(String) }]);
    expect(host.text()).toContain('Preparing the dry run… (0 issues read; waiting for the background worker)');
    expect(host.byTestId('restore-dry-run')).toBeUndefined();
    expect((await platform.runUntilIdle()).dropped).toBe(0);
    // The worker read them: the backup (download URLs) and the site.
    expect(sim.requestLog.entries.length).toBeGreaterThan(jiraRequests);
    expect(objectStoreCalls.slice(objectCalls)).toContain('api/v1/download-url');
    await host.click(host.button('Refresh'));
    expect(host.text(host.byTestId('restore-dry-run'))).toContain(`Restoring into project ${projectKey} will write: 1 issue created, ${comments.length === 1 ? '1 comment' : `${comments.length} comments`}`);
    await host.click(host.button('Restore…'));
    await host.click(host.button('Restore now', host.byTestId('confirm-restore-dialog')));
    const searchBefore = (await jira<{ issues: unknown[] }>(`/rest/api/3/search/jql?jql=${encodeURIComponent(`project = ${projectKey}`)}&maxResults=5000`)).body.issues.length;
    expect(searchBefore).toBe(11); // resolvers queue the restore; only the worker writes

    const run = await platform.runUntilIdle();
    expect(run.dropped).toBe(0);
    await host.click(host.button('Refresh'));
    const progress = host.text(host.byTestId('restore-progress'));
    expect(progress).toContain('Done');
    const restoredKey = new RegExp(`${key} is now (${projectKey}-\\d+)`).exec(progress)?.[1];
    expect(restoredKey).toBeDefined();
    expect(progress).toContain(`comments: ${comments.length} of ${comments.length} restored`);

    // The issue exists again on the site with its summary and comments.
    const restored = await jira<{ fields: { summary: string } }>(`/rest/api/3/issue/${restoredKey}?fields=summary`);
    expect(restored.status).toBe(200);
    expect(restored.body.fields.summary).toBe(summary);
    const restoredComments = (await jira<{ comments: Comment[] }>(`/rest/api/3/issue/${restoredKey}/comment?maxResults=100`)).body.comments;
    expect(restoredComments.map((c) => withoutOriginLine(c.body))).toEqual(comments.map((c) => c.body));

    const audit = await invoke<{ ok: boolean; data: { entries: { action: string; actor: string }[] } }>('getAuditLog', {});
    expect(audit.data.entries.slice(0, 2).map((e) => `${e.action} by ${e.actor}`)).toEqual(['restore.finished by system', `restore.started by ${admin}`]);
  });

  it('queues a retried dry run once, and makes one plan from a duplicated plan event', async () => {
    const listed = await invoke<{ ok: boolean; data: { files: { id: string }[] } }>('restoreListSnapshots', {});
    const projectKey = [...sim.site.projects.values()][0].key;
    const payload = { fileId: listed.data.files[0].id, request: { kind: 'project', projectKey }, requestId: 'retried-dry-run-1' };
    expect(await invoke('restorePreview', payload)).toEqual({ ok: true, data: { planningId: 'retried-dry-run-1' } });
    expect(await invoke('restorePreview', payload)).toEqual({ ok: true, data: { planningId: 'retried-dry-run-1' } });
    expect(platform.events.pending().map((q) => q.event.body)).toEqual([{ kind: 'restore.plan', planningId: 'retried-dry-run-1' }]);
    // Forge delivers at least once: the same event a second time.
    await forgeJobQueue().push([{ kind: 'restore.plan', planningId: 'retried-dry-run-1' }]);
    expect((await platform.runUntilIdle()).delivered).toBe(2);
    const kvs = platform.kvs.dump();
    expect(Object.keys(kvs).filter((k) => k.startsWith('restore-plan:retried-dry-run-1') && !k.includes(':issues:'))).toEqual(['restore-plan:retried-dry-run-1']);
    expect(kvs['restore-planning:retried-dry-run-1']).toMatchObject({ state: 'done', attempts: 1, issuesRead: 12 });
    const status = await invoke<{ ok: boolean; data: { state: string; preview: { previewId: string; totals: { issuesToCreate: number } } } }>('restorePreviewStatus', { planningId: 'retried-dry-run-1' });
    expect(status).toMatchObject({ ok: true, data: { state: 'done', preview: { previewId: 'retried-dry-run-1', totals: { issuesToCreate: 0 } } } });
  });

  it('restores a deleted project into a new project with the key the admin types', async () => {
    const admin = sim.accounts.admin;
    const projectKey = [...sim.site.projects.values()][0].key;
    expect((await jira(`/rest/api/3/project/${projectKey}`, { method: 'DELETE' })).status).toBe(204);
    const host = new ForgeUiHost((fn, payload) => platform.invoke('backup-center-admin-page', fn, payload, { accountId: admin }), { accountId: admin });
    await host.render(<App pollIntervalMs={0} />);
    await host.byTestId('backup-center')!.children[0].props.onChange(4);
    await host.settle();
    await host.change('fileId', (host.field('fileId').props.options as { value: string }[])[0].value);
    await host.change('projectKey', projectKey);
    await host.change('mode', 'project');
    // The worker's planning error reaches the page with the planner's own advice.
    await host.click(host.button('Dry run'));
    expect((await platform.runUntilIdle()).dropped).toBe(0);
    await host.click(host.button('Refresh'));
    expect(host.text()).toContain(`The dry run did not work Project ${projectKey} no longer exists on the site. Restore it into a new project (choose a key)`);
    expect(host.byTestId('restore-dry-run')).toBeUndefined();
    await host.change('target', 'new');
    await host.change('newProjectKey', 'RESTO');
    await host.click(host.button('Dry run'));
    expect((await platform.runUntilIdle()).dropped).toBe(0);
    await host.click(host.button('Refresh'));
    expect(host.text(host.byTestId('restore-dry-run'))).toContain('into a new project RESTO');
    expect(host.text(host.byTestId('restore-dry-run'))).toContain('12 issues created');
    await host.click(host.button('Restore…'));
    await host.click(host.button('Restore now', host.byTestId('confirm-restore-dialog')));
    expect((await platform.runUntilIdle()).dropped).toBe(0);
    await host.click(host.button('Refresh'));
    expect(host.text(host.byTestId('restore-progress'))).toContain('project RESTO created');
    const restored = await jira<{ issues: { id: string }[] }>(`/rest/api/3/search/jql?jql=${encodeURIComponent('project = RESTO')}&maxResults=5000`);
    expect(restored.body.issues).toHaveLength(12);
  });

  it('refuses a non-admin on every restore resolver', async () => {
    for (const key of RESTORE_KEYS) {
      const result = await invoke(key, { fileId: 'x', restoreId: 'x', previewId: 'x', confirmed: true }, sim.accounts.nonAdmin);
      expect({ key, result }).toEqual({ key, result: { ok: false, error: expect.objectContaining({ code: 'forbidden', status: 403 }) } });
    }
  });
});
