/**
 * startJiraSimulator: an HTTP server answering like Jira Cloud's REST API for the routes the app uses.
 * Per request: identify the caller (x-emulator-account-id, else the app user), run the concurrent-change hook,
 * check rate limits, maybe inject a fault, run the route, charge points, log, reply.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SimUser, SiteData } from './model';
import { generateSite } from './generate/site';
import type { GeneratorOptions } from './generate/options';
import { ADMIN_ACCOUNT_ID, NON_ADMIN_ACCOUNT_ID } from './generate/configuration';
import { JiraHttpError } from './http/errors';
import { Router } from './http/router';
import type { Method, RouteContext, SimReply } from './http/types';
import { RateLimiter, type RateLimitConfig } from './rate-limits';
import { applyChurn, pickFault, type FaultConfig, type FaultKind } from './faults';
import { RequestLog } from './request-log';
import { allRoutes } from './routes';

export interface SimulatorConfig {
  /** Added before every response (ms). */
  latencyMs: number;
  rateLimits: RateLimitConfig | 'off';
  faults: FaultConfig;
}

export interface SimulatorOptions extends Partial<SimulatorConfig> {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** Generator options (a fresh site is generated) or a ready site. */
  site?: GeneratorOptions | SiteData;
  /** The app user's profile time zone (overrides the generated one). */
  timeZone?: string;
  /** The simulator's clock (ms since epoch). Default Date.now. */
  now?: () => number;
}

export interface JiraSimulator {
  baseUrl: string;
  port: number;
  /** The live ground truth: tests may read and mutate it between (or during) requests. */
  site: SiteData;
  requestLog: RequestLog;
  rateLimiter: RateLimiter;
  accounts: { admin: string; nonAdmin: string; app: string };
  configure(partial: Partial<SimulatorConfig> & { timeZone?: string }): void;
  stop(): Promise<void>;
}

const IDENTITY_HEADER = 'x-emulator-account-id';

