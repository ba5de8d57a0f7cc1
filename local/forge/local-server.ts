import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type RouteHandler = (request: IncomingMessage, response: ServerResponse) => boolean;

/**
 * The emulator's own small HTTP server on 127.0.0.1: the Object Store's presigned URLs and the JWKS of the
 * invocation-token key. Each route handler answers the requests it knows and returns true.
 */
export class LocalServer {
  private server?: Server;
  private readonly routes: RouteHandler[] = [];
  baseUrl = '';

  add(route: RouteHandler): void {
    this.routes.push(route);
  }

  async listen(port = 0, host = '127.0.0.1'): Promise<void> {
    const server = createServer((request, response) => {
      try {
        for (const route of this.routes) if (route(request, response)) return;
        response.writeHead(404, { 'content-type': 'text/plain' }).end(`No emulator endpoint at ${request.url}`);
      } catch (error) {
        response.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
      }
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    this.server = server;
    const address = server.address() as AddressInfo;
    this.baseUrl = `http://${host}:${address.port}`;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
