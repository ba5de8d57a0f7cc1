/** Building the fetch `Response` objects that the real @forge/* SDK packages read. */

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    statusText: statusText(status),
    headers: { 'content-type': 'application/json', ...headers },
  });
}

export function emptyResponse(status = 204, headers: Record<string, string> = {}): Response {
  return new Response(null, { status, statusText: statusText(status), headers });
}

export function bytesResponse(status: number, bytes: Uint8Array | null, headers: Record<string, string> = {}): Response {
  const body = NULL_BODY_STATUSES.has(status) || bytes === null ? null : bytes;
  return new Response(body as BodyInit | null, { status, statusText: statusText(status), headers });
}

/** A Forge-shaped error body (`{code, message}`), which the SDKs turn into their own API error classes. */
export function forgeError(status: number, code: string, message: string, context?: Record<string, unknown>): Response {
  return jsonResponse(status, context ? { code, message, context } : { code, message });
}

/**
 * The proxy-level failure Forge signals with a `forge-proxy-error` header: @forge/api raises
 * ProxyRequestError / NeedsAuthenticationError / InvalidRemoteError from it.
 */
export function proxyError(status: number, reason: string, message: string): Response {
  return jsonResponse(status, { message }, { 'forge-proxy-error': reason });
}

function statusText(status: number): string {
  const texts: Record<number, string> = {
    200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No Content', 206: 'Partial Content',
    400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
    409: 'Conflict', 413: 'Payload Too Large', 416: 'Range Not Satisfiable', 429: 'Too Many Requests',
    500: 'Internal Server Error', 501: 'Not Implemented', 502: 'Bad Gateway',
  };
  return texts[status] ?? '';
}

/** Reads a request body the SDK sent (always a JSON string for kvs / os / events). */
export function parseJsonBody(init: RequestInit | undefined): unknown {
  const body = init?.body;
  if (body === undefined || body === null || body === '') return undefined;
  if (typeof body === 'string') return JSON.parse(body);
  if (body instanceof Uint8Array) return JSON.parse(Buffer.from(body).toString('utf8'));
  throw new Error(`The emulator expected a JSON string body from the SDK, got ${Object.prototype.toString.call(body)}`);
}