function isSiteData(value: GeneratorOptions | SiteData | undefined): value is SiteData {
  return !!value && (value as SiteData).issues instanceof Map;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startJiraSimulator(options: SimulatorOptions = {}): Promise<JiraSimulator> {
  const site = isSiteData(options.site) ? options.site : generateSite(options.site ?? {});
  const now = options.now ?? (() => Date.now());
  const app = site.users.find((u) => u.accountId === site.appAccountId);
  if (!app) throw new Error('startJiraSimulator: the site has no app user (site.appAccountId). Generate the site with generateSite().');
  if (options.timeZone) app.timeZone = options.timeZone;
  const config: SimulatorConfig = {
    latencyMs: options.latencyMs ?? 0,
    rateLimits: options.rateLimits ?? 'off',
    faults: options.faults ?? {},
  };
  const router = new Router(allRoutes);
  const requestLog = new RequestLog();
  const rateLimiter = new RateLimiter(config.rateLimits, now);
  let seq = 0;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const mySeq = ++seq;
    const arrivedAt = now();
    const url = new URL(req.url ?? '/', 'http://simulator');
    const method = (req.method ?? 'GET').toUpperCase() as Method;
    const rawBody = await readBody(req);
    const entry = {
      seq: mySeq, at: arrivedAt, method, path: url.pathname, query: url.search, route: undefined as string | undefined,
      accountId: '', status: 0, points: 0, objects: 0, rateLimitReason: undefined as string | undefined, fault: undefined as FaultKind | undefined, durationMs: 0,
    };
    let reply: SimReply;
    let extraHeaders: Record<string, string> = {};
    try {
      const headerId = req.headers[IDENTITY_HEADER];
      const accountId = typeof headerId === 'string' && headerId.length > 0 ? headerId : site.appAccountId;
      entry.accountId = accountId;
      const caller: SimUser | undefined = site.users.find((u) => u.accountId === accountId);
      if (!caller || !caller.active) {
        throw new JiraHttpError(401, [`Client must be authenticated to access this resource: no active user with account id '${accountId}'.`]);
      }
      const event = { site, seq: mySeq, method, path: url.pathname, now: arrivedAt };
      if (config.faults.churn) applyChurn(config.faults.churn, event);
      if (config.faults.onRequest) await config.faults.onRequest(event);

      const match = router.match(method, url.pathname);
      if (!match) throw new JiraHttpError(404, [`No route ${method} ${url.pathname} in the Jira simulator (it serves only the routes the app uses).`]);
      if ('methodNotAllowed' in match) throw new JiraHttpError(405, [`Method ${method} is not allowed for ${url.pathname}.`]);
      entry.route = match.route.template;

      const issueParam = match.route.issueParam ? match.params[match.route.issueParam] : undefined;
      const decision = rateLimiter.check(`${method} ${match.route.template}`, issueParam);
      if (!decision.allowed) {
        entry.rateLimitReason = decision.reason;
        throw new JiraHttpError(429, ['Rate limit exceeded.'], {}, decision.headers);
      }

      const fault = config.faults ? pickFault(config.faults, mySeq, url.pathname) : undefined;
      if (fault === 'connection-reset') {
        entry.fault = fault;
        entry.status = 0;
        requestLog.add({ ...entry, durationMs: performance.now() - started });
        req.socket.destroy();
        return;
      }
      if (fault === 'server-error' || fault === 'service-unavailable') {
        entry.fault = fault;
        throw fault === 'server-error'
          ? new JiraHttpError(500, ['Internal server error (injected by the Jira simulator).'])
          : new JiraHttpError(503, ['Service unavailable: a resource limit was hit. Retry after the given delay.'], {}, { 'retry-after': String(config.faults.retryAfterSeconds ?? 2) });
      }

      const ctx: RouteContext = {
        site, method, path: url.pathname, params: match.params, query: url.searchParams, headers: req.headers, rawBody, caller,
        timeZone: caller.timeZone, now: arrivedAt, baseUrl: site.baseUrl,
        json<T>(): T {
          if (rawBody.length === 0) return undefined as T;
          try {
            return JSON.parse(rawBody.toString('utf8')) as T;
          } catch {
            throw new JiraHttpError(400, ['Unexpected character in the request body: it is not valid JSON.']);
          }
        },
      };
      reply = await match.route.handler(ctx);
      const isRead = method === 'GET' || match.route.read === true;
      entry.objects = reply.objects ?? 0;
      entry.points = isRead ? 1 + entry.objects * (match.route.pointsPerObject ?? 1) : 1;
      extraHeaders = rateLimiter.charge(entry.points);
      if (fault === 'truncated-body') entry.fault = fault;
    } catch (error) {
      if (error instanceof JiraHttpError) {
        reply = { status: error.status, json: error.body(), headers: error.headers };
      } else {
        reply = { status: 500, json: { errorMessages: [`Jira simulator bug: ${(error as Error).message}`], errors: {} } };
      }
    }
    if (config.latencyMs > 0) await sleep(config.latencyMs);
    entry.status = reply.status;
    await send(res, reply, extraHeaders, entry.fault === 'truncated-body');
    entry.durationMs = performance.now() - started;
    requestLog.add(entry);
  }

  async function send(res: ServerResponse, reply: SimReply, extraHeaders: Record<string, string>, truncate: boolean): Promise<void> {
    const headers: Record<string, string> = { ...extraHeaders, ...(reply.headers ?? {}) };
    let body: Buffer | undefined;
    if (reply.bytes) body = Buffer.from(reply.bytes.buffer, reply.bytes.byteOffset, reply.bytes.byteLength);
    else if (reply.json !== undefined) {
      body = Buffer.from(JSON.stringify(reply.json), 'utf8');
      headers['content-type'] ??= 'application/json;charset=UTF-8';
    }
    if (body) headers['content-length'] = String(body.length);
    res.writeHead(reply.status, headers);
    if (!body || body.length === 0) { res.end(); return; }
    if (truncate) {
      // Promise the full length, send half, then drop the connection: the client sees a short body.
      res.write(body.subarray(0, Math.floor(body.length / 2)));
      await sleep(5);
      res.socket?.destroy();
      return;
    }
    const rate = config.faults.slowBodyBytesPerSecond ?? 0;
    if (rate > 0) {
      const chunk = Math.max(1, Math.floor(rate / 10));
      for (let at = 0; at < body.length; at += chunk) {
        if (res.destroyed) return;
        res.write(body.subarray(at, at + chunk));
        await sleep(100);
      }
      res.end();
      return;
    }
    res.end(body);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: Error) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errorMessages: [`Jira simulator bug: ${error.message}`], errors: {} }));
    });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const baseUrl = `http://${options.host ?? '127.0.0.1'}:${port}`;
  site.baseUrl = baseUrl;

  return {
    baseUrl,
    port,
    site,
    requestLog,
    rateLimiter,
    accounts: { admin: ADMIN_ACCOUNT_ID, nonAdmin: NON_ADMIN_ACCOUNT_ID, app: site.appAccountId },
    configure(partial) {
      if (partial.latencyMs !== undefined) config.latencyMs = partial.latencyMs;
      if (partial.faults !== undefined) config.faults = partial.faults;
      if (partial.rateLimits !== undefined) {
        config.rateLimits = partial.rateLimits;
        rateLimiter.configure(partial.rateLimits);
      }
      if (partial.timeZone !== undefined) app.timeZone = partial.timeZone;
    },
    stop() {
      return new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}
