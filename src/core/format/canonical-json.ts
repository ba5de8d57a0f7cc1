/**
 * Canonical JSON: the one byte sequence a value hashes as, so equal records get equal SHA-256s whatever
 * order Jira returned their keys in. Rules (FORMAT.md §Canonical JSON):
 * - no whitespace; object keys sorted by UTF-16 code units (JavaScript's default sort, as RFC 8785 does);
 * - strings and numbers exactly as JSON.stringify writes them (shortest round-trip numbers, `-0` → `0`);
 * - object members whose value is `undefined` are left out (as JSON.stringify does);
 * - anything JSON cannot carry faithfully is rejected instead of silently changed: NaN/Infinity,
 *   `undefined` inside arrays, bigint, functions, symbols, Dates and other class instances, cycles.
 */
import { FormatError } from './errors';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export function canonicalJson(value: unknown): string {
  return write(value, '$', new Set());
}

function write(value: unknown, where: string, open: Set<object>): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw reject(where, `the number ${value} (JSON has no NaN or Infinity)`);
      return JSON.stringify(value);
    case 'object':
      return writeContainer(value as object, where, open);
    default:
      throw reject(where, `a ${typeof value}`);
  }
}

function writeContainer(value: object, where: string, open: Set<object>): string {
  if (open.has(value)) throw reject(where, 'a reference back to itself (cycle)');
  open.add(value);
  try {
    if (Array.isArray(value)) {
      return `[${value.map((item, i) => {
        if (item === undefined) throw reject(`${where}[${i}]`, 'undefined inside an array');
        return write(item, `${where}[${i}]`, open);
      }).join(',')}]`;
    }
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      throw reject(where, `an instance of ${value.constructor?.name ?? 'a class'} (convert it to plain JSON first, e.g. a Date to its ISO string)`);
    }
    const record = value as Record<string, unknown>;
    const members: string[] = [];
    for (const key of Object.keys(record).sort()) {
      const member = record[key];
      if (member === undefined) continue;
      members.push(`${JSON.stringify(key)}:${write(member, `${where}.${key}`, open)}`);
    }
    return `{${members.join(',')}}`;
  } finally {
    open.delete(value);
  }
}

function reject(where: string, what: string): FormatError {
  return new FormatError('invalid', `Cannot write ${what} at ${where} as canonical JSON.`);
}
