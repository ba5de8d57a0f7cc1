import type { JiraClient, JiraRequest, JiraResponse } from '../../../src/ports';

/**
 * A small in-memory Jira for restore tests (a fake, not a mock): it keeps state, enforces what restore relies on
 * (createmeta screens, workflow transitions, multipart attachments with X-Atlassian-Token, 429s) and counts requests.
 * The full simulator (local/jira-sim) replaces it in the round trip once its write side is there.
 */
export interface FakeIssue {
  id: string;
  key: string;
  projectKey: string;
  fields: Record<string, unknown>;
  comments: { id: string; body: unknown; author?: unknown; created: string; properties: { key: string; value: unknown }[]; visibility?: unknown }[];
  worklogs: { id: string; comment?: unknown; started: string; timeSpentSeconds: number; properties: { key: string; value: unknown }[] }[];
  attachments: { id: string; filename: string; size: number; mimeType: string; bytes: Uint8Array }[];
  remoteLinks: { id: number; globalId?: string; object: { url: string; title: string }; application?: unknown; relationship?: string }[];
  watchers: Set<string>;
  properties: Map<string, unknown>;
}

export interface FakeProject {
  id: string;
  key: string;
  name: string;
  projectTypeKey: string;
  issueTypes: { id: string; name: string; subtask?: boolean }[];
  components: { id: string; name: string }[];
  versions: { id: string; name: string }[];
  /** Field ids on the create screen (undefined = every field). */
  createScreen?: Set<string>;
  nextNumber: number;
}

/** The site's issue types (they outlive any one project). */
const GLOBAL_ISSUE_TYPES = [{ id: '10000', name: 'Epic' }, { id: '10001', name: 'Task' }, { id: '10002', name: 'Sub-task', subtask: true }];

export const STATUSES = ['To Do', 'In Progress', 'Done'];
/** A one-way-ish workflow: To Do → In Progress → Done → To Do, so reaching Done from To Do takes two steps. */
const WORKFLOW: Record<string, { id: string; name: string; to: string }[]> = {
  'To Do': [{ id: '21', name: 'Start', to: 'In Progress' }],
  'In Progress': [{ id: '31', name: 'Finish', to: 'Done' }, { id: '11', name: 'Stop', to: 'To Do' }],
  Done: [{ id: '41', name: 'Reopen', to: 'To Do' }],
};

export class FakeJira implements JiraClient {
  readonly projects = new Map<string, FakeProject>();
  readonly issues = new Map<string, FakeIssue>();
  readonly links: { id: string; typeName: string; fromId: string; toId: string }[] = [];
  fields: { id: string; name: string; custom: boolean; schema?: Record<string, unknown> }[] = [];
  readonly log: { method: string; path: string; status: number }[] = [];
  private nextId = 20000;
  /**
   * Simulates an invocation that dies: after this many more writes, the next write is applied by Jira but its
   * answer never reaches the caller (the worst moment: the entity exists, the id map does not know it).
   */
  crashAfterWrites?: number;
  /** How that write ends: the invocation dies (`lost`), or Jira applied it and still answers 502 (a gateway timeout). */
  crashAs: 'lost' | 502 = 'lost';
  /** Answer 429 to the next N requests. */
  rateLimitNext = 0;
  ranked: string[][] = [];
  /** Decides whether an issue edit is refused: the 400 body to answer, or undefined to apply it. */
  refuseEdit?: (fields: Record<string, unknown>) => unknown;
  sprintIssues = new Map<number, Set<string>>();
  openSprints = new Set<number>();

  id(): string {
    return String(this.nextId++);
  }

  get writes(): number {
    return this.log.filter((l) => l.method !== 'GET' && !l.path.endsWith('/bulkfetch') && !l.path.endsWith('/search/jql') && l.status < 300).length;
  }

  addProject(project: Omit<FakeProject, 'nextNumber' | 'components' | 'versions'> & Partial<FakeProject>): FakeProject {
    const full = { components: [], versions: [], nextNumber: 1, ...project };
    this.projects.set(full.key, full);
    return full;
  }

