import type { JsonValue } from '../format/canonical-json';
import type { SnapshotRecord } from '../format/types';

/** Builds a snapshot record from Jira JSON (already JSON-safe: it came from JSON.parse). */
export function record(type: string, id: string | number, data: unknown, extra: { key?: string; project?: string; updated?: string } = {}): SnapshotRecord {
  return { type, id: String(id), ...definedOnly(extra), data: data as { [key: string]: JsonValue } };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
