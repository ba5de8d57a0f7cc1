import type { FieldDefinition } from './snapshot-view';

/** What the target offers for one field (from createmeta/editmeta); absent when the caller does not restrict. */
export interface TargetFieldMeta {
  fieldId: string;
  required?: boolean;
  allowedValues?: unknown[];
}

/** Lookups a conversion needs about the target project. */
export interface ValueContext {
  componentIdByName: Map<string, string>;
  versionIdByName: Map<string, string>;
  /** The live key for a snapshot issue id (restored or still existing), when known. */
  issueKeyFor(sourceIssueId: string | undefined, sourceKey: string | undefined): string | undefined;
}

export type WriteValue = { ok: true; value: unknown } | { ok: false; reason: string };

const ok = (value: unknown): WriteValue => ({ ok: true, value });
const no = (reason: string): WriteValue => ({ ok: false, reason });

type Named = { id?: string | number; name?: string; value?: string; accountId?: string; key?: string; child?: Named };

/**
 * Converts a field value as Jira returned it (GET issue) into the value Jira accepts on create/edit
 * (e.g. a user object → {accountId}, an option → {id} or {value}). Returns a reason when it cannot.
 */
export function toWriteValue(field: FieldDefinition, value: unknown, context: ValueContext, meta?: TargetFieldMeta): WriteValue {
  if (value === null || value === undefined) return ok(null);
  const schema = field.schema ?? { type: 'any' };
  const custom = schema.custom ?? '';
  switch (schema.system ?? field.id) {
    case 'components':
      return mapNamed(value as Named[], context.componentIdByName, 'component');
    case 'fixVersions':
    case 'versions':
      return mapNamed(value as Named[], context.versionIdByName, 'version');
    case 'parent': {
      const parent = value as Named;
      const key = context.issueKeyFor(String(parent.id ?? ''), parent.key);
      return key ? ok({ key }) : no(`the parent ${parent.key ?? parent.id} is neither restored nor on the site`);
    }
    case 'timetracking': {
      const tracking = value as { originalEstimate?: string; remainingEstimate?: string };
      return ok(pick(tracking, ['originalEstimate', 'remainingEstimate']));
    }
  }
  if (custom.endsWith(':gh-epic-link')) {
    const key = context.issueKeyFor(undefined, String(value));
    return key ? ok(key) : no(`the epic ${String(value)} is neither restored nor on the site`);
  }
  if (custom.endsWith(':cascadingselect')) return cascading(value as Named, meta);
  return bySchemaType(schema.type, schema.items, value, meta);
}

function bySchemaType(type: string, items: string | undefined, value: unknown, meta?: TargetFieldMeta): WriteValue {
  switch (type) {
    case 'user':
      return ok({ accountId: (value as Named).accountId });
    case 'option':
    case 'priority':
    case 'resolution':
    case 'securitylevel':
      return option(value as Named, meta);
    case 'group':
      return ok({ name: (value as Named).name });
    case 'project':
    case 'version':
    case 'component':
    case 'issuetype':
      return ok({ id: String((value as Named).id) });
    case 'array': {
      if (!Array.isArray(value)) return no('expected a list');
      const converted: unknown[] = [];
      for (const item of value) {
        const one = bySchemaType(items ?? 'any', undefined, item, meta);
        if (!one.ok) return one;
        converted.push(one.value);
      }
      return ok(converted);
    }
    default:
      // string, number, date, datetime, ADF documents (type "string" with a doc value), app fields ("any"):
      // Jira accepts what it returns.
      return ok(value);
  }
}

/** Options keep their id when the live field still offers it; otherwise they are matched by value/name. */
function option(value: Named, meta?: TargetFieldMeta): WriteValue {
  const label = value.value ?? value.name;
  if (!meta?.allowedValues) return ok(value.id !== undefined ? { id: String(value.id) } : labelled(value));
  const allowed = meta.allowedValues as Named[];
  if (allowed.some((candidate) => String(candidate.id) === String(value.id))) return ok({ id: String(value.id) });
  const byLabel = allowed.find((candidate) => (candidate.value ?? candidate.name) === label);
  if (byLabel) return ok({ id: String(byLabel.id) });
  return no(`the live field does not offer the option "${label}" (deleted or disabled); add or enable it to restore this value`);
}

function labelled(value: Named): Record<string, string> {
  return value.value !== undefined ? { value: value.value } : { name: value.name ?? '' };
}

function cascading(value: Named, meta?: TargetFieldMeta): WriteValue {
  const parent = option({ id: value.id, value: value.value }, meta);
  if (!parent.ok) return parent;
  if (!value.child) return parent;
  return ok({ ...(parent.value as object), child: value.child.id !== undefined ? { id: String(value.child.id) } : { value: value.child.value } });
}

function mapNamed(values: Named[], idByName: Map<string, string>, what: string): WriteValue {
  const mapped: { id: string }[] = [];
  const missing: string[] = [];
  for (const item of values) {
    const id = idByName.get(item.name ?? '');
    if (id) mapped.push({ id });
    else missing.push(item.name ?? String(item.id));
  }
  if (missing.length > 0) {
    const plural = missing.length > 1;
    return no(`the ${what}${plural ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')} ${plural ? 'are' : 'is'} not in the target project; create ${plural ? 'them' : 'it'} there to restore this value`);
  }
  return ok(mapped);
}

function pick<T extends object>(value: T, keys: (keyof T)[]): Partial<T> {
  const result: Partial<T> = {};
  for (const key of keys) if (value[key] !== undefined) result[key] = value[key];
  return result;
}
