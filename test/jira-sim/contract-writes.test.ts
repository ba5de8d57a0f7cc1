/**
 * Restore writes: behaviour, and the contract — every write route is exercised, request payloads (taken from the
 * spec's own examples where it has them, with ids swapped for the site's) validate against the request schema,
 * and every response validates against the operation's response schema.
 */
import { startJiraSimulator, type JiraSimulator } from '../../local/jira-sim';
import { allRoutes } from '../../local/jira-sim/routes';
import { SpecValidator } from './spec-validator';
import { send, type CallResult } from './http';
import type { Call } from './read-calls';

const validator = new SpecValidator();
let sim: JiraSimulator;
const failures: string[] = [];

beforeAll(async () => {
  sim = await startJiraSimulator({ site: { seed: 21, issues: 120, attachmentsMb: 1 } });
});
afterAll(() => sim.stop());

const adf = (text: string) => ({ type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });

/** Sends a call and checks request and response against the spec; returns the result. */
async function call(c: Call, checkRequest = true): Promise<CallResult> {
  const result = await send(sim.baseUrl, c);
  const entry = sim.requestLog.entries[sim.requestLog.entries.length - 1];
  const route = entry.route!;
  const spec = route.startsWith('/rest/agile') ? 'agile' : 'platform';
  if (checkRequest && c.body !== undefined && typeof c.body === 'object' && !(c.body instanceof Uint8Array)) {
    const errors = validator.validateRequest(spec, route, c.method, c.body);
    if (errors.length > 0) failures.push(`request ${c.method} ${route}: ${errors.join('; ')}`);
  }
  const declared = validator.statuses(spec, route, c.method);
  if (!declared.includes(String(result.status))) failures.push(`${c.method} ${route}: status ${result.status} not declared (${declared})`);
  if (result.json !== undefined) {
    const errors = validator.validateResponse(spec, route, c.method, result.status, result.json);
    if (errors.length > 0) failures.push(`response ${c.method} ${route} ${result.status}: ${errors.join('; ')}`);
  }
  return result;
}

function example(spec: 'platform' | 'agile', template: string, method: string): any {
  return JSON.parse(JSON.stringify(validator.requestExample(spec, template, method)));
}

