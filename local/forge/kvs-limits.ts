/**
 * Forge's documented KVS limits (developer.atlassian.com/platform/forge/limits-kvs-ce and
 * storage-reference/handling-errors-kvs), checked as the service does, with its error codes.
 */
export const KVS_KEY_PATTERN = /^(?!\s+$)[a-zA-Z0-9:._\s-#]+$/;
export const KVS_MAX_KEY_LENGTH = 500;
export const KVS_MAX_VALUE_BYTES = 240 * 1024;
export const KVS_MAX_DEPTH = 32;
export const KVS_MAX_BATCH_ITEMS = 25;
export const KVS_MAX_TRANSACTION_OPERATIONS = 25;
export const KVS_MAX_REQUEST_BYTES = 4 * 1024 * 1024;
export const KVS_DEFAULT_QUERY_LIMIT = 10;
export const KVS_MAX_QUERY_LIMIT = 100;

export interface KvsViolation {
  code: string;
  message: string;
}

export function checkKey(key: unknown): KvsViolation | undefined {
  if (typeof key !== 'string' || key.length === 0) {
    return { code: 'KEY_TOO_SHORT', message: 'The key must be a non-empty string.' };
  }
  if (key.length > KVS_MAX_KEY_LENGTH) {
    return { code: 'KEY_TOO_LONG', message: `The key is ${key.length} characters; the maximum is ${KVS_MAX_KEY_LENGTH}.` };
  }
  if (!KVS_KEY_PATTERN.test(key)) {
    return {
      code: 'INVALID_KEY',
      message: `The key '${key.slice(0, 80)}' does not match ${KVS_KEY_PATTERN} (letters, digits, ':', '.', '_', '-', '#', spaces; no '/').`,
    };
  }
  return undefined;
}

/** Returns the value's JSON text, or the violation that keeps it out. */
export function checkValue(value: unknown): { json: string } | { violation: KvsViolation } {
  if (value === undefined) return { violation: { code: 'INVALID_VALUE', message: 'A value is required (undefined cannot be stored).' } };
  const json = JSON.stringify(value);
  const bytes = Buffer.byteLength(json);
  if (bytes > KVS_MAX_VALUE_BYTES) {
    return { violation: { code: 'MAX_SIZE', message: `The value is ${bytes} bytes as JSON; the maximum is ${KVS_MAX_VALUE_BYTES} (240 KiB).` } };
  }
  const depth = depthOf(value);
  if (depth > KVS_MAX_DEPTH) {
    return { violation: { code: 'MAX_DEPTH', message: `The value nests ${depth} levels deep; the maximum is ${KVS_MAX_DEPTH}.` } };
  }
  return { json };
}

function depthOf(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  let deepest = 0;
  for (const child of Object.values(value as Record<string, unknown>)) deepest = Math.max(deepest, depthOf(child));
  return deepest + 1;
}

const TTL_UNIT_MS: Record<string, number> = { SECONDS: 1000, MINUTES: 60_000, HOURS: 3_600_000, DAYS: 86_400_000 };

/** `options.ttl` ({value, unit}) → milliseconds, or a violation. */
export function ttlMs(ttl: unknown): number | KvsViolation | undefined {
  if (ttl === undefined || ttl === null) return undefined;
  const { value, unit } = ttl as { value?: unknown; unit?: unknown };
  if (typeof value !== 'number' || value <= 0 || typeof unit !== 'string' || !(unit in TTL_UNIT_MS)) {
    return { code: 'INVALID_TTL', message: `ttl must be {value > 0, unit: SECONDS|MINUTES|HOURS|DAYS}, got ${JSON.stringify(ttl)}.` };
  }
  return value * TTL_UNIT_MS[unit];
}
