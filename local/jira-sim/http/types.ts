/** The simulator's request/response model: handlers are plain functions from a context to a reply. */
import type { IncomingHttpHeaders } from 'node:http';
import type { SimUser, SiteData } from '../model';

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface SimReply {
  status: number;
  /** JSON body; omitted for 204 and for byte replies. */
  json?: unknown;
  bytes?: Uint8Array;
  headers?: Record<string, string>;
  /** Objects returned, for the points quota (users and groups count double: see rate-limits). */
  objects?: number;
}

export interface RouteContext {
  site: SiteData;
  method: Method;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  rawBody: Buffer;
  caller: SimUser;
  /** The caller's profile time zone (timestamps and JQL dates). */
  timeZone: string;
  now: number;
  baseUrl: string;
  /** The parsed JSON body; a 400 with Jira's message when it is not valid JSON. */
  json<T = unknown>(): T;
}

export type Handler = (ctx: RouteContext) => SimReply | Promise<SimReply>;

export interface Route {
  method: Method;
  /** The operation's path template exactly as in the official spec, e.g. `/rest/api/3/issue/{issueIdOrKey}`. */
  template: string;
  /** Which official spec defines it. */
  spec: 'platform' | 'agile';
  handler: Handler;
  /** A POST that only reads (search, bulk fetch): charged like a GET, 1 point + objects returned. */
  read?: boolean;
  /** Users and groups cost 2 points per object returned. */
  pointsPerObject?: 1 | 2;
  /** Writes that touch one issue count against the per-issue write limit (param name holding the issue). */
  issueParam?: string;
}
