/**
 * Test wiring for the backup engine: fakes of KeyValue and JobQueue that enforce Forge's limits (so a test fails
 * when the engine would fail on Forge), the real in-memory store, and the real Jira simulator over HTTP through
 * the real governor. Nothing here is mocked: the fakes are small working implementations.
 */
import type { BackupStore, Clock, JobEvent, JobQueue, KeyValue, KeyValueOperation, KeyValuePage } from '../../src/ports';
import { MemoryStore } from '../../src/adapters/storage/memory-store';
import { createHttpJiraClient } from '../../src/adapters/jira/http-jira-client';
import { createRateLimitGovernor } from '../../src/adapters/jira/rate-limit-governor';
import { runStep } from '../../src/core/backup';
import type { BackupDeps, BackupLimits, BackupStepEvent, StepOutcome } from '../../src/core/backup';
import { isBackupStepEvent } from '../../src/core/backup';
import { startJiraSimulator, type JiraSimulator, type SimulatorOptions } from '../../local/jira-sim/server';
import { defaultPlan } from '../../src/core/plans/defaults';
import type { BackupPlan } from '../../src/core/plans/plan';
import { listSnapshots, readIndex, readRecords, type SnapshotManifest, type SnapshotRecord } from '../../src/core/format';

const KEY_PATTERN = /^(?!\s+$)[a-zA-Z0-9:._\s\-#]+$/;
const MAX_VALUE_BYTES = 240 * 1024;

/** A Map-backed KeyValue with Forge's key pattern, value size and transaction limits. */
export class MapKeyValue implements KeyValue {
  readonly data = new Map<string, string>();
  writes = 0;
  /** Throws this error on the n-th next write (counting from 1), to simulate a crash mid-step. */
  failOnWrite?: { countdown: number; error: Error };
  /**
   * Awaited before every operation when set: a test makes it yield a varying number of macrotasks so concurrent
   * callers interleave between their reads and writes as they would over the network.
   */
  jitter?: () => Promise<void>;

  async get<T>(key: string): Promise<T | undefined> {
    await this.jitter?.();
    const raw = this.data.get(check(key));
    return raw === undefined ? undefined : (JSON.parse(raw) as T);
  }
  async set<T>(key: string, value: T): Promise<void> {
    await this.jitter?.();
    this.beforeWrite();
    this.data.set(check(key), encode(key, value));
  }
  async delete(key: string): Promise<void> {
    await this.jitter?.();
    this.beforeWrite();
    this.data.delete(check(key));
  }
  async list<T>(prefix: string, options: { cursor?: string; limit?: number } = {}): Promise<KeyValuePage<T>> {
    await this.jitter?.();
    const keys = [...this.data.keys()].filter((k) => k.startsWith(prefix) && (!options.cursor || k > options.cursor)).sort();
    const page = keys.slice(0, options.limit ?? 100);
    return {
      entries: page.map((key) => ({ key, value: JSON.parse(this.data.get(key)!) as T })),
      ...(keys.length > page.length ? { nextCursor: page[page.length - 1] } : {}),
    };
  }
  async transact(operations: KeyValueOperation[]): Promise<void> {
    if (operations.length > 25) throw new Error(`KVS transaction of ${operations.length} operations (Forge allows 25).`);
    await this.jitter?.();
    this.beforeWrite();
    const encoded = operations.map((op) => (op.op === 'set' ? { ...op, raw: encode(op.key, op.value) } : op));
    for (const op of encoded) {
      if (op.op === 'set') this.data.set(check(op.key), (op as { raw: string }).raw);
      else this.data.delete(check(op.key));
    }
  }
  /** Atomic like Forge's FAIL_IF_EXISTS: the check and the write happen in one turn of the event loop. */
  async createIfAbsent<T>(key: string, value: T): Promise<boolean> {
    await this.jitter?.();
    this.beforeWrite();
    if (this.data.has(check(key))) return false;
    this.data.set(key, encode(key, value));
    return true;
  }
  private beforeWrite(): void {
    this.writes++;
    if (this.failOnWrite && --this.failOnWrite.countdown === 0) {
      const { error } = this.failOnWrite;
      this.failOnWrite = undefined;
      throw error;
    }
  }
}

function check(key: string): string {
  if (key.length > 500 || !KEY_PATTERN.test(key)) throw new Error(`Invalid KVS key "${key}" (Forge: ≤ 500 chars of [a-zA-Z0-9:._\\s-#]).`);
  return key;
}

function encode(key: string, value: unknown): string {
  const raw = JSON.stringify(value);
  if (Buffer.byteLength(raw) > MAX_VALUE_BYTES) throw new Error(`KVS value for ${key} is ${Buffer.byteLength(raw)} bytes (Forge allows 240 KiB).`);
  return raw;
}

/** Events pushed but not yet delivered, with Forge's push limits checked. */
export class ArrayQueue implements JobQueue {
  readonly pending: { event: JobEvent; delaySeconds?: number }[] = [];
  pushes = 0;
  async push(events: JobEvent[], options?: { delaySeconds?: number }): Promise<void> {
    if (events.length > 50) throw new Error(`push of ${events.length} events (Forge allows 50).`);
    for (const event of events) {
      const size = Buffer.byteLength(JSON.stringify(event));
      if (size > 100 * 1024) throw new Error(`event of ${size} bytes (Forge allows 100 KB for long consumers).`);
    }
    if (options?.delaySeconds !== undefined && (options.delaySeconds < 0 || options.delaySeconds > 900)) {
      throw new Error(`delayInSeconds ${options.delaySeconds} (Forge allows 0–900).`);
    }
    this.pushes++;
    for (const event of events) this.pending.push({ event, delaySeconds: options?.delaySeconds });
  }
}

/** Wall-clock time plus an offset the test can move forward (delays, leases, stall detection). */
export class SteppingClock implements Clock {
  /**
   * Starts ten minutes past a fixed hour, whatever the wall clock says: Jira's points quota resets at the top of each
   * hour, so a test that ran at hh:59 would see the reset a minute away and never pause (the quota test did, at random).
   */
  offset = Date.UTC(2026, 10, 26, 12, 10) - Date.now();
  now(): number {
    return Date.now() + this.offset;
  }
}

export interface Harness {
  sim: JiraSimulator;
  store: MemoryStore;
  kv: MapKeyValue;
  queue: ArrayQueue;
  clock: SteppingClock;
  deps: BackupDeps;
  stop(): Promise<void>;
}

export async function startHarness(options: { sim?: SimulatorOptions; limits?: Partial<BackupLimits>; store?: MemoryStore; maxRetries?: number } = {}): Promise<Harness> {
  const clock = new SteppingClock();
  // The simulator shares the engine's clock: moving it (event delays, leases) moves Jira's time and quota windows too.
  const sim = await startJiraSimulator({ port: 0, now: () => clock.now(), ...options.sim });
  const store = options.store ?? new MemoryStore({ maxObjectBytes: 1024 * 1024 });
  const kv = new MapKeyValue();
  const queue = new ArrayQueue();
  // Virtual sleeps: the governor's waits move the shared clock (the simulator's burst windows and quota hours
  // move with it), so 2–16 s backoffs and Retry-After cost no real time.
  const jira = createRateLimitGovernor(createHttpJiraClient({ baseUrl: sim.baseUrl }), {
    clock,
    sleep: async (ms) => {
      clock.offset += ms;
      await new Promise((resolve) => setImmediate(resolve));
    },
    maxConcurrency: 8,
    maxRetries: options.maxRetries,
  });
  const deps: BackupDeps = { jira, store, kv, queue, clock, limits: options.limits };
  return { sim, store, kv, queue, clock, deps, stop: () => sim.stop() };
}

export function testPlan(overrides: Partial<BackupPlan> = {}): BackupPlan {
  return { ...defaultPlan('plan-1', 'Test plan'), ...overrides };
}

/**
 * Delivers queued events until the job finishes, like the Forge queue would: a step that throws is delivered
 * again (at-least-once); a `retry-later` outcome is redelivered after moving the clock.
 */
export async function drain(h: Harness, options: { maxDeliveries?: number; remainingMs?: number; onThrow?: (error: unknown) => void } = {}): Promise<StepOutcome[]> {
  const outcomes: StepOutcome[] = [];
  for (let n = 0; n < (options.maxDeliveries ?? 10_000); n++) {
    const next = h.queue.pending.shift();
    if (!next) return outcomes;
    if (next.delaySeconds) h.clock.offset += next.delaySeconds * 1000;
    if (!isBackupStepEvent(next.event)) throw new Error(`unexpected event ${JSON.stringify(next.event)}`);
    try {
      const outcome = await runStep(h.deps, next.event as BackupStepEvent, { remainingMs: options.remainingMs ?? 900_000 });
      outcomes.push(outcome);
      if (outcome.action === 'retry-later') {
        h.clock.offset += outcome.afterSeconds * 1000;
        h.queue.pending.push({ event: next.event });
      }
    } catch (error) {
      options.onThrow?.(error);
      // The platform redelivers a failed event, after a backoff.
      h.clock.offset += 30_000;
      h.queue.pending.push({ event: next.event });
    }
  }
  throw new Error('the job did not finish within maxDeliveries');
}

export interface SnapshotContents {
  manifest: SnapshotManifest;
  records: Map<string, SnapshotRecord>;
}

/** The newest committed snapshot with every record read back (and verified) through the format layer. */
export async function latestSnapshot(store: BackupStore): Promise<SnapshotContents> {
  const { manifests } = await listSnapshots(store);
  const manifest = manifests[manifests.length - 1];
  if (!manifest) throw new Error('no snapshot was committed');
  const records = new Map<string, SnapshotRecord>();
  for await (const { record } of readRecords(store, await readIndex(store, manifest, 'all'))) {
    records.set(`${record.type}/${record.id}`, record);
  }
  return { manifest, records };
}

export function recordsOfType(contents: SnapshotContents, type: string): SnapshotRecord[] {
  return [...contents.records.values()].filter((r) => r.type === type).sort((a, b) => Number(a.id) - Number(b.id) || a.id.localeCompare(b.id));
}