  addIssue(projectKey: string, fields: Record<string, unknown>, id = this.id()): FakeIssue {
    const project = this.projects.get(projectKey)!;
    const issue: FakeIssue = {
      id,
      key: `${projectKey}-${project.nextNumber++}`,
      projectKey,
      fields: { status: { name: 'To Do' }, ...fields, project: { id: project.id, key: projectKey } },
      comments: [],
      worklogs: [],
      attachments: [],
      remoteLinks: [],
      watchers: new Set(),
      properties: new Map(),
    };
    this.issues.set(id, issue);
    return issue;
  }

  async request(request: JiraRequest): Promise<JiraResponse> {
    if (this.rateLimitNext > 0) {
      this.rateLimitNext--;
      this.log.push({ method: request.method, path: request.path, status: 429 });
      return respond(429, { errorMessages: ['Rate limit exceeded'] }, { 'retry-after': '2' });
    }
    const isWrite = request.method !== 'GET' && !request.path.endsWith('/bulkfetch') && !request.path.endsWith('/search/jql');
    const crash = isWrite && this.crashAfterWrites !== undefined && this.crashAfterWrites-- <= 0;
    const [status, body] = this.route(request);
    if (crash) {
      this.crashAfterWrites = undefined;
      this.log.push({ method: request.method, path: request.path, status });
      if (this.crashAs === 502) return respond(502, undefined);
      throw new Error('simulated crash: the invocation died after Jira applied the write');
    }
    this.log.push({ method: request.method, path: request.path, status });
    return respond(status, body);
  }

