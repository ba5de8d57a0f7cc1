/** A tiny HTTP client for tests: sends a call to the simulator and returns status, headers and the parsed body. */
import type { Call } from './read-calls';

export interface CallResult {
  status: number;
  headers: Headers;
  json?: any;
  bytes?: Uint8Array;
}

export async function send(baseUrl: string, call: Call): Promise<CallResult> {
  const response = await fetch(baseUrl + call.path, {
    method: call.method,
    body: call.body === undefined ? undefined : typeof call.body === 'string' || call.body instanceof Uint8Array ? (call.body as string) : JSON.stringify(call.body),
    headers: { 'content-type': 'application/json', ...(call.headers ?? {}) },
    redirect: 'manual',
  });
  const type = response.headers.get('content-type') ?? '';
  if (call.path.includes('/attachment/content/') || !type.includes('json')) {
    return { status: response.status, headers: response.headers, bytes: new Uint8Array(await response.arrayBuffer()) };
  }
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: text.length > 0 ? JSON.parse(text) : undefined };
}

export function get(baseUrl: string, path: string, headers?: Record<string, string>): Promise<CallResult> {
  return send(baseUrl, { method: 'GET', path, headers });
}

export function post(baseUrl: string, path: string, body: unknown, headers?: Record<string, string>): Promise<CallResult> {
  return send(baseUrl, { method: 'POST', path, body, headers });
}
