/**
 * Opaque page tokens. A token names the query it belongs to (a hash of its canonical text) and where the next
 * page starts. Search tokens hold the sort key of the last issue returned (keyset paging), so issues created or
 * deleted while a client pages never shift the pages: an issue updated mid-run under `ORDER BY updated` moves
 * to the end and is returned again — a duplicate, never a gap, as on Jira.
 */
import { createHash } from 'node:crypto';
import { badRequest } from '../http/errors';

export function queryHash(text: string): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, 16);
}

/** Jira's tokens expire after 7 days; a client that persists one longer must start the query again. */
export const TOKEN_LIFETIME_MS = 7 * 86_400_000;

export function encodeToken(query: string, position: unknown, now: number): string {
  return Buffer.from(JSON.stringify({ v: 1, q: queryHash(query), p: position, t: now })).toString('base64url');
}

export function decodeToken<T>(token: string, query: string, now: number): T {
  let parsed: { v?: number; q?: string; p?: T; t?: number };
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw badRequest('The provided next page token is invalid or expired.');
  }
  if (parsed.v !== 1 || parsed.q !== queryHash(query) || parsed.p === undefined) {
    throw badRequest('The provided next page token is invalid or expired. Send the same query with the token it returned.');
  }
  if (typeof parsed.t !== 'number' || now - parsed.t > TOKEN_LIFETIME_MS) {
    throw badRequest('The provided next page token is invalid or expired: tokens last 7 days. Run the query again from the first page.');
  }
  return parsed.p;
}
