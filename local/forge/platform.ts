import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import { PlatformTime } from './clock';
import { EmulatorConfigError, ResolverInvocationError } from './errors';
import { AsyncEvents, QueuedEvent } from './events';
import { EventQueueJournal } from './events-persistence';
import { HandlerLoader } from './handlers';
import { InvocationTokenSigner } from './invocation-token';
import { InvocationChain, InvocationKind, InvocationRecord, newChain, runInvocation } from './invocation';
import { KvsApi } from './kvs-api';
import { KvsStore } from './kvs-store';
import { LocalServer } from './local-server';
import { AppManifest, loadManifest, ResolverModule, ScheduledTriggerModule, TRIGGER_INTERVAL_MS } from './manifest';
import { ObjectInfo, ObjectStoreService } from './object-store';
import { JiraTarget, ProductRequests } from './product-requests';
import { RemoteConfig, RemoteInvoker } from './remotes';
import { proxyError } from './responses';
import { ForgeFetchTarget, installForgeGlobals } from './runtime-globals';

export interface ForgePlatformOptions {
  /** The Forge app's root: holds manifest.yml, and src/ with the handlers it names. */
  appDir: string;
  /** Where KVS and Object Store data persist (default `<appDir>/.local-data`), or 'memory' for tests. */
  dataDir?: string | 'memory';
  /** Where requestJira goes: the Jira simulator, or a real site with e-mail + API token. */
  jira?: JiraTarget;
  /** Base URL (and CA to trust) per remote key, for invokeRemote. */
  remotes?: Record<string, RemoteConfig>;
  /**
   * 'manual' (default): time stands still until `clock.advance/set`; `{ startAt }` is manual from that epoch ms.
   * 'system': follows the wall clock, and due events and triggers run by themselves (for `npm start`).
   */
  clock?: 'manual' | 'system' | { startAt: number };
  /**
   * At-least-once test mode: this share of successfully delivered events (true = 0.5) is delivered a second
   * time, and scheduled triggers fire twice with the same share. Deterministic for a given `seed`.
   */
  duplicateDelivery?: boolean | number;
  seed?: number;
  /**
   * How many due events run at once (default 1). Forge runs consumers concurrently; more than 1 lets tests
   * meet the races that brings (two workers on one job, a duplicate delivery racing its original).
   */
  eventConcurrency?: number;
  cloudId?: string;
  /** Port of the emulator's HTTP server (presigned URLs, JWKS); 0 (default) picks a free one. */
  httpPort?: number;
  /** Where platform notes go (dropped events, duplicate deliveries…); default: kept in `platform.logs` only. */
  log?: (line: string) => void;
}

export interface InvokeOptions {
  /** The Atlassian account the page's user has; omit for an anonymous call. */
  accountId?: string;
}

export interface RunReport {
  delivered: number;
  retried: number;
  dropped: number;
  triggersFired: number;
}

export interface PlatformClock {
  now(): number;
  /** Moves time forward, running every trigger and event that falls due on the way, in time order. */
  advance(ms: number): Promise<RunReport>;
  /** advance() to an epoch ms; a time in the past just sets the clock back (nothing runs). */
  set(epochMs: number): Promise<RunReport>;
}

const RESOLVER_TIMEOUT_MS = 25_000;
const DEFAULT_FUNCTION_TIMEOUT_SECONDS = 55;
const MAX_RESOLVER_REQUEST_BYTES = 500 * 1024;
const MAX_RESOLVER_RESPONSE_BYTES = 5 * 1024 * 1024;
const FIRST_TRIGGER_DELAY_MS = 5 * 60_000;

/**
 * The local Forge platform: runs a Forge app's unchanged handlers on the real @forge/* packages by
 * installing the globals they talk to, and plays the platform's part (KVS, Object Store, async events,
 * scheduled triggers, resolvers, product requests, remotes). See local/forge/README.md.
 */
export class ForgePlatform {
  readonly manifest: AppManifest;
  readonly clock: PlatformClock;
  readonly invocations: InvocationRecord[] = [];
  readonly logs: string[] = [];
  readonly cloudId: string;
  readonly installationId = randomUUID();
  readonly environmentId = randomUUID();

