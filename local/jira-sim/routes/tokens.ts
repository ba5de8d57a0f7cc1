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

export function encodeToken(query: string, position: unknown): string {
  return Buffer.from(JSON.stringify({ v: 1, q: queryHash(query), p: position })).toString('base64url');
}

export function decodeToken<T>(token: string, query: string): T {
  let parsed: { v?: number; q?: string; p?: T };
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw badRequest('The provided next page token is invalid or expired.');
  }
  if (parsed.v !== 1 || parsed.q !== queryHash(query) || parsed.p === undefined) {
    throw badRequest('The provided next page token is invalid or expired. Send the same query with the token it returned.');
  }
  return parsed.p;
}
