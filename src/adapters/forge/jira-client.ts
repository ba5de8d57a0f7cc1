import api, { assumeTrustedRoute } from '@forge/api';
import type { JiraClient, JiraRequest, JiraResponse } from '../../ports';

/** Whose rights a Jira call uses: the app's, or a user's (that user's permissions apply). */
export type JiraPrincipal = { as: 'app' } | { as: 'user'; accountId?: string };

/**
 * The JiraClient port on Forge's product fetch (`api.asApp()` / `api.asUser()` `.requestJira`). Without an
 * accountId, asUser uses the user of the current invocation (a resolver call); Forge refuses asUser where
 * there is no user (scheduled triggers, consumers).
 */
export function forgeJiraClient(principal: JiraPrincipal = { as: 'app' }): JiraClient {
  const requester = principal.as === 'app' ? api.asApp() : api.asUser(principal.accountId);
  return {
    async request(request: JiraRequest): Promise<JiraResponse> {
      const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
      let body: string | ArrayBuffer | undefined;
      if (request.json !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(request.json);
      } else if (request.body !== undefined) {
        body = new Uint8Array(request.body).buffer; // a copy sized to the bytes: the SDK types bodies as ArrayBuffer
      }
      const response = await requester.requestJira(assumeTrustedRoute(jiraPathWithQuery(request)), {
        method: request.method,
        headers,
        ...(body !== undefined ? { body } : {}),
      });
      // Read once, eagerly: callers may ask for json(), text() or bytes() in any order, more than once.
      const bytes = new Uint8Array(await response.arrayBuffer());
      const responseHeaders: Record<string, string> = {};
      response.headers.forEach((value, name) => {
        responseHeaders[name.toLowerCase()] = value;
      });
      return bufferedJiraResponse(response.status, responseHeaders, bytes);
    },
  };
}

/**
 * `path` + encoded `query`. The route is trusted because it is checked here: REST paths only, no `..`
 * segments, no query or fragment smuggled into the path.
 */
export function jiraPathWithQuery(request: Pick<JiraRequest, 'path' | 'query'>): string {
  const { path } = request;
  if (!path.startsWith('/rest/') || /(^|\/)\.\.?(\/|$)/.test(path) || /[?#]/.test(path)) {
    throw new Error(`Jira request path '${path}' must start with /rest/, without '..' segments or a query (pass query separately).`);
  }
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(request.query ?? {})) {
    if (value !== undefined) params.append(name, String(value));
  }
  const query = params.toString();
  return query ? `${path}?${query}` : path;
}

function bufferedJiraResponse(status: number, headers: Record<string, string>, bytes: Uint8Array): JiraResponse {
  const text = () => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  return {
    status,
    headers,
    json: async <T>() => JSON.parse(text()) as T,
    bytes: async () => bytes,
    text: async () => text(),
  };
}