  private route(r: JiraRequest): [number, unknown] {
    const p = r.path;
    const body = (r.json ?? {}) as Record<string, any>;
    let m: RegExpMatchArray | null;
    if (r.method === 'GET' && p === '/rest/api/3/field') return [200, this.fields];
    if (r.method === 'GET' && p === '/rest/api/3/issuetype') return [200, GLOBAL_ISSUE_TYPES];
    if ((m = p.match(/^\/rest\/api\/3\/project\/([^/]+)$/)) && r.method === 'GET') {
      const project = this.project(m[1]);
      return project ? [200, { id: project.id, key: project.key, name: project.name, projectTypeKey: project.projectTypeKey, issueTypes: project.issueTypes }] : [404, { errorMessages: ['No project could be found'] }];
    }
    if ((m = p.match(/^\/rest\/api\/3\/project\/([^/]+)\/(component|version)$/))) {
      const project = this.project(m[1]);
      return project ? [200, { values: project[`${m[2]}s` as 'components' | 'versions'], startAt: 0, isLast: true }] : [404, {}];
    }
    if (p === '/rest/api/3/project' && r.method === 'POST') {
      if (this.projects.has(body.key)) return [400, { errors: { projectKey: 'A project with that key already exists.' } }];
      const project = this.addProject({ id: this.id(), key: body.key, name: body.name, projectTypeKey: body.projectTypeKey, issueTypes: GLOBAL_ISSUE_TYPES });
      return [201, { id: Number(project.id), key: project.key }];
    }
    if (p === '/rest/api/3/component' && r.method === 'POST') {
      const component = { id: this.id(), name: body.name };
      this.project(body.project)!.components.push(component);
      return [201, component];
    }
    if (p === '/rest/api/3/version' && r.method === 'POST') {
      const version = { id: this.id(), name: body.name };
      this.project(String(body.projectId))!.versions.push(version);
      return [201, version];
    }
    if ((m = p.match(/^\/rest\/api\/3\/issue\/createmeta\/([^/]+)\/issuetypes\/([^/]+)$/))) {
      const project = this.project(m[1])!;
      const ids = this.fields.map((f) => f.id).filter((id) => !project.createScreen || project.createScreen.has(id));
      const fields = ids.map((id) => ({ fieldId: id, key: id, name: this.fields.find((f) => f.id === id)!.name, required: id === 'summary', operations: ['set'], schema: {} }));
      return [200, { fields, startAt: 0, maxResults: 1000, total: fields.length }];
    }
    if (p === '/rest/api/3/search/jql') return [200, { issues: this.search(String(body.jql)).map((i) => ({ id: i.id })) }];
    if (p === '/rest/api/3/issue/bulkfetch') {
      const wanted: string[] = body.issueIdsOrKeys ?? [];
      const found = wanted.map((w) => this.issue(w)).filter((i): i is FakeIssue => !!i);
      return [200, { issues: found.map((i) => this.render(i, body.properties ?? [])), issueErrors: [] }];
    }
    if (p === '/rest/api/3/issue/bulk' && r.method === 'POST') {
      const issues: unknown[] = [];
      const errors: unknown[] = [];
      (body.issueUpdates as any[]).forEach((update, index) => {
        const outcome = this.create(update);
        if ('errors' in outcome) errors.push({ failedElementNumber: index, status: 400, elementErrors: { errorMessages: [], errors: outcome.errors } });
        else issues.push(outcome);
      });
      return [201, { issues, errors }];
    }
    if (p === '/rest/api/3/issue' && r.method === 'POST') {
      const outcome = this.create(body as { fields: Record<string, any> });
      return 'errors' in outcome ? [400, { errorMessages: [], errors: outcome.errors }] : [201, outcome];
    }
    if (p === '/rest/api/3/issueLink' && r.method === 'POST') {
      const from = this.issue(body.inwardIssue.id ?? body.inwardIssue.key);
      const to = this.issue(body.outwardIssue.id ?? body.outwardIssue.key);
      if (!from || !to) return [404, { errorMessages: ['Issue does not exist'] }];
      this.links.push({ id: this.id(), typeName: body.type.name, fromId: from.id, toId: to.id });
      return [201, undefined];
    }
    if (p === '/rest/agile/1.0/issue/rank' && r.method === 'PUT') {
      this.ranked.push([body.rankAfterIssue, ...body.issues]);
      return [204, undefined];
    }
    if ((m = p.match(/^\/rest\/agile\/1.0\/sprint\/(\d+)$/))) {
      const id = Number(m[1]);
      return this.openSprints.has(id) ? [200, { id, state: 'active' }] : [404, {}];
    }
    if ((m = p.match(/^\/rest\/agile\/1.0\/sprint\/(\d+)\/issue$/))) {
      const set = this.sprintIssues.get(Number(m[1])) ?? new Set();
      for (const key of body.issues) set.add(key);
      this.sprintIssues.set(Number(m[1]), set);
      return [204, undefined];
    }
    if ((m = p.match(/^\/rest\/api\/3\/issue\/([^/]+)(\/.*)?$/))) {
      const issue = this.issue(m[1]);
      if (!issue) return [404, { errorMessages: ['Issue does not exist or you do not have permission to see it.'] }];
      return this.issueRoute(r, issue, m[2] ?? '', body);
    }
    return [404, { errorMessages: [`fake Jira has no route ${r.method} ${p}`] }];
  }

