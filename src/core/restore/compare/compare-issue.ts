import { sameValue } from '../issue-payload';
import type { IssueResult } from '../job-state';
import { NOT_SETTABLE_SYSTEM_FIELDS } from '../not-settable';
import { ORIGIN_ITEM_PROPERTY_KEY, ORIGIN_PROPERTY_KEY, withoutOriginLine } from '../origin';
import type { FieldDefinition } from '../snapshot-view';
import type { IssueState } from './issue-state';

/** One compared value that differs; `reason` says why that is expected (what Jira does not let us set), if it is. */
export interface Difference {
  issue: string;
  entity: string;
  original: unknown;
  restored: unknown;
  reason?: string;
}

export interface Comparison {
  compared: number;
  equal: number;
  differences: Difference[];
}

export interface CompareContext {
  fields: Map<string, FieldDefinition>;
  /** The live issue id an original issue id now has (re-created or untouched), or undefined if it is gone. */
  liveIdOf(originalId: string): string | undefined;
  /** The restore's own report for this issue (fields not set and why, partial counts). */
  report?: IssueResult;
  /** Set when the issue went into a different project than it came from (the admin chose a new key). */
  newProjectKey?: string;
  /** What the plan listed as not restorable for this issue (closed or deleted sprints, votes, …). */
  skipped?: { what: string; reason: string }[];
  /** The account the restore ran as (Jira may add it as a watcher of what it creates). */
  restoringAccountId?: string;
}

/** Fields Jira derives from content the comparison checks on its own (comparing them again would double count). */
const COMPARED_ELSEWHERE = new Set(['comment', 'worklog', 'attachment', 'issuelinks', 'subtasks', 'watches']);

/** Compares an issue after restore with the same issue before the data loss: fields, comments, worklogs, attachments (bytes), links, remote links, watchers, properties. */
export function compareIssue(original: IssueState, restored: IssueState | undefined, context: CompareContext): Comparison {
  const result: Comparison = { compared: 0, equal: 0, differences: [] };
  const label = original.key;
  const check = (entity: string, before: unknown, after: unknown, equal: boolean, reason?: string) => {
    result.compared++;
    if (equal) result.equal++;
    else result.differences.push({ issue: label, entity, original: before, restored: after, reason });
  };
  if (!restored) {
    const why = context.report?.error;
    check('issue', original.key, undefined, false, why ? `the restore report says: ${why}` : undefined);
    return result;
  }
  const recreated = restored.id !== original.id;
  if (recreated) check('key', original.key, restored.key, false, 'Jira assigns keys and ids; the original key and id are in the backup-center-origin property');

  const notSetByReport = new Map((context.report?.fieldsNotSet ?? []).map((f) => [f.fieldId, f.reason]));
  for (const fieldId of new Set([...Object.keys(original.fields), ...Object.keys(restored.fields)])) {
    if (COMPARED_ELSEWHERE.has(fieldId)) continue;
    const before = original.fields[fieldId];
    const after = restored.fields[fieldId];
    const name = context.fields.get(fieldId)?.name ?? fieldId;
    const definition = context.fields.get(fieldId);
    if (fieldId === 'parent') {
      const parentBefore = (before as { id?: string } | undefined)?.id;
      const parentAfter = (after as { id?: string } | undefined)?.id;
      check('field Parent', parentBefore, parentAfter, (parentBefore === undefined && parentAfter === undefined) || (!!parentBefore && context.liveIdOf(String(parentBefore)) === String(parentAfter)), notSetByReport.get(fieldId));
      continue;
    }
    if (sameValue(after, before)) {
      check(`field ${name}`, before, after, true);
      continue;
    }
    check(`field ${name}`, before, after, false, fieldReason(fieldId, definition, before, after, context, recreated, notSetByReport.get(fieldId)));
  }

  compareComments(original, restored, check, context);
  compareWorklogs(original, restored, check, context);
  compareAttachments(original, restored, check, context);
  for (const link of original.links) {
    const otherNow = context.liveIdOf(link.otherId);
    const found = restored.links.some((l) => l.typeName === link.typeName && l.direction === link.direction && l.otherId === otherNow);
    check(`link ${link.typeName} ${link.direction} ${link.otherId}`, link, found ? link : undefined, found, otherNow ? undefined : 'the linked issue is neither on the site nor restored');
  }
  for (const remote of original.remoteLinks) {
    const match = restored.remoteLinks.find((r) => (remote.globalId ? r.globalId === remote.globalId : r.object.url === remote.object.url));
    const equal = !!match && sameValue(match.object, remote.object) && (match.relationship ?? null) === (remote.relationship ?? null);
    check(`remote link ${remote.globalId ?? remote.object.url}`, remote.object, match?.object, equal);
  }
  const watchersAfter = restored.watchers.filter((w) => !(w === context.restoringAccountId && !original.watchers.includes(w)));
  check('watchers', original.watchers, restored.watchers, sameValue(watchersAfter, original.watchers));
  for (const [key, value] of Object.entries(original.properties)) {
    check(`property ${key}`, value, restored.properties[key], canonical(value) === canonical(restored.properties[key]));
  }
  if (recreated && !(ORIGIN_PROPERTY_KEY in original.properties)) {
    check(`property ${ORIGIN_PROPERTY_KEY}`, undefined, restored.properties[ORIGIN_PROPERTY_KEY], false, 'added by the restore: it keeps the original key, id, creator and creation time');
  }
  return result;
}

