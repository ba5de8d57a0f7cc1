/**
 * Jira Cloud REST, as the app (Forge: api.asApp().requestJira). Paths start with /rest/.
 * The rate-limit governor and retries are decorators around this port (src/adapters/jira).
 */
export interface JiraClient {
  request(request: JiraRequest): Promise<JiraResponse>;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface JiraRequest {
  method: HttpMethod;
  /** Path without query string, e.g. `/rest/api/3/issue/10001`. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  /** JSON body (serialised by the client). */
  json?: unknown;
  /** Raw body (multipart uploads); `headers` must then carry its content type. */
  body?: Uint8Array;
  headers?: Record<string, string>;
}

export interface JiraResponse {
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string>;
  json<T = unknown>(): Promise<T>;
  bytes(): Promise<Uint8Array>;
  text(): Promise<string>;
}