  private issueRoute(r: JiraRequest, issue: FakeIssue, rest: string, body: Record<string, any>): [number, unknown] {
    let m: RegExpMatchArray | null;
    if (rest === '' && r.method === 'GET') return [200, this.render(issue, [])];
    if (rest === '' && r.method === 'PUT') {
      const refusal = this.refuseEdit?.(body.fields ?? {});
      if (refusal) return [400, refusal];
      for (const [field, value] of Object.entries(body.fields ?? {})) issue.fields[field] = Array.isArray(value) && value.length === 0 ? null : this.stored(field, value);
      return [204, undefined];
    }
    if (rest === '' && r.method === 'DELETE') {
      this.issues.delete(issue.id);
      return [204, undefined];
    }
    if (rest === '/transitions' && r.method === 'GET') {
      const current = (issue.fields.status as { name: string }).name;
      return [200, { transitions: WORKFLOW[current].map((t) => ({ id: t.id, name: t.name, to: { id: t.to, name: t.to } })) }];
    }
    if (rest === '/transitions' && r.method === 'POST') {
      const current = (issue.fields.status as { name: string }).name;
      const t = WORKFLOW[current].find((x) => x.id === body.transition.id);
      if (!t) return [400, { errorMessages: [`Transition ${body.transition.id} is not valid from ${current}`] }];
      issue.fields.status = { name: t.to };
      return [204, undefined];
    }
    if (rest === '/comment' && r.method === 'POST') {
      const comment = { id: this.id(), body: body.body, created: '2026-11-26T17:00:00.000+0000', properties: body.properties ?? [], visibility: body.visibility };
      issue.comments.push(comment);
      return [201, comment];
    }
    if (rest === '/comment') return [200, { comments: issue.comments, total: issue.comments.length, startAt: 0, maxResults: 100 }];
    if ((m = rest.match(/^\/comment\/(\d+)$/)) && r.method === 'DELETE') {
      issue.comments = issue.comments.filter((c) => c.id !== m![1]);
      return [204, undefined];
    }
    if (rest === '/worklog' && r.method === 'POST') {
      const worklog = { id: this.id(), comment: body.comment, started: body.started, timeSpentSeconds: body.timeSpentSeconds, properties: body.properties ?? [] };
      issue.worklogs.push(worklog);
      return [201, worklog];
    }
    if (rest === '/worklog') return [200, { worklogs: issue.worklogs, total: issue.worklogs.length, startAt: 0, maxResults: 5000 }];
    if (rest === '/attachments' && r.method === 'POST') {
      if (r.headers?.['x-atlassian-token'] !== 'no-check') return [403, { errorMessages: ['XSRF check failed'] }];
      const parsed = parseMultipart(r.body!, r.headers['content-type']);
      const attachment = { id: this.id(), filename: parsed.filename, size: parsed.bytes.length, mimeType: parsed.mimeType, bytes: parsed.bytes };
      issue.attachments.push(attachment);
      return [200, [{ id: attachment.id, filename: attachment.filename, size: attachment.size }]];
    }
    if (rest === '/remotelink' && r.method === 'POST') {
      const existing = body.globalId && issue.remoteLinks.find((l) => l.globalId === body.globalId);
      if (existing) Object.assign(existing, body);
      else issue.remoteLinks.push({ id: Number(this.id()), ...body } as FakeIssue['remoteLinks'][number]);
      return [201, {}];
    }
    if (rest === '/remotelink') return [200, issue.remoteLinks];
    if (rest === '/watchers' && r.method === 'POST') {
      issue.watchers.add(String(body));
      return [204, undefined];
    }
    if (rest === '/watchers') return [200, { watchers: [...issue.watchers].map((accountId) => ({ accountId })) }];
    if (rest === '/properties') return [200, { keys: [...issue.properties.keys()].map((key) => ({ key })) }];
    if ((m = rest.match(/^\/properties\/(.+)$/)) && r.method === 'PUT') {
      issue.properties.set(decodeURIComponent(m[1]), body);
      return [200, undefined];
    }
    return [404, { errorMessages: [`fake Jira has no route ${r.method} issue${rest}`] }];
  }

  project(keyOrId: string): FakeProject | undefined {
    return this.projects.get(keyOrId) ?? [...this.projects.values()].find((p) => p.id === keyOrId);
  }

  issue(idOrKey: string): FakeIssue | undefined {
    return this.issues.get(idOrKey) ?? [...this.issues.values()].find((i) => i.key === idOrKey);
  }

