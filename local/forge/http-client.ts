import * as http from 'node:http';
import * as https from 'node:https';

export interface OutboundOptions {
  /** Extra CA certificates (PEM) to trust, e.g. the relay's self-signed certificate. */
  ca?: string | Buffer;
  timeoutMs?: number;
}

/**
 * One outbound HTTP(S) request from the platform on the app's behalf (product REST, remotes), answered as a
 * fetch Response. Uses node:http(s) rather than fetch so that a per-remote CA can be trusted; the body is
 * normalised through `Request`, so every body type the app may pass to requestJira (string, bytes, FormData,
 * URLSearchParams, streams) is sent as fetch would send it.
 */
export async function sendHttp(url: string, init: RequestInit | undefined, options: OutboundOptions = {}): Promise<Response> {
  const method = (init?.method ?? 'GET').toUpperCase();
  const normalised = new Request(url, {
    method,
    headers: init?.headers,
    body: method === 'GET' || method === 'HEAD' ? undefined : init?.body,
    ...({ duplex: 'half' } as object),
  });
  const body = method === 'GET' || method === 'HEAD' ? undefined : Buffer.from(await normalised.arrayBuffer());
  const headers: Record<string, string> = {};
  normalised.headers.forEach((value, name) => {
    headers[name] = value;
  });
  if (body !== undefined) headers['content-length'] = String(body.length);
  const target = new URL(url);
  const transport = target.protocol === 'https:' ? https : http;
  return new Promise<Response>((resolve, reject) => {
    const request = transport.request(
      target,
      { method, headers, agent: false, ...(options.ca ? { ca: options.ca } : {}), timeout: options.timeoutMs ?? 180_000 },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const status = response.statusCode ?? 502;
          const responseHeaders = new Headers();
          for (const [name, value] of Object.entries(response.headers)) {
            if (value === undefined) continue;
            for (const v of Array.isArray(value) ? value : [value]) responseHeaders.append(name, v);
          }
          const payload = [101, 204, 205, 304].includes(status) || method === 'HEAD' ? null : Buffer.concat(chunks);
          resolve(new Response(payload as BodyInit | null, { status, statusText: response.statusMessage ?? '', headers: responseHeaders }));
        });
      },
    );
    request.on('timeout', () => request.destroy(new Error(`${method} ${url} took longer than ${(options.timeoutMs ?? 180_000) / 1000} s (Forge's limit per outbound request)`)));
    request.on('error', reject);
    request.end(body);
  });
}
