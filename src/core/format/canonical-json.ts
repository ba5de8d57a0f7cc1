/**
 * Canonical JSON: the one byte sequence a value hashes as, so equal records get equal SHA-256s whatever
 * order Jira returned their keys in. Rules (FORMAT.md §Canonical JSON):
 * - no whitespace; object keys sorted by UTF-16 code units (JavaScript's default sort, as RFC 8785 does);
 * - strings and numbers exactly as JSON.stringify writes them (shortest round-trip numbers, `-0` → `0`);
 * - object members whose value is `undefined` are left out (as JSON.stringify does);
 * - anything JSON cannot carry faithfully is rejected instead of silently changed: NaN/Infinity,
 *   `undefined` inside arrays, bigint, functions, symbols, Dates and other class instances, cycles
 *   (found as nesting deeper than 1,000 levels, which no Jira entity comes near).
 */
import { FormatError } from './errors';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Deeper than any JSON Jira returns; reaching it means a cycle (or data nobody could restore anyway). */
const MAX_DEPTH = 1000;

export function canonicalJson(value: unknown): string {
  return write(value, 0, '$');
}

// Plain loops and string concatenation: this runs for every record and index line a backup writes.
function write(value: unknown, depth: number, where: string): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw reject(where, `the number ${value} (JSON has no NaN or Infinity)`);
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) return 'null';
      if (depth >= MAX_DEPTH) throw reject(where, `nesting deeper than ${MAX_DEPTH} levels (a reference back to itself, a cycle?)`);
      return Array.isArray(value) ? writeArray(value, depth, where) : writeObject(value, depth, where);
    default:
      throw reject(where, `a ${typeof value}`);
  }
}

function writeArray(items: unknown[], depth: number, where: string): string {
  let out = '[';
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (item === undefined) throw reject(`${where}[${i}]`, 'undefined inside an array');
    if (i > 0) out += ',';
    out += write(item, depth + 1, where.length < 200 ? `${where}[${i}]` : where);
  }
  return `${out}]`;
}

function writeObject(value: object, depth: number, where: string): string {
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    throw reject(where, `an instance of ${value.constructor?.name ?? 'a class'} (convert it to plain JSON first, e.g. a Date to its ISO string)`);
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const member = record[key];
    if (member === undefined) continue;
    if (!first) out += ',';
    first = false;
    out += `${JSON.stringify(key)}:${write(member, depth + 1, where.length < 200 ? `${where}.${key}` : where)}`;
  }
  return `${out}}`;
}

function reject(where: string, what: string): FormatError {
  return new FormatError('invalid', `Cannot write ${what} at ${where} as canonical JSON.`);
}