  private search(jql: string): FakeIssue[] {
    const project = /project = "?([A-Z0-9_]+)"?/.exec(jql)?.[1];
    const origin = /issue\.property\[([^\]]+)\]\.originalId in \(([^)]*)\)/.exec(jql);
    let found = [...this.issues.values()].filter((i) => !project || i.projectKey === project);
    if (origin) {
      const ids = new Set(origin[2].split(',').map((s) => s.trim().replace(/"/g, '')));
      found = found.filter((i) => ids.has(String((i.properties.get(origin[1]) as { originalId?: string } | undefined)?.originalId)));
    }
    return found;
  }

  private create(update: { fields: Record<string, any>; properties?: { key: string; value: unknown }[] }): { id: string; key: string } | { errors: Record<string, string> } {
    const project = this.project(update.fields.project?.key ?? update.fields.project?.id);
    if (!project) return { errors: { project: 'valid project is required' } };
    if (!update.fields.summary) return { errors: { summary: 'You must specify a summary of the issue.' } };
    const errors: Record<string, string> = {};
    for (const field of Object.keys(update.fields)) {
      if (['project', 'issuetype'].includes(field)) continue;
      if (project.createScreen && !project.createScreen.has(field)) errors[field] = `Field '${field}' cannot be set. It is not on the appropriate screen, or unknown.`;
    }
    if (update.fields.priority?.id === 'rejected') errors.priority = 'Priority is not valid';
    if (Object.keys(errors).length > 0) return { errors };
    const fields: Record<string, unknown> = {};
    for (const [field, value] of Object.entries(update.fields)) fields[field] = this.stored(field, value);
    const issue = this.addIssue(project.key, { ...fields, issuetype: project.issueTypes.find((t) => t.id === update.fields.issuetype.id) });
    for (const property of update.properties ?? []) issue.properties.set(property.key, property.value);
    return { id: issue.id, key: issue.key };
  }

  /** What Jira returns for a written value: ids resolved back to objects where restore compares them. */
  private stored(field: string, value: any): unknown {
    if (field === 'parent' && value) {
      const parent = this.issue(value.key ?? value.id);
      return parent ? { id: parent.id, key: parent.key } : value;
    }
    if (field === 'components' && Array.isArray(value)) return value.map((c) => [...this.projects.values()].flatMap((p) => p.components).find((x) => x.id === c.id) ?? c);
    return value;
  }

  render(issue: FakeIssue, properties: string[]): Record<string, unknown> {
    const issuelinks = this.links.flatMap((l): Record<string, unknown>[] => {
      if (l.fromId === issue.id && this.issues.has(l.toId)) return [{ id: l.id, type: { name: l.typeName }, outwardIssue: { id: l.toId, key: this.issues.get(l.toId)!.key } }];
      if (l.toId === issue.id && this.issues.has(l.fromId)) return [{ id: l.id, type: { name: l.typeName }, inwardIssue: { id: l.fromId, key: this.issues.get(l.fromId)!.key } }];
      return [];
    });
    return {
      id: issue.id,
      key: issue.key,
      fields: {
        ...issue.fields,
        comment: { comments: issue.comments, total: issue.comments.length },
        worklog: { worklogs: issue.worklogs.slice(0, 20), total: issue.worklogs.length },
        attachment: issue.attachments.map(({ bytes: _b, ...meta }) => meta),
        issuelinks,
      },
      properties: Object.fromEntries(properties.filter((k) => issue.properties.has(k)).map((k) => [k, issue.properties.get(k)])),
    };
  }
}

function respond(status: number, body: unknown, headers: Record<string, string> = {}): JiraResponse {
  const text = body === undefined ? '' : JSON.stringify(body);
  return {
    status,
    headers: { 'content-type': 'application/json', ...headers },
    json: async <T>() => JSON.parse(text) as T,
    text: async () => text,
    bytes: async () => new TextEncoder().encode(text),
  };
}

function parseMultipart(body: Uint8Array, contentType: string): { filename: string; mimeType: string; bytes: Uint8Array } {
  const boundary = /boundary=(.+)$/.exec(contentType)![1];
  const text = Buffer.from(body).toString('latin1');
  const start = text.indexOf('\r\n\r\n') + 4;
  const end = text.lastIndexOf(`\r\n--${boundary}--`);
  const head = text.slice(0, start);
  if (!/name="file"/.test(head)) throw new Error('multipart part must be named file');
  return { filename: /filename="([^"]*)"/.exec(head)![1], mimeType: /Content-Type: (.+)\r\n/.exec(head)![1], bytes: body.slice(start, end) };
}
