import type { JiraClient, JiraRequest, JiraResponse } from '../../ports';

/**
 * A Jira answer restore cannot use. `rateLimited` errors are not item failures: the executor pauses the
 * step and resumes after `retryAfterSeconds` (the governor under the client has already waited where it could).
 */
export class JiraCallError extends Error {
  constructor(
    readonly status: number,
    readonly request: Pick<JiraRequest, 'method' | 'path'>,
    readonly jiraMessage: string,
    /** Jira's per-field errors (`errors` of an ErrorCollection), by field id. */
    readonly fieldErrors: Record<string, string> = {},
    readonly retryAfterSeconds?: number,
    /** The parsed JSON body, for answers that carry more than an ErrorCollection (bulk create's per-element errors). */
    readonly body?: unknown,
  ) {
    super(`${request.method} ${request.path} answered ${status}: ${jiraMessage}`);
    this.name = 'JiraCallError';
  }

  get rateLimited(): boolean {
    return this.status === 429 || this.status === 503;
  }
}

/** Sends the request; returns the response for 2xx, throws JiraCallError otherwise. */
export async function callJira(jira: JiraClient, request: JiraRequest): Promise<JiraResponse> {
  const response = await jira.request(request);
  if (response.status >= 200 && response.status < 300) return response;
  throw await errorFrom(response, request);
}

/** Sends the request and parses the JSON body (undefined for 204 / empty bodies). */
export async function jiraJson<T>(jira: JiraClient, request: JiraRequest): Promise<T> {
  const response = await callJira(jira, request);
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text.length === 0 ? undefined : JSON.parse(text)) as T;
}

/** GET that answers undefined for 404 instead of throwing (an issue or project that is gone). */
export async function jiraJsonOrUndefined<T>(jira: JiraClient, request: JiraRequest): Promise<T | undefined> {
  try {
    return await jiraJson<T>(jira, request);
  } catch (error) {
    if (error instanceof JiraCallError && error.status === 404) return undefined;
    throw error;
  }
}

async function errorFrom(response: JiraResponse, request: JiraRequest): Promise<JiraCallError> {
  let messages: string[] = [];
  let fieldErrors: Record<string, string> = {};
  let body: { errorMessages?: string[]; errors?: unknown; message?: string } | undefined;
  try {
    body = JSON.parse(await response.text()) as typeof body;
    messages = body?.errorMessages ?? (body?.message ? [body.message] : []);
    // An ErrorCollection's `errors` is an object by field; bulk create's is an array (read from `body` instead).
    if (body?.errors && typeof body.errors === 'object' && !Array.isArray(body.errors)) fieldErrors = body.errors as Record<string, string>;
    if (Array.isArray(body?.errors)) messages.push(...elementMessages(body.errors));
  } catch {
    // Not JSON (a proxy page, an empty 5xx): the status alone has to explain it.
  }
  const fieldText = Object.entries(fieldErrors).map(([field, message]) => `${field}: ${message}`);
  const retryAfter = Number(response.headers['retry-after']);
  return new JiraCallError(
    response.status,
    request,
    [...messages, ...fieldText].join('; ') || `HTTP ${response.status}`,
    fieldErrors,
    Number.isFinite(retryAfter) ? retryAfter : undefined,
    body,
  );
}

function elementMessages(errors: unknown[]): string[] {
  return errors.map((e) => {
    const element = e as { failedElementNumber?: number; elementErrors?: { errorMessages?: string[]; errors?: Record<string, string> } };
    const parts = [...(element.elementErrors?.errorMessages ?? []), ...Object.entries(element.elementErrors?.errors ?? {}).map(([f, m]) => `${f}: ${m}`)];
    return `element ${element.failedElementNumber ?? '?'}: ${parts.join(', ')}`;
  });
}

/**
 * True when Jira refused one item's write with a 4xx: it changed nothing, so the item can be reported as not restored
 * and the run moves on. A 5xx or a network error may come after Jira applied the write; those (and rate limits, 401)
 * must stop the step so it is redelivered with the item still in flight and matched against the live site first.
 */
export function isItemRefusal(error: unknown): error is JiraCallError {
  return error instanceof JiraCallError && error.status >= 400 && error.status < 500 && !error.rateLimited && error.status !== 401;
}
