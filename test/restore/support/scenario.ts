import type { JobEvent, JobQueue } from '../../../src/ports';
import { RESTORE_PLAN_KIND, runRestoreStep, type RestoreStepEvent } from '../../../src/core/restore';
import { handleRestoreEvent } from '../../../src/entry/restore-events';
import type { RestoreDeps } from '../../../src/core/restore/restore-deps';
import type { FieldDefinition, SnapshotIssue, SnapshotProject } from '../../../src/core/restore/snapshot-view';
import { FakeJira } from './fake-jira';
import { FixtureSnapshot, openerFor } from './fixture-snapshot';
import { MemoryKeyValue } from './memory-kv';

export const FIELDS = [
  { id: 'summary', name: 'Summary', custom: false, schema: { type: 'string', system: 'summary' } },
  { id: 'description', name: 'Description', custom: false, schema: { type: 'string', system: 'description' } },
  { id: 'labels', name: 'Labels', custom: false, schema: { type: 'array', items: 'string', system: 'labels' } },
  { id: 'assignee', name: 'Assignee', custom: false, schema: { type: 'user', system: 'assignee' } },
  { id: 'priority', name: 'Priority', custom: false, schema: { type: 'priority', system: 'priority' } },
  { id: 'components', name: 'Components', custom: false, schema: { type: 'array', items: 'component', system: 'components' } },
  { id: 'parent', name: 'Parent', custom: false, schema: { type: 'issuelink', system: 'parent' } },
  { id: 'issuelinks', name: 'Linked Issues', custom: false, schema: { type: 'array', items: 'issuelinks', system: 'issuelinks' } },
  { id: 'status', name: 'Status', custom: false, schema: { type: 'status', system: 'status' } },
  { id: 'issuetype', name: 'Issue Type', custom: false, schema: { type: 'issuetype', system: 'issuetype' } },
  { id: 'project', name: 'Project', custom: false, schema: { type: 'project', system: 'project' } },
  { id: 'created', name: 'Created', custom: false, schema: { type: 'datetime', system: 'created' } },
  { id: 'creator', name: 'Creator', custom: false, schema: { type: 'user', system: 'creator' } },
  { id: 'customfield_10010', name: 'Story Points', custom: true, schema: { type: 'number', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:float', customId: 10010 } },
  { id: 'customfield_10020', name: 'Sprint', custom: true, schema: { type: 'array', items: 'json', custom: 'com.pyxis.greenhopper.jira:gh-sprint', customId: 10020 } },
  { id: 'customfield_10030', name: 'Rank', custom: true, schema: { type: 'any', custom: 'com.pyxis.greenhopper.jira:gh-lexo-rank', customId: 10030 } },
  { id: 'customfield_10040', name: 'Team', custom: true, schema: { type: 'option', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:select', customId: 10040 } },
];

const doc = (text: string) => ({ type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });
const alice = { accountId: 'acc-alice', displayName: 'Alice' };
const bob = { accountId: 'acc-bob', displayName: 'Bob' };

/** A small site: an epic, a task under it with every kind of content, a linked task and a sub-task. */
export function seedSite(jira = new FakeJira()): FakeJira {
  jira.fields = FIELDS;
  jira.addProject({ id: '10000', key: 'ENG', name: 'Engineering', projectTypeKey: 'software', issueTypes: [{ id: '10000', name: 'Epic' }, { id: '10001', name: 'Task' }, { id: '10002', name: 'Sub-task', subtask: true }], components: [{ id: '501', name: 'Backend' }] });
  jira.openSprints.add(7);
  const base = { created: '2026-01-05T10:00:00.000+0000', creator: alice, issuetype: { id: '10001', name: 'Task' } };
  const epic = jira.addIssue('ENG', { ...base, summary: 'Payments epic', issuetype: { id: '10000', name: 'Epic' }, customfield_10030: '0|i0001:' }, '10100');
  const task = jira.addIssue('ENG', {
    ...base,
    summary: 'Refund API',
    description: doc('Refunds must be idempotent.'),
    labels: ['api', 'payments'],
    assignee: bob,
    priority: { id: '2', name: 'High' },
    components: [{ id: '501', name: 'Backend' }],
    parent: { id: epic.id, key: epic.key },
    customfield_10010: 5,
    customfield_10020: [{ id: 3, name: 'Sprint 3', state: 'closed' }, { id: 7, name: 'Sprint 7', state: 'active' }],
    customfield_10030: '0|i0002:',
    customfield_10040: { id: '9001', value: 'Core' },
    status: { name: 'Done' },
  }, '10101');
  const other = jira.addIssue('ENG', { ...base, summary: 'Ledger export', customfield_10030: '0|i0003:' }, '10102');
  const sub = jira.addIssue('ENG', { ...base, summary: 'Refund webhook', issuetype: { id: '10002', name: 'Sub-task', subtask: true }, parent: { id: task.id, key: task.key }, customfield_10030: '0|i0004:', status: { name: 'In Progress' } }, '10103');
  task.comments.push(
    { id: '30001', body: doc('First review done'), author: alice, created: '2026-01-06T09:00:00.000+0000', properties: [] },
    { id: '30002', body: doc('Ship it'), author: bob, created: '2026-01-07T09:00:00.000+0000', properties: [] },
  );
  sub.comments.push({ id: '30003', body: doc('Webhook retries?'), author: bob, created: '2026-01-08T09:00:00.000+0000', properties: [] });
  task.worklogs.push({ id: '40001', comment: doc('Pairing'), started: '2026-01-06T13:00:00.000+0000', timeSpentSeconds: 5400, properties: [] });
  task.attachments.push({ id: '50001', filename: 'design.pdf', size: 11, mimeType: 'application/pdf', bytes: new TextEncoder().encode('%PDF-design') });
  task.remoteLinks.push({ id: 1, globalId: 'system=https://ci.example.com&id=77', object: { url: 'https://ci.example.com/77', title: 'Build 77' } });
  task.watchers.add('acc-alice');
  task.properties.set('review', { approved: true });
  jira.links.push({ id: '60001', typeName: 'Blocks', fromId: task.id, toId: other.id });
  void sub;
  return jira;
}

/** Takes a "backup" of the fake site the way the engine does: Jira's issue JSON plus per-issue lists. */
export function snapshotOf(jira: FakeJira, snapshotId = 'snap-1', takenAt = Date.parse('2026-11-20T00:00:00Z')): FixtureSnapshot {
  const projects: SnapshotProject[] = [...jira.projects.values()].map((p) => ({ id: p.id, key: p.key, name: p.name, projectTypeKey: p.projectTypeKey, issueTypes: p.issueTypes, components: [...p.components], versions: [...p.versions] }));
  const view = new FixtureSnapshot(snapshotId, takenAt, projects, [], structuredClone(jira.fields) as FieldDefinition[], [{ id: 3, name: 'Sprint 3', state: 'closed' }, { id: 7, name: 'Sprint 7', state: 'active' }]);
  for (const issue of jira.issues.values()) {
    const rendered = structuredClone(jira.render(issue, []) as { fields: Record<string, unknown> });
    delete rendered.fields.comment;
    delete rendered.fields.worklog;
    const bundle: SnapshotIssue = {
      id: issue.id,
      key: issue.key,
      fields: rendered.fields,
      comments: structuredClone(issue.comments) as SnapshotIssue['comments'],
      worklogs: structuredClone(issue.worklogs) as SnapshotIssue['worklogs'],
      attachments: issue.attachments.map((a) => view.addBytes({ id: a.id, filename: a.filename, size: a.size, mimeType: a.mimeType, author: alice, created: '2026-01-06T10:00:00.000+0000' }, a.bytes)),
      remoteLinks: structuredClone(issue.remoteLinks) as SnapshotIssue['remoteLinks'],
      watchers: [...issue.watchers],
      voters: [],
      properties: Object.fromEntries(issue.properties),
      changelog: [],
    };
    view.issueList.push(bundle);
  }
  return view;
}

export class MemoryQueue implements JobQueue {
  readonly events: { event: JobEvent; delaySeconds?: number }[] = [];
  async push(events: JobEvent[], options?: { delaySeconds?: number }): Promise<void> {
    for (const event of events) this.events.push({ event, delaySeconds: options?.delaySeconds });
  }
}

export function restoreDeps(jira: FakeJira, snapshot: FixtureSnapshot, now = { t: Date.parse('2026-11-26T17:00:00Z') }): RestoreDeps & { kv: MemoryKeyValue; queue: MemoryQueue } {
  let ids = 0;
  return { jira, kv: new MemoryKeyValue(), queue: new MemoryQueue(), clock: { now: () => now.t }, snapshots: openerFor(snapshot), newId: () => `plan${++ids}` };
}

/**
 * Delivers queued restore events until none is left (a crash inside a step propagates to the caller): restore steps
 * to the engine, queued dry runs and comparisons (`restore.plan`) through the worker's restore entry.
 */
export async function drain(deps: RestoreDeps & { queue: MemoryQueue }, options: { budgetMs?: number; maxSteps?: number } = {}): Promise<number> {
  let steps = 0;
  while (deps.queue.events.length > 0) {
    if (steps++ > (options.maxSteps ?? 1000)) throw new Error('restore did not finish');
    const { event } = deps.queue.events.shift()!;
    if (event.kind === RESTORE_PLAN_KIND) await handleRestoreEvent(event, deps);
    else await runRestoreStep(deps, event as RestoreStepEvent, { budgetMs: options.budgetMs });
  }
  return steps;
}
