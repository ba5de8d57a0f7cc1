import type { AdfDocument, JiraUserRef, SnapshotIssue } from './snapshot-view';

/**
 * What Jira will not let us set (key, id, creator, timestamps, authors) is kept visibly instead:
 * an issue property with the origin, and an "Originally by X on D" first line on comments and worklogs.
 * The property also makes restore idempotent: a rerun finds an already-created issue by it (see executor).
 */
export const ORIGIN_PROPERTY_KEY = 'backup-center-origin';
/** Comment and worklog property carrying the original id, so a rerun can recognise what it already wrote. */
export const ORIGIN_ITEM_PROPERTY_KEY = 'backup-center-origin';

export interface IssueOrigin {
  originalId: string;
  originalKey: string;
  snapshotId: string;
  created?: string;
  creator?: string;
  reporter?: string;
}

export function issueOrigin(issue: SnapshotIssue, snapshotId: string): IssueOrigin {
  const fields = issue.fields as { created?: string; creator?: JiraUserRef; reporter?: JiraUserRef };
  return {
    originalId: issue.id,
    originalKey: issue.key,
    snapshotId,
    created: fields.created,
    creator: fields.creator ? userLabel(fields.creator) : undefined,
    reporter: fields.reporter ? userLabel(fields.reporter) : undefined,
  };
}

export function userLabel(user: JiraUserRef | undefined): string {
  if (!user) return 'an unknown user';
  return user.displayName ? `${user.displayName} (${user.accountId})` : user.accountId;
}

/** The visible first line on a restored comment or worklog. */
export function originallyByLine(author: JiraUserRef | undefined, when: string | undefined): string {
  return `Originally by ${userLabel(author)} on ${when ?? 'an unknown date'}`;
}

const ORIGIN_LINE_PATTERN = /^Originally by .* on .*$/;

/** Puts the origin line before the body as its own paragraph; plain-text bodies (API v2 shape) get it as a line. */
export function withOriginLine(body: AdfDocument | string | undefined, line: string): AdfDocument {
  const paragraph = { type: 'paragraph', content: [{ type: 'text', text: line, marks: [{ type: 'em' }] }] };
  if (body === undefined) return { type: 'doc', version: 1, content: [paragraph] };
  if (typeof body === 'string') {
    return { type: 'doc', version: 1, content: [paragraph, { type: 'paragraph', content: body ? [{ type: 'text', text: body }] : [] }] };
  }
  return { ...body, content: [paragraph, ...body.content] };
}

/** The body without a leading origin line (for comparing a restored comment with its original). */
export function withoutOriginLine(body: unknown): unknown {
  if (!body || typeof body !== 'object') return body;
  const doc = body as AdfDocument;
  const first = doc.content?.[0] as { type?: string; content?: { text?: string }[] } | undefined;
  const text = first?.type === 'paragraph' && first.content?.length === 1 ? first.content[0].text : undefined;
  if (text && ORIGIN_LINE_PATTERN.test(text)) return { ...doc, content: doc.content.slice(1) };
  return body;
}