/** JSON with object keys sorted: property values are compared by content, not by key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}

function fieldReason(
  fieldId: string,
  definition: FieldDefinition | undefined,
  before: unknown,
  after: unknown,
  context: CompareContext,
  recreated: boolean,
  reported: string | undefined,
): string | undefined {
  if (reported) return `the restore report says: ${reported}`;
  const custom = definition?.schema?.custom ?? '';
  if (fieldId === 'project' && context.newProjectKey) return `restored into the new project ${context.newProjectKey}, as the admin chose`;
  if (recreated && NOT_SETTABLE_SYSTEM_FIELDS[fieldId] && !['status', 'resolution', 'issuetype', 'project'].includes(fieldId)) return NOT_SETTABLE_SYSTEM_FIELDS[fieldId];
  if (['updated', 'lastViewed', 'statuscategorychangedate'].includes(fieldId)) return NOT_SETTABLE_SYSTEM_FIELDS[fieldId];
  if (custom.endsWith(':gh-lexo-rank')) return 'rank values are assigned by Jira; the relative order of restored issues is restored';
  if (custom.endsWith(':gh-sprint')) {
    const sprints = ((before as { id?: number; name?: string; state?: string }[] | null) ?? []);
    const kept = sprints.filter((s) => s.state !== 'closed');
    const listed = (context.skipped ?? []).filter((s) => s.what.startsWith('membership of'));
    const afterIds = new Set(((after as { id?: number }[] | null) ?? []).map((s) => s.id));
    const unexplained = sprints.filter((s) => !afterIds.has(s.id) && !listed.some((l) => l.what.includes(`"${s.name}"`)) && !(kept.length > 1 && s !== kept[kept.length - 1]));
    if (unexplained.length === 0) {
      const reasons = new Set(listed.map((l) => l.reason));
      if (kept.length > 1) reasons.add('an issue is in at most one open sprint: the restore adds it to the last one');
      return [...reasons].join('; ');
    }
  }
  if (fieldId === 'resolution' || fieldId === 'resolutiondate') return recreated ? 'set by the workflow transition; Jira stamps the resolution date' : undefined;
  return undefined;
}

type Check = (entity: string, before: unknown, after: unknown, equal: boolean, reason?: string) => void;

function originalIdOf(item: { id: string; properties?: { key: string; value: unknown }[] }): string {
  const origin = item.properties?.find((p) => p.key === ORIGIN_ITEM_PROPERTY_KEY)?.value as { originalId?: string } | undefined;
  return origin?.originalId ?? item.id;
}

function hasOrigin(item: { properties?: { key: string }[] }): boolean {
  return !!item.properties?.some((p) => p.key === ORIGIN_ITEM_PROPERTY_KEY);
}

function compareComments(original: IssueState, restored: IssueState, check: Check, context: CompareContext): void {
  const byOrigin = new Map(restored.comments.map((c) => [originalIdOf(c), c]));
  const failures = new Map((context.report?.comments.failures ?? []).map((f) => [f.item, f.reason]));
  for (const comment of original.comments) {
    const after = byOrigin.get(comment.id);
    if (!after) {
      check(`comment ${comment.id}`, comment.body, undefined, false, failures.get(comment.id));
      continue;
    }
    check(`comment ${comment.id} body`, comment.body, after.body, sameValue(withoutOriginLine(after.body), comment.body));
    check(`comment ${comment.id} visibility`, comment.visibility, after.visibility, sameValue(after.visibility, comment.visibility));
    if (after.id !== comment.id) {
      check(`comment ${comment.id} author and time`, [comment.author?.accountId, comment.created], [after.author?.accountId, after.created], false, 'Jira records the app and the restore time; the original author and time are in the comment\'s first line');
    }
  }
}

function compareWorklogs(original: IssueState, restored: IssueState, check: Check, context: CompareContext): void {
  const byOrigin = new Map(restored.worklogs.map((w) => [originalIdOf(w), w]));
  const failures = new Map((context.report?.worklogs.failures ?? []).map((f) => [f.item, f.reason]));
  const claimed = new Set<string>();
  for (const worklog of original.worklogs) {
    // Sites that drop worklog properties on create leave no origin id: then the start time and duration identify it.
    const after =
      byOrigin.get(worklog.id) ??
      restored.worklogs.find((w) => !claimed.has(w.id) && !hasOrigin(w) && w.timeSpentSeconds === worklog.timeSpentSeconds && Date.parse(w.started) === Date.parse(worklog.started));
    if (after) claimed.add(after.id);
    if (!after) {
      check(`worklog ${worklog.id}`, worklog.timeSpentSeconds, undefined, false, failures.get(worklog.id));
      continue;
    }
    const same = after.timeSpentSeconds === worklog.timeSpentSeconds && Date.parse(after.started) === Date.parse(worklog.started);
    check(`worklog ${worklog.id} time`, [worklog.started, worklog.timeSpentSeconds], [after.started, after.timeSpentSeconds], same);
    check(`worklog ${worklog.id} comment`, worklog.comment, after.comment, sameValue(withoutOriginLine(after.comment), worklog.comment ?? null));
    if (after.id !== worklog.id) {
      check(`worklog ${worklog.id} author and time`, [worklog.author?.accountId, worklog.created], [after.author?.accountId, after.created], false, 'Jira records the app and the restore time; the original author and time are in the worklog\'s first line');
    }
  }
}

function compareAttachments(original: IssueState, restored: IssueState, check: Check, context: CompareContext): void {
  const claimed = new Set<string>();
  const failures = new Map((context.report?.attachments.failures ?? []).map((f) => [f.item, f.reason]));
  for (const attachment of original.attachments) {
    const after = restored.attachments.find((a) => !claimed.has(a.id) && (a.id === attachment.id || (a.filename === attachment.filename && a.sha256 === attachment.sha256)));
    if (!after) {
      check(`attachment ${attachment.filename}`, attachment.sha256, undefined, false, failures.get(attachment.id));
      continue;
    }
    claimed.add(after.id);
    check(`attachment ${attachment.filename} bytes`, attachment.sha256, after.sha256, after.sha256 === attachment.sha256 && after.size === attachment.size);
    if (after.id !== attachment.id) {
      check(`attachment ${attachment.filename} author and time`, attachment.created, after.created, false, 'Jira records the app and the restore time; the originals are in the backup-center-origin property');
    }
  }
}