  private readonly time: PlatformTime;
  private readonly kvsStore: KvsStore;
  private readonly kvsApi: KvsApi;
  private readonly objectStoreService: ObjectStoreService;
  private readonly asyncEvents: AsyncEvents;
  private readonly products: ProductRequests;
  private readonly remoteInvoker: RemoteInvoker;
  private readonly signer = new InvocationTokenSigner();
  private readonly handlers: HandlerLoader;
  private readonly server = new LocalServer();
  private readonly nextTriggerAt = new Map<string, number>();
  private readonly random: () => number;
  private readonly duplicateShare: number;
  private restoreGlobals?: () => void;
  private ticker?: NodeJS.Timeout;
  private busy = false;

  private constructor(private readonly options: ForgePlatformOptions) {
    const appDir = resolve(options.appDir);
    this.manifest = loadManifest(appDir);
    this.handlers = new HandlerLoader(appDir, this.manifest);
    const clock = options.clock ?? 'manual';
    this.time = new PlatformTime(clock === 'system' ? 'system' : 'manual', typeof clock === 'object' ? clock.startAt : Date.now());
    const now = () => this.time.now();
    const dataDir = options.dataDir === 'memory' ? undefined : resolve(options.dataDir ?? join(appDir, '.local-data'));
    this.cloudId = options.cloudId ?? 'local-cloud-0000-0000-0000-000000000000';
    this.kvsStore = new KvsStore(dataDir, now);
    this.kvsApi = new KvsApi(this.kvsStore, now);
    this.objectStoreService = new ObjectStoreService(dataDir, now, () => this.server.baseUrl);
    this.products = new ProductRequests(options.jira);
    this.remoteInvoker = new RemoteInvoker(this.manifest, options.remotes ?? {}, this.signer, () => ({
      appAri: this.manifest.appAri,
      installationId: `ari:cloud:ecosystem::installation/${this.installationId}`,
      apiBaseUrl: (options.jira?.baseUrl ?? '').replace(/\/+$/, ''),
      environmentType: 'DEVELOPMENT',
      environmentId: this.environmentId,
      cloudId: this.cloudId,
    }));
    this.random = mulberry32(options.seed ?? 1);
    const share = options.duplicateDelivery;
    this.duplicateShare = share === true ? 0.5 : typeof share === 'number' ? share : 0;
    this.asyncEvents = new AsyncEvents({
      manifest: this.manifest,
      now,
      shouldDuplicate: () => this.duplicateShare > 0 && this.random() < this.duplicateShare,
      runConsumer: (queued) => this.runConsumer(queued),
      log: (line) => this.note(line),
      journal: dataDir ? new EventQueueJournal(join(dataDir, 'events.jsonl'), this.manifest) : undefined,
    });
    this.clock = {
      now,
      advance: (ms) => {
        if (!(ms >= 0)) throw new EmulatorConfigError(`clock.advance takes a duration >= 0 in ms, got ${ms}.`);
        return this.advanceTo(this.time.now() + ms);
      },
      set: async (epochMs) => {
        if (epochMs < this.time.now()) {
          this.time.jumpTo(epochMs);
          return { delivered: 0, retried: 0, dropped: 0, triggersFired: 0 };
        }
        return this.advanceTo(epochMs);
      },
    };
    const firstRun = this.time.now();
    for (const trigger of this.manifest.scheduledTriggers) {
      // Forge runs a new trigger about 5 minutes after deploy, then once per interval.
      this.nextTriggerAt.set(trigger.moduleKey, firstRun + Math.min(FIRST_TRIGGER_DELAY_MS, TRIGGER_INTERVAL_MS[trigger.interval]));
    }
  }

