import type { JiraClient, JiraRequest, JiraResponse } from '../../ports';

/**
 * A JiraClient over plain `fetch`, for local runs: against the Jira simulator (no auth) or a real site
 * with an Atlassian account e-mail + API token (Basic auth). Inside Forge the app uses requestJira instead
 * (src/adapters/forge); this one never runs there.
 */
export interface HttpJiraClientOptions {
  /** e.g. `http://127.0.0.1:4010` or `https://your-site.atlassian.net` (no trailing slash needed). */
  baseUrl: string;
  email?: string;
  apiToken?: string;
  /** Injected for tests; defaults to the global fetch. */
  fetchImpl?: typeof fetch;
}

export function createHttpJiraClient(options: HttpJiraClientOptions): JiraClient {
  const base = options.baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetchImpl ?? fetch;
  if ((options.email === undefined) !== (options.apiToken === undefined)) {
    throw new Error('HttpJiraClient needs both an e-mail and an API token, or neither (simulator). Pass both to reach a real site.');
  }
  const authorization =
    options.email !== undefined ? `Basic ${Buffer.from(`${options.email}:${options.apiToken}`).toString('base64')}` : undefined;

  return {
    async request(request: JiraRequest): Promise<JiraResponse> {
      const url = base + request.path + queryString(request.query);
      const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
      if (authorization) headers.authorization = authorization;
      let body: BodyInit | undefined;
      if (request.json !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(request.json);
      } else if (request.body !== undefined) {
        body = request.body as unknown as BodyInit; // a Uint8Array is a valid fetch body; TS lib types disagree on the buffer type
      }
      const response = await doFetch(url, { method: request.method, headers, body, redirect: 'manual' });
      // Read the body once, eagerly: callers may ask for json(), text() or bytes() in any order.
      const bytes = new Uint8Array(await response.arrayBuffer());
      const responseHeaders: Record<string, string> = {};
      response.headers.forEach((value, name) => {
        responseHeaders[name.toLowerCase()] = value;
      });
      return bufferedResponse(response.status, responseHeaders, bytes);
    },
  };
}

export function bufferedResponse(status: number, headers: Record<string, string>, bytes: Uint8Array): JiraResponse {
  const text = () => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  return {
    status,
    headers,
    async json<T>() {
      return JSON.parse(text()) as T;
    },
    async bytes() {
      return bytes;
    },
    async text() {
      return text();
    },
  };
}

function queryString(query: JiraRequest['query']): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined) params.append(name, String(value));
  }
  const encoded = params.toString();
  return encoded ? `?${encoded}` : '';
}
