import {
  checkKey, checkValue, ttlMs, KvsViolation,
  KVS_DEFAULT_QUERY_LIMIT, KVS_MAX_BATCH_ITEMS, KVS_MAX_QUERY_LIMIT, KVS_MAX_REQUEST_BYTES, KVS_MAX_TRANSACTION_OPERATIONS,
} from './kvs-limits';
import { compareKeys, KvsNamespace, KvsStore, StoredEntry } from './kvs-store';
import { emptyResponse, forgeError, jsonResponse, parseJsonBody } from './responses';

type Body = Record<string, unknown>;

/**
 * The KVS REST API as @forge/kvs calls it (`POST /api/v1/<operation>` with a JSON body). Answers with the
 * service's status codes and `{code, message}` error bodies, so the SDK raises its own ForgeKvsAPIError.
 */
export class KvsApi {
  constructor(
    private readonly store: KvsStore,
    private readonly now: () => number,
  ) {}

  handle(path: string, init: RequestInit | undefined): Response {
    const raw = typeof init?.body === 'string' ? init.body : '';
    if (Buffer.byteLength(raw) > KVS_MAX_REQUEST_BYTES) {
      return forgeError(413, 'PAYLOAD_TOO_LARGE', `The request is ${Buffer.byteLength(raw)} bytes; KVS accepts at most 4 MB per request.`);
    }
    let body: unknown;
    try {
      body = parseJsonBody(init);
    } catch (error) {
      return forgeError(400, 'INVALID_REQUEST_BODY', `The request body is not JSON: ${(error as Error).message}`);
    }
    const operation = path.replace(/^\/?api\/v1\//, '');
    switch (operation) {
      case 'get': return this.get('data', body as Body);
      case 'secret/get': return this.get('secret', body as Body);
      case 'set': return this.set('data', body as Body);
      case 'secret/set': return this.set('secret', body as Body);
      case 'delete': return this.delete('data', body as Body);
      case 'secret/delete': return this.delete('secret', body as Body);
      case 'query': return this.query(body as Body);
      case 'batch/set': return this.batchSet(body);
      case 'batch/get': return this.batchGet(body);
      case 'batch/delete': return this.batchDelete(body);
      case 'transaction': return this.transaction(body as Body);
      default:
        if (operation.startsWith('entity/')) {
          return forgeError(501, 'NOT_IMPLEMENTED', `Custom entities (${operation}) are not emulated locally; this app uses plain KVS keys.`);
        }
        return forgeError(404, 'NOT_FOUND', `Unknown KVS operation '${path}'.`);
    }
  }

  private get(ns: KvsNamespace, body: Body): Response {
    const bad = checkKey(body?.key);
    if (bad) return violation(bad);
    const entry = this.store.get(ns, body.key as string);
    if (!entry) return forgeError(404, 'KEY_NOT_FOUND', `The key '${String(body.key)}' does not exist.`);
    return jsonResponse(200, present(body.key as string, entry));
  }

  private set(ns: KvsNamespace, body: Body): Response {
    const prepared = this.prepareSet(ns, body);
    if ('violation' in prepared) return violation(prepared.violation);
    const options = (body.options ?? {}) as Body;
    const previous = this.store.get(ns, prepared.key);
    if (options.keyPolicy === 'FAIL_IF_EXISTS' && previous) {
      return forgeError(409, 'KEY_ALREADY_EXISTS', `The key '${prepared.key}' already exists (keyPolicy FAIL_IF_EXISTS).`);
    }
    this.store.apply([{ ns, key: prepared.key, entry: prepared.entry }]);
    if (options.returnValue === 'PREVIOUS') return previous ? jsonResponse(200, present(prepared.key, previous)) : emptyResponse(204);
    if (options.returnValue === 'LATEST') return jsonResponse(200, present(prepared.key, prepared.entry));
    return emptyResponse(204);
  }

  private delete(ns: KvsNamespace, body: Body): Response {
    const bad = checkKey(body?.key);
    if (bad) return violation(bad);
    this.store.apply([{ ns, key: body.key as string }]);
    return emptyResponse(204);
  }

  private query(body: Body): Response {
    const limit = body.limit === undefined ? KVS_DEFAULT_QUERY_LIMIT : Number(body.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > KVS_MAX_QUERY_LIMIT) {
      return forgeError(400, 'LIST_QUERY_LIMIT_EXCEEDED', `The query limit must be 1 to ${KVS_MAX_QUERY_LIMIT}, got ${String(body.limit)}.`);
    }
    const where = (body.where ?? []) as Array<{ property?: string; condition?: string; values?: unknown[] }>;
    if (!Array.isArray(where) || where.length > 1) {
      return forgeError(400, 'QUERY_WHERE_INVALID', 'KVS queries take at most one "where" clause.');
    }
    let matches: (key: string) => boolean = () => true;
    if (where.length === 1) {
      const clause = where[0];
      if (clause.property !== 'key') {
        return forgeError(400, 'QUERY_WHERE_FIELD_INVALID', `KVS queries filter on 'key' only, got '${String(clause.property)}'.`);
      }
      const predicate = keyPredicate(clause.condition, clause.values ?? []);
      if ('code' in predicate) return violation(predicate);
      matches = predicate.test;
    }
    let after: string | undefined;
    if (body.after !== undefined && body.after !== null && body.after !== '') {
      after = decodeCursor(String(body.after));
      if (after === undefined) return forgeError(400, 'INVALID_CURSOR', 'The cursor is not one this query returned.');
    }
    const keys = this.store.sortedKeys('data').filter((k) => matches(k) && (after === undefined || compareKeys(k, after) > 0));
    const page = keys.slice(0, limit);
    const data = page.map((key) => present(key, this.store.get('data', key)!));
    const more = keys.length > limit;
    return jsonResponse(200, more ? { data, cursor: encodeCursor(page[page.length - 1]) } : { data });
  }

  private batchSet(body: unknown): Response {
    const items = this.batchItems(body);
    if (items instanceof Response) return items;
    const successfulKeys: Body[] = [];
    const failedKeys: Body[] = [];
    const writes: Array<{ ns: KvsNamespace; key: string; entry: StoredEntry }> = [];
    for (const item of items) {
      if (item.entityName !== undefined) {
        failedKeys.push({ key: item.key, entityName: item.entityName, error: { code: 'NOT_IMPLEMENTED', message: 'Custom entities are not emulated.' } });
        continue;
      }
      const prepared = this.prepareSet('data', item);
      if ('violation' in prepared) failedKeys.push({ key: item.key, error: prepared.violation });
      else {
        writes.push({ ns: 'data', key: prepared.key, entry: prepared.entry });
        successfulKeys.push({ key: prepared.key });
      }
    }
    this.store.apply(writes);
    return jsonResponse(200, { successfulKeys, failedKeys });
  }

  private batchGet(body: unknown): Response {
    const items = this.batchItems(body);
    if (items instanceof Response) return items;
    const successfulKeys: Body[] = [];
    const failedKeys: Body[] = [];
    for (const item of items) {
      const bad = checkKey(item.key);
      const entry = bad ? undefined : this.store.get('data', item.key as string);
      if (bad) failedKeys.push({ key: item.key, error: bad });
      else if (!entry) failedKeys.push({ key: item.key, error: { code: 'KEY_NOT_FOUND', message: `The key '${String(item.key)}' does not exist.` } });
      else successfulKeys.push(present(item.key as string, entry));
    }
    return jsonResponse(200, { successfulKeys, failedKeys });
  }

  private batchDelete(body: unknown): Response {
    const items = this.batchItems(body);
    if (items instanceof Response) return items;
    const successfulKeys: Body[] = [];
    const failedKeys: Body[] = [];
    const writes: Array<{ ns: KvsNamespace; key: string }> = [];
    for (const item of items) {
      const bad = checkKey(item.key);
      if (bad) failedKeys.push({ key: item.key, error: bad });
      else {
        writes.push({ ns: 'data', key: item.key as string });
        successfulKeys.push({ key: item.key });
      }
    }
    this.store.apply(writes);
    return jsonResponse(200, { successfulKeys, failedKeys });
  }

  /** A batch fails whole when it is empty, too big, or names a key twice (Forge's batch rules). */
  private batchItems(body: unknown): Body[] | Response {
    if (!Array.isArray(body) || body.length === 0) {
      return forgeError(400, 'INVALID_REQUEST_BODY', 'A batch needs at least one item.');
    }
    if (body.length > KVS_MAX_BATCH_ITEMS) {
      return forgeError(400, 'BATCH_LIMIT_EXCEEDED', `A batch holds at most ${KVS_MAX_BATCH_ITEMS} items; this one has ${body.length}. Split it.`);
    }
    const seen = new Set<string>();
    for (const item of body as Body[]) {
      const id = `${String(item.entityName ?? '')}\u0000${String(item.key)}`;
      if (seen.has(id)) return forgeError(400, 'DUPLICATE_KEYS', `The batch names the key '${String(item.key)}' more than once.`);
      seen.add(id);
    }
    return body as Body[];
  }

  private transaction(body: Body): Response {
    const sets = (body?.set ?? []) as Body[];
    const deletes = (body?.delete ?? []) as Body[];
    const checks = (body?.check ?? []) as Body[];
    const total = sets.length + deletes.length + checks.length;
    if (total === 0) return forgeError(400, 'INVALID_REQUEST_BODY', 'A transaction needs at least one operation.');
    if (total > KVS_MAX_TRANSACTION_OPERATIONS) {
      return forgeError(400, 'TRANSACTION_LIMIT_EXCEEDED', `A transaction holds at most ${KVS_MAX_TRANSACTION_OPERATIONS} operations; this one has ${total}.`);
    }
    if (checks.length > 0 || [...sets, ...deletes].some((op) => op.entityName !== undefined || op.conditions !== undefined)) {
      return forgeError(501, 'NOT_IMPLEMENTED', 'Transaction checks and custom-entity conditions are not emulated locally.');
    }
    const seen = new Set<string>();
    const writes: Array<{ ns: KvsNamespace; key: string; entry?: StoredEntry }> = [];
    for (const op of [...sets, ...deletes]) {
      const key = String(op.key);
      if (seen.has(key)) return forgeError(400, 'DUPLICATE_KEYS', `Each key may appear once per transaction; '${key}' appears twice.`);
      seen.add(key);
    }
    for (const op of sets) {
      const prepared = this.prepareSet('data', op);
      if ('violation' in prepared) return violation(prepared.violation);
      writes.push({ ns: 'data', key: prepared.key, entry: prepared.entry });
    }
    for (const op of deletes) {
      const bad = checkKey(op.key);
      if (bad) return violation(bad);
      writes.push({ ns: 'data', key: op.key as string });
    }
    this.store.apply(writes);
    return emptyResponse(204);
  }

  private prepareSet(ns: KvsNamespace, body: Body): { key: string; entry: StoredEntry } | { violation: KvsViolation } {
    const bad = checkKey(body?.key);
    if (bad) return { violation: bad };
    const checked = checkValue(body.value);
    if ('violation' in checked) return checked;
    const ttl = ttlMs((body.options as Body | undefined)?.ttl);
    if (ttl !== undefined && typeof ttl !== 'number') return { violation: ttl };
    const key = body.key as string;
    const now = this.now();
    const previous = this.store.get(ns, key);
    return {
      key,
      entry: { json: checked.json, createdAt: previous?.createdAt ?? now, updatedAt: now, expiresAt: ttl === undefined ? undefined : now + ttl },
    };
  }
}

function present(key: string, entry: StoredEntry): Body {
  return {
    key,
    value: JSON.parse(entry.json),
    createdAt: entry.createdAt,
    updatedAt: entry.updatedAt,
    ...(entry.expiresAt !== undefined ? { expireTime: new Date(entry.expiresAt).toISOString() } : {}),
  };
}

function violation(v: KvsViolation): Response {
  return forgeError(400, v.code, v.message);
}

function keyPredicate(condition: string | undefined, values: unknown[]): { test: (key: string) => boolean } | KvsViolation {
  const [a, b] = values.map(String);
  const needs = (n: number): KvsViolation | undefined =>
    values.length === n ? undefined : { code: 'INVALID_FILTER_VALUES', message: `${condition} takes ${n} value(s), got ${values.length}.` };
  const wrap = (n: number, test: (k: string) => boolean) => needs(n) ?? { test };
  switch (condition) {
    case 'BEGINS_WITH': return wrap(1, (k) => k.startsWith(a));
    case 'EQUAL_TO': return wrap(1, (k) => k === a);
    case 'GREATER_THAN': return wrap(1, (k) => compareKeys(k, a) > 0);
    case 'GREATER_THAN_EQUAL_TO': return wrap(1, (k) => compareKeys(k, a) >= 0);
    case 'LESS_THAN': return wrap(1, (k) => compareKeys(k, a) < 0);
    case 'LESS_THAN_EQUAL_TO': return wrap(1, (k) => compareKeys(k, a) <= 0);
    case 'BETWEEN': return wrap(2, (k) => compareKeys(k, a) >= 0 && compareKeys(k, b) <= 0);
    default: return { code: 'INVALID_FILTER_CONDITION', message: `The condition '${String(condition)}' is not supported for KVS queries.` };
  }
}

// Cursors are opaque to the app (base64 of a versioned last key); they stay valid across emulator restarts.
function encodeCursor(lastKey: string): string {
  return Buffer.from(`c1:${lastKey}`).toString('base64url');
}

function decodeCursor(cursor: string): string | undefined {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  return text.startsWith('c1:') ? text.slice(3) : undefined;
}