  static async start(options: ForgePlatformOptions): Promise<ForgePlatform> {
    const platform = new ForgePlatform(options);
    await platform.server.listen(options.httpPort ?? 0);
    platform.server.add((request, response) => platform.objectStoreService.serve(request, response));
    platform.server.add((request, response) => {
      if (request.url !== '/.well-known/jwks.json') return false;
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(platform.signer.jwks));
      return true;
    });
    try {
      platform.restoreGlobals = installForgeGlobals(
        {
          manifest: platform.manifest,
          environmentId: platform.environmentId,
          environmentType: 'DEVELOPMENT',
          installationId: platform.installationId,
          cloudId: platform.cloudId,
        },
        (target, path, init) => platform.route(target, path, init),
      );
    } catch (error) {
      await platform.server.close();
      throw error;
    }
    if (platform.time.mode === 'system') {
      platform.ticker = setInterval(() => void platform.advanceTo(platform.time.now()).catch((e) => platform.note(String(e))), 200);
      platform.ticker.unref();
    }
    return platform;
  }

  /** The emulator's HTTP server (presigned Object Store URLs live under it). */
  get baseUrl(): string {
    return this.server.baseUrl;
  }

  /** The JWKS holding the public key of the Forge Invocation Tokens sent to remotes: point the relay here. */
  get jwksUrl(): string {
    return `${this.server.baseUrl}/.well-known/jwks.json`;
  }

  /** Inspection of the emulated KVS (tests and tools; the app itself goes through @forge/kvs). */
  get kvs() {
    return {
      dump: (): Record<string, unknown> => this.kvsStore.dump('data'),
      secrets: (): Record<string, unknown> => this.kvsStore.dump('secret'),
      clear: (): void => this.kvsStore.clear(),
    };
  }

  get objectStore() {
    return {
      list: (): ObjectInfo[] => this.objectStoreService.list(),
      read: (key: string): Buffer | undefined => this.objectStoreService.read(key),
    };
  }

  get events() {
    return {
      pending: (): QueuedEvent[] => this.asyncEvents.pending(),
      deadLetters: this.asyncEvents.deadLetters,
    };
  }

  /**
   * Calls a resolver as the frontend's `invoke(functionKey, payload)` does, from the module whose resolver
   * is `key` (a function key or a module key from manifest.yml), as the given user.
   */
  async invoke<T = unknown>(key: string, functionKey: string, payload: unknown = {}, options: InvokeOptions = {}): Promise<T> {
    const module = this.resolverModule(key);
    const requestBytes = Buffer.byteLength(JSON.stringify(payload ?? {}));
    if (requestBytes > MAX_RESOLVER_REQUEST_BYTES) {
      throw new ResolverInvocationError(`The invoke payload is ${requestBytes} bytes; Forge accepts at most 500 KB from the frontend.`);
    }
    const handler = this.handlers.load(module.functionKey);
    const request = {
      call: { functionKey, payload: JSON.parse(JSON.stringify(payload ?? {})) },
      context: {
        accountId: options.accountId,
        cloudId: this.cloudId,
        moduleKey: module.moduleKey,
        localId: `${module.moduleKey}-local`,
        siteUrl: this.options.jira?.baseUrl,
        environmentId: this.environmentId,
        environmentType: 'DEVELOPMENT',
        extension: { type: module.moduleType },
      },
    };
    const backend = {
      principal: options.accountId ? { accountId: options.accountId } : undefined,
      installContext: `ari:cloud:jira::site/${this.cloudId}`,
    };
    let result: unknown;
    try {
      result = await this.run('resolver', module.functionKey, module.moduleKey, module.moduleType, newChain(), RESOLVER_TIMEOUT_MS, options.accountId, () =>
        Promise.resolve(handler(request, backend)),
      );
    } catch (error) {
      throw new ResolverInvocationError(`Resolver '${functionKey}' of ${module.moduleKey} failed: ${error instanceof Error ? error.message : String(error)}`, error);
    }
    if (result === undefined) return undefined as T;
    const text = JSON.stringify(result);
    if (Buffer.byteLength(text) > MAX_RESOLVER_RESPONSE_BYTES) {
      throw new ResolverInvocationError(`Resolver '${functionKey}' returned ${Buffer.byteLength(text)} bytes; Forge passes at most 5 MB to the frontend.`);
    }
    return JSON.parse(text) as T;
  }

  /**
   * Delivers queued events until none is left. Delayed and retrying events make the clock jump to when they
   * are due; the scheduled triggers such a jump passes over are skipped (use clock.advance to run them).
   * Throws if still busy after `maxDeliveries` (an event chain that never ends).
   */
  async runUntilIdle(options: { maxDeliveries?: number } = {}): Promise<RunReport> {
    const max = options.maxDeliveries ?? 10_000;
    const report: RunReport = { delivered: 0, retried: 0, dropped: 0, triggersFired: 0 };
    return this.exclusive(async () => {
      for (;;) {
        const next = this.asyncEvents.nextDueAt();
        if (next === undefined) return report;
        if (report.delivered + report.retried + report.dropped >= max) {
          throw new EmulatorConfigError(
            `runUntilIdle: still ${this.asyncEvents.pending().length} event(s) queued after ${max} deliveries; an event chain may never end (raise maxDeliveries if it is just long).`,
          );
        }
        if (next > this.time.now()) {
          this.time.moveTo(next);
          this.skipTriggersPassed();
        }
        await this.deliverOne(report);
      }
    });
  }

  /** Fires scheduled triggers now, whatever the clock says (all of them, or the one with this module key). */
  async fireScheduledTriggers(moduleKey?: string): Promise<number> {
    const triggers = this.manifest.scheduledTriggers.filter((t) => moduleKey === undefined || t.moduleKey === moduleKey);
    if (moduleKey !== undefined && triggers.length === 0) {
      throw new EmulatorConfigError(`No scheduledTrigger '${moduleKey}' in manifest.yml.`);
    }
    let fired = 0;
    for (const trigger of triggers) fired += await this.fireTrigger(trigger);
    return fired;
  }

  /** Restores the SDK globals and closes the emulator's server; data in a data directory stays. */
  async stop(): Promise<void> {
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = undefined;
    this.restoreGlobals?.();
    this.restoreGlobals = undefined;
    await this.server.close();
  }

  private async route(target: ForgeFetchTarget, path: string, init: RequestInit | undefined): Promise<Response> {
    switch (target.type) {
      case 'kvs':
        return this.kvsApi.handle(path, init);
      case 'os':
        return this.objectStoreService.handle(path, init);
      case 'fpp':
        if (target.remote === 'stargate') {
          if (path.startsWith('/webhook/queue/')) return this.asyncEvents.handle(path, init);
          return proxyError(501, 'NOT_EMULATED', `${path} (GraphQL / app events) is not emulated locally.`);
        }
        return this.products.request(target, path, init);
      case 'frc':
        return this.remoteInvoker.invoke(target.remote, path, init);
      default:
        return proxyError(501, 'NOT_EMULATED', `Platform calls of type '${target.type}' are not emulated locally.`);
    }
  }

  private resolverModule(key: string): ResolverModule {
    const module =
      this.manifest.resolverModules.find((m) => m.moduleKey === key) ?? this.manifest.resolverModules.find((m) => m.functionKey === key);
    if (!module) {
      const known = this.manifest.resolverModules.map((m) => `${m.moduleKey} (function ${m.functionKey})`).join(', ') || 'none';
      throw new EmulatorConfigError(`No module with a resolver named '${key}' in manifest.yml; modules with resolvers: ${known}.`);
    }
    return module;
  }

  private functionTimeoutMs(functionKey: string): number {
    return (this.manifest.functions.get(functionKey)?.timeoutSeconds ?? DEFAULT_FUNCTION_TIMEOUT_SECONDS) * 1000;
  }

  private run<T>(
    kind: InvocationKind, functionKey: string, moduleKey: string, moduleType: string,
    chain: InvocationChain, timeoutMs: number, accountId: string | undefined, body: () => Promise<T>,
  ): Promise<T> {
    return runInvocation({ kind, functionKey, moduleKey, moduleType, chain, timeoutMs, accountId }, body, (entry) => this.invocations.push(entry));
  }

  private async runConsumer(queued: QueuedEvent): Promise<unknown> {
    const { consumer, event } = queued;
    const handler = this.handlers.load(consumer.functionKey);
    const context = { installContext: `ari:cloud:jira::site/${this.cloudId}` };
    const timeoutMs = this.functionTimeoutMs(consumer.functionKey);
    return this.run('consumer', consumer.functionKey, consumer.moduleKey, 'consumer', queued.chain, timeoutMs, undefined, () => {
      if (consumer.resolverMethod) {
        const request = {
          call: { functionKey: consumer.resolverMethod, payload: event, jobId: event.jobId },
          context: { cloudId: this.cloudId, moduleKey: consumer.moduleKey },
        };
        return Promise.resolve(handler(request, context));
      }
      return Promise.resolve(handler(JSON.parse(JSON.stringify(event)), context));
    });
  }

  private async fireTrigger(trigger: ScheduledTriggerModule): Promise<number> {
    const times = this.duplicateShare > 0 && this.random() < this.duplicateShare ? 2 : 1;
    if (times === 2) this.note(`scheduled trigger ${trigger.moduleKey} fires twice (duplicate-delivery mode)`);
    const handler = this.handlers.load(trigger.functionKey);
    for (let i = 0; i < times; i++) {
      const request = { context: { cloudId: this.cloudId, moduleKey: trigger.moduleKey }, contextToken: randomUUID() };
      const context = { installContext: `ari:cloud:jira::site/${this.cloudId}` };
      try {
        await this.run('scheduledTrigger', trigger.functionKey, trigger.moduleKey, 'scheduledTrigger', newChain(), this.functionTimeoutMs(trigger.functionKey), undefined, () =>
          Promise.resolve(handler(request, context)),
        );
      } catch (error) {
        // Forge never retries a scheduled trigger: the failure is only logged (see platform.invocations).
        this.note(`scheduled trigger ${trigger.moduleKey} failed (not retried): ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return times;
  }

  /** Runs everything due up to `target` in time order (triggers before events at the same instant). */
  private advanceTo(target: number): Promise<RunReport> {
    const report: RunReport = { delivered: 0, retried: 0, dropped: 0, triggersFired: 0 };
    return this.exclusive(async () => {
      for (let steps = 0; ; steps++) {
        if (steps > 100_000) throw new EmulatorConfigError('clock.advance: over 100,000 steps; an event chain may never end.');
        const eventAt = this.asyncEvents.nextDueAt();
        const trigger = this.nextTrigger();
        const triggerAt = trigger ? this.nextTriggerAt.get(trigger.moduleKey)! : undefined;
        const at = Math.min(eventAt ?? Infinity, triggerAt ?? Infinity);
        if (at > target) break;
        this.time.moveTo(at);
        if (trigger && triggerAt === at) {
          this.nextTriggerAt.set(trigger.moduleKey, at + TRIGGER_INTERVAL_MS[trigger.interval]);
          report.triggersFired += await this.fireTrigger(trigger);
        } else {
          await this.deliverOne(report);
        }
      }
      this.time.moveTo(target);
      return report;
    });
  }

  /** Delivers the earliest due event, with up to `eventConcurrency - 1` more due ones beside it. */
  private async deliverOne(report: RunReport): Promise<void> {
    const batch: QueuedEvent[] = [];
    const width = Math.max(1, Math.floor(this.options.eventConcurrency ?? 1));
    for (let queued; batch.length < width && (queued = this.asyncEvents.takeDue(this.time.now())); ) batch.push(queued);
    const outcomes = await Promise.all(batch.map((queued) => this.asyncEvents.deliver(queued)));
    for (const outcome of outcomes) {
      if (outcome === 'delivered') report.delivered++;
      else if (outcome === 'retrying') report.retried++;
      else report.dropped++;
    }
  }

  private nextTrigger(): ScheduledTriggerModule | undefined {
    let best: ScheduledTriggerModule | undefined;
    for (const trigger of this.manifest.scheduledTriggers) {
      if (!best || this.nextTriggerAt.get(trigger.moduleKey)! < this.nextTriggerAt.get(best.moduleKey)!) best = trigger;
    }
    return best;
  }

  private skipTriggersPassed(): void {
    const now = this.time.now();
    for (const trigger of this.manifest.scheduledTriggers) {
      let at = this.nextTriggerAt.get(trigger.moduleKey)!;
      while (at <= now) at += TRIGGER_INTERVAL_MS[trigger.interval];
      this.nextTriggerAt.set(trigger.moduleKey, at);
    }
  }

  /** One driver of time at once: a runUntilIdle and a clock.advance (or the system ticker) must not interleave. */
  private async exclusive<T>(body: () => Promise<T>): Promise<T> {
    while (this.busy) await new Promise((r) => setTimeout(r, 5));
    this.busy = true;
    try {
      return await body();
    } finally {
      this.busy = false;
    }
  }

  private note(line: string): void {
    this.logs.push(line);
    this.options.log?.(line);
  }
}

/** Small seeded PRNG: duplicate-delivery choices repeat run after run. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
