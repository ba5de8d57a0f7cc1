import type { FieldNotSet } from './plan-types';
import { toWriteValue, type ValueContext } from './field-values';
import { CUSTOM_TYPES_WITH_OWN_STEP, NOT_SETTABLE_SYSTEM_FIELDS, READ_ONLY_CUSTOM_TYPE_SUFFIXES } from './not-settable';
import type { TargetContext } from './target-context';
import type { SnapshotIssue } from './snapshot-view';

export interface IssueFieldWrites {
  /** The `fields` object for POST /issue or PUT /issue (live field ids). */
  fields: Record<string, unknown>;
  set: { fieldId: string; targetFieldId: string; name: string }[];
  notSet: FieldNotSet[];
}

/**
 * The field writes that bring a live issue to the snapshot issue's values. Used by the dry run and the executor alike,
 * so the plan shows exactly what the run writes. `only` limits the fields (revert of chosen fields); `compareWith`
 * drops fields whose live value already equals the snapshot (revert writes only what changed).
 */
export async function issueFieldWrites(
  issue: SnapshotIssue,
  targetIssueTypeId: string,
  context: TargetContext,
  values: Pick<ValueContext, 'issueKeyFor'>,
  options: { only?: Set<string>; compareWith?: Record<string, unknown>; forEdit?: boolean } = {},
): Promise<IssueFieldWrites> {
  const meta = options.forEdit ? undefined : await context.createMeta(targetIssueTypeId);
  const valueContext: ValueContext = { ...values, componentIdByName: context.componentIdByName, versionIdByName: context.versionIdByName };
  const result: IssueFieldWrites = { fields: {}, set: [], notSet: [] };
  // A revert also clears fields that were empty in the snapshot and have a value now (the edit added them).
  const fieldIds = new Set(Object.keys(issue.fields));
  if (options.compareWith) for (const liveId of Object.keys(options.compareWith)) if (context.snapshotFields.has(liveId)) fieldIds.add(liveId);
  for (const fieldId of fieldIds) {
    const value = issue.fields[fieldId];
    const definition = context.snapshotFields.get(fieldId);
    const name = definition?.name ?? fieldId;
    if (options.only && !options.only.has(fieldId) && !options.only.has(name.toLowerCase())) continue;
    // Jira makes the caller the reporter of a new issue: a snapshot issue without one gets an explicit null.
    const clearOnCreate = !options.compareWith && fieldId === 'reporter' && value === null;
    if (isEmpty(value) && !clearOnCreate && (!options.compareWith || isEmpty(options.compareWith[context.fieldMap.get(fieldId)?.targetId ?? fieldId]))) continue;
    const fixedReason = NOT_SETTABLE_SYSTEM_FIELDS[fieldId] ?? (definition?.schema?.custom ? ownStepOrReadOnly(definition.schema.custom) : undefined);
    if (fixedReason) {
      if (!['project', 'issuetype', 'status', 'resolution', 'issuekey'].includes(fieldId) && !isHandledElsewhere(fieldId, definition?.schema?.custom)) {
        result.notSet.push({ fieldId, name, reason: fixedReason });
      }
      continue;
    }
    if (!definition) {
      result.notSet.push({ fieldId, name, reason: 'the snapshot has no definition for this field, so its type is unknown' });
      continue;
    }
    const mapping = context.fieldMap.get(fieldId);
    if (!mapping?.targetId) {
      result.notSet.push({ fieldId, name, reason: mapping?.reason ?? 'no matching live field' });
      continue;
    }
    if (meta && !meta.has(mapping.targetId)) {
      result.notSet.push({ fieldId, name, reason: `"${name}" is not on the create screen of the target project and issue type; add it to the screen to restore it` });
      continue;
    }
    const converted = isEmpty(value)
      ? { ok: true as const, value: definition.schema?.type === 'array' ? [] : null }
      : toWriteValue(definition, value, valueContext, meta?.get(mapping.targetId));
    if (!converted.ok) {
      result.notSet.push({ fieldId, name, reason: converted.reason });
      continue;
    }
    if (options.compareWith && sameValue(options.compareWith[mapping.targetId], value)) continue;
    result.fields[mapping.targetId] = converted.value;
    result.set.push({ fieldId, targetFieldId: mapping.targetId, name });
  }
  return result;
}

function ownStepOrReadOnly(customType: string): string | undefined {
  if (CUSTOM_TYPES_WITH_OWN_STEP[customType]) return CUSTOM_TYPES_WITH_OWN_STEP[customType];
  if (READ_ONLY_CUSTOM_TYPE_SUFFIXES.some((suffix) => customType.endsWith(`:${suffix}`))) return 'a read-only field computed by Jira or an app';
  return undefined;
}

/** Content restored by its own step is not a "field not set": the report lists it under that step instead. */
function isHandledElsewhere(fieldId: string, customType: string | undefined): boolean {
  if (customType && CUSTOM_TYPES_WITH_OWN_STEP[customType]) return true;
  return ['comment', 'worklog', 'attachment', 'issuelinks', 'subtasks', 'watches', 'timeestimate', 'timeoriginalestimate'].includes(fieldId);
}

function isEmpty(value: unknown): boolean {
  return value === null || value === undefined || (Array.isArray(value) && value.length === 0);
}

/**
 * Equality on what a field means, ignoring `self` URLs and avatar noise Jira adds to returned objects. Objects are
 * compared by identity: by name/value first (a re-created option or component keeps its name, not its id), or by id
 * (an edit answer may carry only the id).
 */
export function sameValue(live: unknown, snapshot: unknown): boolean {
  return (
    JSON.stringify(essence(live)) === JSON.stringify(essence(snapshot)) ||
    JSON.stringify(essence(live, ID_FIRST)) === JSON.stringify(essence(snapshot, ID_FIRST))
  );
}

const NAME_FIRST = ['accountId', 'value', 'name', 'key', 'id'];
const ID_FIRST = ['accountId', 'id', 'key', 'value', 'name'];

export function essence(value: unknown, identities: string[] = NAME_FIRST): unknown {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.length === 0 ? null : value.map((item) => essence(item, identities));
  if (typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  if (record.type !== 'doc') {
    for (const identity of identities) {
      if (identity in record && typeof record[identity] !== 'object') {
        return record.child ? { [identity]: record[identity], child: essence(record.child, identities) } : { [identity]: record[identity] };
      }
    }
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(record).sort()) {
    if (key === 'self' || key === 'avatarUrls' || key === 'iconUrl') continue;
    out[key] = essence(record[key], identities);
  }
  return out;
}