function multipart(boundary: string, files: Array<{ name: string; filename: string; type: string; data: Buffer }>): Buffer {
  const chunks: Buffer[] = [];
  for (const f of files) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${f.name}"; filename="${f.filename}"\r\nContent-Type: ${f.type}\r\n\r\n`));
    chunks.push(f.data, Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

test('a restore sequence: project, configuration, issues and their sub-objects', async () => {
  // Project (spec example, key and lead swapped).
  const projectBody = { ...example('platform', '/rest/api/3/project', 'POST'), key: 'REST', name: 'Restored 🚀', leadAccountId: sim.accounts.admin, projectTypeKey: 'software' };
  for (const k of ['categoryId', 'issueSecurityScheme', 'notificationScheme', 'permissionScheme', 'avatarId', 'projectTemplateKey']) delete projectBody[k];
  const project = await call({ method: 'POST', path: '/rest/api/3/project', body: projectBody });
  expect(project.status).toBe(201);
  expect(project.json.key).toBe('REST');
  const duplicate = await call({ method: 'POST', path: '/rest/api/3/project', body: projectBody });
  expect(duplicate.status).toBe(400);
  expect(duplicate.json.errors.projectKey).toContain('uses this project key');

  const component = await call({ method: 'POST', path: '/rest/api/3/component', body: { ...example('platform', '/rest/api/3/component', 'POST'), project: 'REST', leadAccountId: sim.accounts.admin, isAssigneeTypeValid: undefined } });
  expect(component.status).toBe(201);
  const version = await call({ method: 'POST', path: '/rest/api/3/version', body: { ...example('platform', '/rest/api/3/version', 'POST'), projectId: project.json.id } });
  expect(version.status).toBe(201);
  expect((await call({ method: 'PUT', path: '/rest/api/3/project/REST/properties/restore.meta', body: { from: 'snapshot-1' } })).status).toBe(201);

  // One issue, with ADF, labels, the new component and version, a property and an initial transition.
  const created = await call({
    method: 'POST', path: '/rest/api/3/issue',
    body: {
      fields: {
        project: { key: 'REST' }, issuetype: { name: 'Task' }, summary: 'Restored: ünïcode 🚀 עברית', description: adf('Original body'),
        labels: ['restored', 'ünïcode'], components: [{ id: component.json.id }], fixVersions: [{ id: version.json.id }],
        assignee: { accountId: sim.accounts.nonAdmin }, customfield_10032: { value: 'Platform' }, customfield_10030: 5,
      },
      properties: [{ key: 'backup.original', value: { id: '10001', key: 'DEMO-1' } }],
      transition: { id: '21' },
    },
  });
  expect(created.status).toBe(201);
  const issue = sim.site.issues.get(Number(created.json.id))!;
  expect(issue.key).toBe('REST-1');
  expect(issue.properties.get('backup.original')).toEqual({ id: '10001', key: 'DEMO-1' });
  expect(issue.statusId).toBe(3);
  const read = await call({ method: 'GET', path: `/rest/api/3/issue/${issue.id}?fields=description,summary,labels,customfield_10032` });
  expect(read.json.fields.description).toEqual(adf('Original body'));
  expect(read.json.fields.customfield_10032.value).toBe('Platform');

  // Bulk create: one good, one bad → 201 with the failure listed by element number.
  const bulk = await call({
    method: 'POST', path: '/rest/api/3/issue/bulk',
    body: { issueUpdates: [
      { fields: { project: { key: 'REST' }, issuetype: { name: 'Bug' }, summary: 'bulk one' } },
      { fields: { project: { key: 'REST' }, issuetype: { name: 'Bug' } } },
    ] },
  });
  expect(bulk.status).toBe(201);
  expect(bulk.json.issues).toHaveLength(1);
  expect(bulk.json.errors).toEqual([{ status: 400, elementErrors: { errorMessages: [], errors: { summary: 'You must specify a summary of the issue.' } }, failedElementNumber: 1 }]);
  const allBad = await call({ method: 'POST', path: '/rest/api/3/issue/bulk', body: { issueUpdates: [{ fields: { project: { key: 'NOPE' } } }] } });
  expect(allBad.status).toBe(400);
  const tooMany = await call({ method: 'POST', path: '/rest/api/3/issue/bulk', body: { issueUpdates: Array.from({ length: 51 }, () => ({ fields: {} })) } });
  expect(tooMany.status).toBe(400);

  // Edit (spec example shape) and a transition; both show up in the changelog.
  const edit = await call({ method: 'PUT', path: `/rest/api/3/issue/${issue.id}`, body: { fields: { summary: 'Edited summary', customfield_10031: adf('Investigation underway') }, update: { labels: [{ add: 'again' }] } } });
  expect(edit.status).toBe(204);
  expect(issue.labels).toContain('again');
  const badEdit = await call({ method: 'PUT', path: `/rest/api/3/issue/${issue.id}`, body: { fields: { summary: '', description: 'plain text is not ADF' } } });
  expect(badEdit.status).toBe(400);
  expect(Object.keys(badEdit.json.errors).sort()).toEqual(['description', 'summary']);
  expect(issue.summary).toBe('Edited summary');
  expect((await call({ method: 'GET', path: `/rest/api/3/issue/${issue.id}/transitions` })).json.transitions.length).toBeGreaterThan(0);
  expect((await call({ method: 'POST', path: `/rest/api/3/issue/${issue.id}/transitions`, body: { transition: { id: '41' } } })).status).toBe(204);
  expect(issue.statusId).toBe(10002);
  expect(issue.resolutionId).not.toBeNull();
  expect(issue.changelog.map((c) => c.items[0].field)).toEqual(expect.arrayContaining(['summary', 'status']));

  // Comment and worklog from the spec's examples.
  const comment = await call({ method: 'POST', path: `/rest/api/3/issue/${issue.id}/comment`, body: example('platform', '/rest/api/3/issue/{issueIdOrKey}/comment', 'POST') });
  expect(comment.status).toBe(201);
  expect((await call({ method: 'PUT', path: `/rest/api/3/issue/${issue.id}/comment/${comment.json.id}`, body: { body: adf('edited comment') } })).status).toBe(200);
  const worklogBody = example('platform', '/rest/api/3/issue/{issueIdOrKey}/worklog', 'POST');
  const worklog = await call({ method: 'POST', path: `/rest/api/3/issue/${issue.id}/worklog?notifyUsers=false&adjustEstimate=leave`, body: worklogBody });
  expect(worklog.status).toBe(201);
  // The example's 12:34 UTC, shown in the app user's zone (Berlin, UTC+1 in January).
  expect(worklog.json.started).toBe('2021-01-17T13:34:00.000+0100');
  expect((await call({ method: 'PUT', path: `/rest/api/3/issue/${issue.id}/worklog/${worklog.json.id}`, body: { timeSpent: '1h 30m' } })).json.timeSpentSeconds).toBe(5400);

  // Comment and worklog properties (the restore keeps origin data there).
  expect((await call({ method: 'PUT', path: `/rest/api/3/comment/${comment.json.id}/properties/origin`, body: { by: 'someone' } })).status).toBe(201);
  expect((await call({ method: 'PUT', path: `/rest/api/3/comment/${comment.json.id}/properties/origin`, body: { by: 'someone else' } })).status).toBe(200);
  expect((await call({ method: 'DELETE', path: `/rest/api/3/comment/${comment.json.id}/properties/origin` })).status).toBe(204);
  expect((await call({ method: 'PUT', path: `/rest/api/3/issue/${issue.id}/worklog/${worklog.json.id}/properties/origin`, body: [1, 'ü'] })).status).toBe(201);
  expect((await call({ method: 'GET', path: `/rest/api/3/issue/${issue.id}/worklog/${worklog.json.id}/properties/origin` })).json).toEqual({ key: 'origin', value: [1, 'ü'] });
  expect((await call({ method: 'DELETE', path: `/rest/api/3/issue/${issue.id}/worklog/${worklog.json.id}/properties/origin` })).status).toBe(204);

  // Links: issue link (spec example with keys swapped), remote link (spec example; same globalId updates).
  const linkBody = { ...example('platform', '/rest/api/3/issueLink', 'POST'), inwardIssue: { key: 'REST-1' }, outwardIssue: { key: 'DEMO-1' } };
  delete linkBody.comment;
  expect((await call({ method: 'POST', path: '/rest/api/3/issueLink', body: linkBody })).status).toBe(201);
  const linkId = sim.site.links[sim.site.links.length - 1].id;
  expect((await call({ method: 'GET', path: `/rest/api/3/issueLink/${linkId}` })).status).toBe(200);
  const remoteBody = example('platform', '/rest/api/3/issue/{issueIdOrKey}/remotelink', 'POST');
  const remote = await call({ method: 'POST', path: `/rest/api/3/issue/${issue.id}/remotelink`, body: remoteBody });
  expect(remote.status).toBe(201);
  const again = await call({ method: 'POST', path: `/rest/api/3/issue/${issue.id}/remotelink`, body: remoteBody });
  expect(again.status).toBe(200);
  expect(again.json.id).toBe(remote.json.id);
  expect(issue.remoteLinks).toHaveLength(1);

  // Watchers and properties.
  expect((await call({ method: 'POST', path: `/rest/api/3/issue/${issue.id}/watchers`, body: JSON.stringify(sim.accounts.admin) }, false)).status).toBe(204);
  expect(issue.watcherIds).toContain(sim.accounts.admin);
  expect((await call({ method: 'PUT', path: `/rest/api/3/issue/${issue.id}/properties/backup.original`, body: { id: '1' } })).status).toBe(200);

  // Attachments: refused without the XSRF header; multipart part `file`; bytes read back exactly.
  const boundary = 'sim-boundary-42';
  const data = Buffer.from('hello ünïcode 🚀\n'.repeat(100));
  const upload = multipart(boundary, [{ name: 'file', filename: '../../etc/passwd', type: 'text/plain', data }]);
  const headers = { 'content-type': `multipart/form-data; boundary=${boundary}` };
  expect((await call({ method: 'POST', path: `/rest/api/3/issue/${issue.id}/attachments`, body: upload, headers })).status).toBe(403);
  const attached = await call({ method: 'POST', path: `/rest/api/3/issue/${issue.id}/attachments`, body: upload, headers: { ...headers, 'X-Atlassian-Token': 'no-check' } });
  expect(attached.status).toBe(200);
  expect(attached.json[0].filename).toBe('../../etc/passwd');
  const content = await call({ method: 'GET', path: `/rest/api/3/attachment/content/${attached.json[0].id}?redirect=false` });
  expect(Buffer.from(content.bytes!).equals(data)).toBe(true);

  // Deletes that stage data loss.
  expect((await call({ method: 'DELETE', path: `/rest/api/3/attachment/${attached.json[0].id}` })).status).toBe(204);
  expect((await call({ method: 'DELETE', path: `/rest/api/3/issue/${issue.id}/worklog/${worklog.json.id}` })).status).toBe(204);
  expect((await call({ method: 'DELETE', path: `/rest/api/3/issue/${issue.id}/comment/${comment.json.id}` })).status).toBe(204);
  expect((await call({ method: 'DELETE', path: `/rest/api/3/issue/${issue.id}/remotelink/${remote.json.id}` })).status).toBe(204);
  expect((await call({ method: 'DELETE', path: `/rest/api/3/issue/${issue.id}/properties/backup.original` })).status).toBe(204);
  expect((await call({ method: 'DELETE', path: `/rest/api/3/issue/${issue.id}/watchers?accountId=${sim.accounts.admin}` })).status).toBe(204);
  expect((await call({ method: 'DELETE', path: `/rest/api/3/issueLink/${linkId}` })).status).toBe(204);
  expect((await call({ method: 'DELETE', path: `/rest/api/3/issue/${issue.id}` })).status).toBe(204);
  expect(sim.site.issues.has(issue.id)).toBe(false);
  expect((await call({ method: 'GET', path: `/rest/api/3/issue/${issue.id}` })).status).toBe(404);
  // Deleting a project moves it to the trash: it and its issues disappear from reads until it is restored.
  const survivor = bulk.json.issues[0].key;
  expect((await call({ method: 'DELETE', path: '/rest/api/3/project/REST' })).status).toBe(204);
  expect((await call({ method: 'GET', path: '/rest/api/3/project/REST' })).status).toBe(404);
  expect((await call({ method: 'GET', path: `/rest/api/3/issue/${survivor}` })).status).toBe(404);
  expect((await call({ method: 'POST', path: '/rest/api/3/search/approximate-count', body: { jql: 'project = DEMO' } })).status).toBe(200);
  const trashed = await call({ method: 'GET', path: '/rest/api/3/project/search?status=deleted' });
  expect(trashed.json.values.map((p: { key: string; deleted: boolean }) => [p.key, p.deleted])).toEqual([['REST', true]]);
  expect((await call({ method: 'GET', path: '/rest/api/3/project/search' })).json.values.some((p: { key: string }) => p.key === 'REST')).toBe(false);
  expect((await call({ method: 'POST', path: '/rest/api/3/project/REST/restore' })).status).toBe(200);
  expect((await call({ method: 'GET', path: `/rest/api/3/issue/${survivor}` })).status).toBe(200);
  expect((await call({ method: 'DELETE', path: '/rest/api/3/project/REST?enableUndo=false' })).status).toBe(204);
  expect(sim.site.projects.some((p) => p.key === 'REST')).toBe(false);
  expect((await call({ method: 'POST', path: '/rest/api/3/project/REST/restore' })).status).toBe(404);
});

test('sprints: create, add issues (≤ 50, open sprints only), start, close, rank', async () => {
  const board = sim.site.boards.find((b) => b.type === 'scrum')!;
  const body = { ...example('agile', '/rest/agile/1.0/sprint', 'POST'), originBoardId: board.id };
  const sprint = await call({ method: 'POST', path: '/rest/agile/1.0/sprint', body });
  expect(sprint.status).toBe(201);
  expect(sprint.json.state).toBe('future');
  const keys = [...sim.site.issues.values()].filter((i) => i.projectId === board.projectId).slice(0, 3).map((i) => i.key);
  expect((await call({ method: 'POST', path: `/rest/agile/1.0/sprint/${sprint.json.id}/issue`, body: { issues: keys } })).status).toBe(204);
  const inSprint = await call({ method: 'GET', path: `/rest/agile/1.0/sprint/${sprint.json.id}/issue?fields=summary` });
  expect(inSprint.json.issues.map((i: { key: string }) => i.key).sort()).toEqual([...keys].sort());
  expect((await call({ method: 'POST', path: `/rest/agile/1.0/sprint/${sprint.json.id}`, body: { state: 'active' } })).json.state).toBe('active');
  expect((await call({ method: 'PUT', path: `/rest/agile/1.0/sprint/${sprint.json.id}`, body: { state: 'closed', name: sprint.json.name } })).json.state).toBe('closed');
  expect((await call({ method: 'POST', path: `/rest/agile/1.0/sprint/${sprint.json.id}/issue`, body: { issues: keys } })).status).toBe(400);
  expect((await call({ method: 'POST', path: `/rest/agile/1.0/sprint/${sprint.json.id}`, body: { name: 'renamed' } })).status).toBe(400);

  // Rank keys[2] and keys[1] before keys[0]; their order follows the request.
  expect((await call({ method: 'PUT', path: '/rest/agile/1.0/issue/rank', body: { issues: [keys[2], keys[1]], rankBeforeIssue: keys[0] } })).status).toBe(204);
  const rank = (key: string) => String(sim.site.issues.get(sim.site.issueIdsByKey.get(key)!)!.custom.customfield_10019);
  expect(rank(keys[2]) < rank(keys[1]) && rank(keys[1]) < rank(keys[0])).toBe(true);
  const partial = await call({ method: 'PUT', path: '/rest/agile/1.0/issue/rank', body: { issues: [keys[1], 'NOPE-1'], rankAfterIssue: keys[0] } });
  expect(partial.status).toBe(207);
  expect(rank(keys[0]) < rank(keys[1])).toBe(true);
  expect((await call({ method: 'DELETE', path: `/rest/agile/1.0/sprint/${sprint.json.id}` })).status).toBe(204);
});

test('every write request and response matched the spec, and every write route was exercised', () => {
  expect(failures).toEqual([]);
  const hit = new Set(sim.requestLog.entries.map((e) => `${e.method} ${e.route}`));
  const writes = allRoutes.filter((r) => r.method !== 'GET' && r.read !== true);
  expect(writes.map((r) => `${r.method} ${r.template}`).filter((k) => !hit.has(k))).toEqual([]);
});

test('writes are refused to non-admins where Jira needs Administer Jira', async () => {
  const r = await send(sim.baseUrl, { method: 'POST', path: '/rest/api/3/project', body: { key: 'NOPE', name: 'x' }, headers: { 'x-emulator-account-id': sim.accounts.nonAdmin } });
  expect(r.status).toBe(403);
});

test('create refuses fields that are not on the project\'s create screen (createmeta)', async () => {
  const team = sim.site.projects.find((p) => p.style === 'next-gen')!;
  const taskType = sim.site.issueTypes.find((t) => t.projectId === team.id && t.hierarchyLevel === 0)!;
  const meta = await call({ method: 'GET', path: `/rest/api/3/issue/createmeta/${team.key}/issuetypes/${taskType.id}` });
  const offered = meta.json.fields.map((f: { fieldId: string }) => f.fieldId);
  expect(offered).toContain('summary');
  expect(offered).not.toContain('environment');
  const refused = await call({ method: 'POST', path: '/rest/api/3/issue', body: { fields: { project: { key: team.key }, issuetype: { id: String(taskType.id) }, summary: 'x', environment: adf('Chrome') } } });
  expect(refused.status).toBe(400);
  expect(refused.json.errors).toEqual({ environment: "Field 'environment' cannot be set. It is not on the appropriate screen, or unknown." });
  expect(failures).toEqual([]);
});
