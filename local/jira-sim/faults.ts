/**
 * Faults a backup must survive: server errors, 503 with Retry-After, latency, slow bodies, connection resets,
 * truncated bodies, and concurrent change (issues created, updated and deleted while a client pages).
 * Which request gets a fault is decided by a seeded random stream over the request sequence number, so a run
 * with the same seed and the same requests sees the same faults.
 */
import { Rng, Salt } from './random';
import type { SiteData } from './model';
import { deleteIssue, insertIssue, recordChange } from './mutations';

export interface ChurnConfig {
  /** Apply one round of changes every N requests (counted over all requests). */
  everyRequests: number;
  /** Issues created per round (in the first project, or `projectKey`). */
  create?: number;
  /** Existing issues updated per round (summary change, `updated` bumped to now). */
  update?: number;
  /** Existing issues deleted per round. */
  delete?: number;
  projectKey?: string;
}

export interface RequestEvent {
  site: SiteData;
  seq: number;
  method: string;
  path: string;
  now: number;
}

export interface FaultConfig {
  /** Seed for fault decisions. Default 1. */
  seed?: number;
  /** Only requests whose path matches are eligible for the random faults below. */
  pathPattern?: RegExp | string;
  /** Share of requests answered 500. */
  serverErrorRate?: number;
  /** Share of requests answered 503 with Retry-After. */
  serviceUnavailableRate?: number;
  /** Retry-After seconds on those 503s. Default 2. */
  retryAfterSeconds?: number;
  /** Share of requests whose connection is reset before any response. */
  connectionResetRate?: number;
  /** Share of responses cut off halfway (the connection closes mid-body). */
  truncatedBodyRate?: number;
  /** Bodies are sent at this many bytes per second (0 = at once). */
  slowBodyBytesPerSecond?: number;
  /** Called before each request is handled: mutate `site` to simulate concurrent users. */
  onRequest?: (event: RequestEvent) => void | Promise<void>;
  /** Built-in concurrent change. */
  churn?: ChurnConfig;
}

export type FaultKind = 'server-error' | 'service-unavailable' | 'connection-reset' | 'truncated-body';

export function pickFault(config: FaultConfig, seq: number, path: string): FaultKind | undefined {
  if (config.pathPattern !== undefined && !new RegExp(config.pathPattern).test(path)) return undefined;
  const rng = Rng.for(config.seed ?? 1, Salt.faults, seq);
  const roll = rng.next();
  let edge = 0;
  const table: Array<[FaultKind, number | undefined]> = [
    ['connection-reset', config.connectionResetRate],
    ['service-unavailable', config.serviceUnavailableRate],
    ['server-error', config.serverErrorRate],
    ['truncated-body', config.truncatedBodyRate],
  ];
  for (const [kind, rate] of table) {
    edge += rate ?? 0;
    if (roll < edge) return kind;
  }
  return undefined;
}

export function applyChurn(churn: ChurnConfig, event: RequestEvent): void {
  if (churn.everyRequests <= 0 || event.seq % churn.everyRequests !== 0) return;
  const { site, now } = event;
  const rng = Rng.for(site.seed, Salt.churn, event.seq);
  const project = churn.projectKey ? site.projects.find((p) => p.key === churn.projectKey) : site.projects[0];
  const ids = () => [...site.issues.keys()];
  for (let n = 0; n < (churn.delete ?? 0); n++) {
    const all = ids();
    if (all.length > 0) deleteIssue(site, rng.pick(all), now);
  }
  for (let n = 0; n < (churn.update ?? 0); n++) {
    const all = ids();
    if (all.length === 0) break;
    const issue = site.issues.get(rng.pick(all))!;
    const summary = `Edited while paging (request ${event.seq})`;
    recordChange(site, issue, site.appAccountId, now, [{ field: 'summary', fieldtype: 'jira', fieldId: 'summary', from: null, fromString: issue.summary, to: null, toString: summary }]);
    issue.summary = summary;
  }
  if (project) {
    const typeId = project.issueTypeIds.find((id) => site.issueTypes.find((t) => t.id === id)?.hierarchyLevel === 0) ?? project.issueTypeIds[0];
    for (let n = 0; n < (churn.create ?? 0); n++) {
      insertIssue(site, {
        projectId: project.id, issueTypeId: typeId, statusId: site.statuses[0].id, priorityId: 3, resolutionId: null,
        summary: `Created while paging (request ${event.seq})`, description: null, environment: null,
        reporterId: site.appAccountId, assigneeId: null, creatorId: site.appAccountId, resolutionDate: null, dueDate: null,
        labels: [], componentIds: [], fixVersionIds: [], affectsVersionIds: [], parentId: null, custom: {},
      }, now);
    }
  }
}
