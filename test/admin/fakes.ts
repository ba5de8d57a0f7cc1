/**
 * In-memory stand-ins for the admin services' collaborators (fakes, not mocks: they keep real state and
 * behave like the real thing in the ways the services rely on).
 */
import type { JiraClient, JiraResponse, KeyValue, KeyValueOperation, KeyValuePage, Secrets } from '../../src/ports';
import type { BackupPlan } from '../../src/core/plans/plan';
import {
  AuditLog, ConfigurationService, ConfigurationStore, ControlPanelService,
  type BackupDownload, type BackupFile, type BackupFiles, type BackupJobs, type BackupRunStatus,
  type ConnectionReport, type ConnectionTester, type StorageGauge,
} from '../../src/core/admin';
import type { AdminApp } from '../../src/entry/resolvers/admin-app';

export class MemoryKeyValue implements KeyValue {
  readonly data = new Map<string, unknown>();
  async get<T>(key: string) { return structuredClone(this.data.get(key)) as T | undefined; }
  async set<T>(key: string, value: T) { this.data.set(key, structuredClone(value)); }
  async delete(key: string) { this.data.delete(key); }
  async list<T>(prefix: string, options: { cursor?: string; limit?: number } = {}): Promise<KeyValuePage<T>> {
    const keys = [...this.data.keys()].filter((k) => k.startsWith(prefix)).sort();
    const start = options.cursor ? Number(options.cursor) : 0;
    const limit = options.limit ?? 100;
    const slice = keys.slice(start, start + limit);
    const page: KeyValuePage<T> = { entries: slice.map((key) => ({ key, value: structuredClone(this.data.get(key)) as T })) };
    if (start + limit < keys.length) page.nextCursor = String(start + limit);
    return page;
  }
  async transact(operations: KeyValueOperation[]) {
    for (const op of operations) if (op.op === 'set') this.data.set(op.key, op.value); else this.data.delete(op.key);
  }
}

export class MemorySecrets implements Secrets {
  readonly data = new Map<string, string>();
  async get(key: string) { return this.data.get(key); }
  async set(key: string, value: string) { this.data.set(key, value); }
  async delete(key: string) { this.data.delete(key); }
}

/** A clock the test sets; each reading moves it on by `stepMs`, as real time does between two actions. */
export class ManualClock {
  constructor(public time: number, private readonly stepMs = 0) {}
  now() {
    const now = this.time;
    this.time += this.stepMs;
    return now;
  }
}

/** Answers GET /rest/api/3/mypermissions like Jira does, for whichever account the client was made for. */
export function permissionsJira(isAdmin: boolean, status = 200): JiraClient & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    async request(request) {
      calls.push(`${request.method} ${request.path}?permissions=${String(request.query?.permissions)}`);
      const body = { permissions: { ADMINISTER: { id: '0', key: 'ADMINISTER', havePermission: isAdmin, type: 'GLOBAL' } } };
      return jsonResponse(status, status === 200 ? body : { errorMessages: ['nope'] });
    },
  };
}

export function jsonResponse(status: number, body: unknown): JiraResponse {
  const text = JSON.stringify(body);
  return {
    status,
    headers: { 'content-type': 'application/json' },
    json: async <T>() => JSON.parse(text) as T,
    text: async () => text,
    bytes: async () => new TextEncoder().encode(text),
  };
}

/** A backup engine that records starts and lets the test move runs along. */
export class FakeJobs implements BackupJobs {
  readonly runs = new Map<string, BackupRunStatus>();
  readonly started: { planId: string; by: string }[] = [];
  constructor(private readonly clock: ManualClock) {}
  async start(plan: BackupPlan, requestedBy: string) {
    const jobId = `job-${this.started.length + 1}`;
    this.started.push({ planId: plan.id, by: requestedBy });
    this.runs.set(plan.id, { jobId, planId: plan.id, state: 'queued', startedAt: this.clock.now(), progress: { projectsDone: 0, issuesDone: 0 }, projectErrors: [] });
    return { jobId };
  }
  async latest(planId: string) { return this.runs.get(planId); }
}

