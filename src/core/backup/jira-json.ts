import type { JiraClient, JiraRequest } from '../../ports';
import { JIRA_ROUTES, jiraPath, type JiraRouteName } from './jira-routes';

/**
 * A Jira answer the engine cannot use: 4xx other than 429 (the governor retries 429 and 5xx), or a body that is
 * not what the route promises. Permanent for this call: the project it belongs to fails with this message.
 */
export class JiraRequestError extends Error {
  constructor(
    readonly status: number,
    readonly path: string,
    detail: string,
  ) {
    super(`Jira answered ${status} to ${path}: ${detail}`);
    this.name = 'JiraRequestError';
  }
}

export interface RouteCall {
  params?: Record<string, string | number>;
  query?: JiraRequest['query'];
  json?: unknown;
  headers?: Record<string, string>;
}

/** Calls a route from the table and returns its JSON body; non-2xx answers become JiraRequestError. */
export async function callJson<T>(jira: JiraClient, route: JiraRouteName, call: RouteCall = {}): Promise<T> {
  const response = await jira.request(request(route, call));
  if (response.status < 200 || response.status > 299) {
    throw new JiraRequestError(response.status, describePath(route, call), await errorDetail(response));
  }
  return response.json<T>();
}

/** Like callJson, but a 404 (the entity is gone, or invisible to the app) returns undefined. */
export async function callJsonOrMissing<T>(jira: JiraClient, route: JiraRouteName, call: RouteCall = {}): Promise<T | undefined> {
  const response = await jira.request(request(route, call));
  if (response.status === 404) return undefined;
  if (response.status < 200 || response.status > 299) {
    throw new JiraRequestError(response.status, describePath(route, call), await errorDetail(response));
  }
  return response.json<T>();
}

export function request(route: JiraRouteName, call: RouteCall): JiraRequest {
  return {
    method: JIRA_ROUTES[route].method,
    path: jiraPath(route, call.params),
    query: call.query,
    json: call.json,
    headers: call.headers,
  };
}

function describePath(route: JiraRouteName, call: RouteCall): string {
  return jiraPath(route, call.params);
}

async function errorDetail(response: { text(): Promise<string> }): Promise<string> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { errorMessages?: string[]; errors?: Record<string, string>; message?: string };
    const messages = [...(body.errorMessages ?? []), ...Object.values(body.errors ?? {}), ...(body.message ? [body.message] : [])];
    if (messages.length > 0) return messages.join('; ');
  } catch {
    // not JSON: fall through to the raw text
  }
  return text.slice(0, 300) || 'no details';
}
