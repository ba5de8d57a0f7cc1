import type { FieldDefinition } from './snapshot-view';

/** How one snapshot field lands on the live site: the live field id, or why there is none. */
export interface FieldMapping {
  sourceId: string;
  sourceName: string;
  targetId?: string;
  /** Set when targetId is absent: why the field cannot be written. */
  reason?: string;
  /** True when the live field was found by name and type because the id differs (a re-created custom field). */
  byName?: boolean;
}

/** The type a field holds, for matching: the custom type key for custom fields, the schema type otherwise. */
function fieldKind(field: FieldDefinition): string {
  return field.schema?.custom ?? `${field.schema?.type ?? 'unknown'}:${field.schema?.items ?? ''}:${field.schema?.system ?? ''}`;
}

/**
 * Maps snapshot fields to live fields: by id when the live field with that id still has the same type, otherwise by
 * name and type (a custom field deleted and re-created gets a new id). Ambiguous or absent matches are reported, not guessed.
 */
export function mapFields(snapshotFields: FieldDefinition[], liveFields: FieldDefinition[]): Map<string, FieldMapping> {
  const liveById = new Map(liveFields.map((field) => [field.id, field]));
  const result = new Map<string, FieldMapping>();
  for (const source of snapshotFields) {
    const base = { sourceId: source.id, sourceName: source.name };
    const sameId = liveById.get(source.id);
    if (sameId && fieldKind(sameId) === fieldKind(source)) {
      result.set(source.id, { ...base, targetId: sameId.id });
      continue;
    }
    const candidates = liveFields.filter(
      (live) => live.name.toLowerCase() === source.name.toLowerCase() && fieldKind(live) === fieldKind(source),
    );
    if (candidates.length === 1) {
      result.set(source.id, { ...base, targetId: candidates[0].id, byName: true });
    } else if (candidates.length > 1) {
      result.set(source.id, {
        ...base,
        reason: `${candidates.length} live fields are named "${source.name}" with the same type (${candidates.map((c) => c.id).join(', ')}); rename one so the restore can tell them apart`,
      });
    } else {
      result.set(source.id, {
        ...base,
        reason: sameId
          ? `the live field ${source.id} now has a different type (${fieldKind(sameId)}, was ${fieldKind(source)}) and no other field named "${source.name}" has the old type`
          : `no live field is named "${source.name}" with type ${fieldKind(source)}; re-create the field to restore its values`,
      });
    }
  }
  return result;
}