export class FakeFiles implements BackupFiles {
  files: BackupFile[] = [];
  failList?: string;
  async list() {
    if (this.failList) throw new Error(this.failList);
    return [...this.files];
  }
  async delete(id: string) { this.files = this.files.filter((f) => f.id !== id); }
  async download(id: string): Promise<BackupDownload> {
    return { type: 'link', url: `https://objects.example/${id}?sig=1`, fileName: `${id}.zip` };
  }
}

export class FakeGauge implements StorageGauge {
  constructor(public usedBytes = 0, public quotaBytes: number | undefined = 20 * 1024 ** 3, public description = 'Managed storage') {}
  async usage() { return { usedBytes: this.usedBytes, quotaBytes: this.quotaBytes, description: this.description }; }
}

export class FakeTester implements ConnectionTester {
  readonly calls: { settings: unknown; credentials: unknown }[] = [];
  report: ConnectionReport = {
    ok: true,
    steps: [
      { name: 'Connect', ok: true, message: 'Reached sftp.example.com:22' },
      { name: 'Sign in', ok: true, message: 'Signed in as backup' },
      { name: 'Write test file', ok: true, message: 'Wrote and renamed a 1 KB test file' },
    ],
    hostKeyFingerprint: 'SHA256:' + 'A'.repeat(43),
  };
  async test(settings: unknown, credentials: unknown) {
    this.calls.push({ settings, credentials });
    return this.report;
  }
}

/** A whole admin app on fakes: what the resolvers run against until the real engine and emulator are wired. */
export function fakeAdminWorld(options: { now?: number; timeZone?: string; tester?: ConnectionTester } = {}) {
  const clock = new ManualClock(options.now ?? Date.UTC(2026, 10, 26, 10, 0), 1);
  const kv = new MemoryKeyValue();
  const secrets = new MemorySecrets();
  let seq = 0;
  const audit = new AuditLog(kv, clock, () => String(++seq).padStart(4, '0'));
  const store = new ConfigurationStore(kv, secrets);
  const jobs = new FakeJobs(clock);
  const files = new FakeFiles();
  const gauge = new FakeGauge();
  const fakeTester = new FakeTester();
  const tester = options.tester ?? fakeTester;
  const timeZone = options.timeZone ?? 'Europe/Berlin';
  let ids = 0;
  const projects = [{ key: 'ENG', name: 'Engineering' }, { key: 'OPS', name: 'Operations' }, { key: 'SUP', name: 'Support' }];
  const config = new ConfigurationService({
    store, secrets, audit, tester, siteTimeZone: async () => timeZone, siteProjects: async () => projects, newId: () => `plan-${++ids}`,
  });
  const panel = new ControlPanelService({
    store, jobs, files, gauge, audit, clock, siteTimeZone: async () => timeZone,
    // A simple stand-in for the schedule arithmetic: the next whole day at 02:00 UTC.
    nextRun: (_plan, after) => Math.floor(after / 86_400_000) * 86_400_000 + 86_400_000 + 2 * 3_600_000,
  });
  const admins = new Set(['admin-1']);
  const app = (accountId: string | undefined): AdminApp => ({ config, panel, audit, jiraAsUser: permissionsJira(!!accountId && admins.has(accountId)) });
  return { clock, kv, secrets, audit, store, jobs, files, gauge, tester: fakeTester, config, panel, app, admins, projects };
}

export function validPlanInput(overrides: Record<string, unknown> = {}) {
  return {
    name: 'Nightly',
    enabled: true,
    projects: { mode: 'all' },
    content: 'basic',
    schedule: { days: 'daily', time: '02:30' },
    retention: { mode: 'count', keep: 7 },
    ...overrides,
  };
}
