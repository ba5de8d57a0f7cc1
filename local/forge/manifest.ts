import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { EmulatorConfigError } from './errors';

/** The parts of manifest.yml the emulator acts on, resolved and validated once at start. */
export interface AppManifest {
  /** `ari:cloud:ecosystem::app/<uuid>` as written in manifest.yml. */
  appAri: string;
  /** The uuid part of appAri (what `__forge_runtime__.appContext.appId` holds). */
  appId: string;
  functions: Map<string, FunctionDefinition>;
  /** Modules whose frontend calls a resolver function (jira:adminPage, …). */
  resolverModules: ResolverModule[];
  consumers: ConsumerModule[];
  scheduledTriggers: ScheduledTriggerModule[];
  remotes: Map<string, { key: string; baseUrl?: string }>;
  scopes: string[];
}

export interface FunctionDefinition {
  key: string;
  /** `index.resolver` → module `index`, export `resolver`. */
  handler: string;
  /** As declared; undefined means Forge's default (55 s). */
  timeoutSeconds?: number;
}

export interface ResolverModule {
  moduleType: string;
  moduleKey: string;
  functionKey: string;
}

export interface ConsumerModule {
  moduleKey: string;
  queue: string;
  functionKey: string;
  /** Set when the consumer uses `resolver: {function, method}`: the resolver key the event is delivered to. */
  resolverMethod?: string;
}

export type TriggerInterval = 'fiveMinute' | 'hour' | 'day' | 'week';

export interface ScheduledTriggerModule {
  moduleKey: string;
  functionKey: string;
  interval: TriggerInterval;
}

export const TRIGGER_INTERVAL_MS: Record<TriggerInterval, number> = {
  fiveMinute: 5 * 60_000,
  hour: 60 * 60_000,
  day: 24 * 60 * 60_000,
  week: 7 * 24 * 60 * 60_000,
};

type Yaml = Record<string, unknown>;

export function loadManifest(appDir: string): AppManifest {
  const file = join(appDir, 'manifest.yml');
  if (!existsSync(file)) {
    throw new EmulatorConfigError(`No manifest.yml in ${appDir}: pass the Forge app's root directory as appDir.`);
  }
  let doc: Yaml;
  try {
    doc = parse(readFileSync(file, 'utf8')) as Yaml;
  } catch (error) {
    throw new EmulatorConfigError(`${file} is not valid YAML: ${(error as Error).message}`);
  }
  return parseManifest(doc, file);
}

export function parseManifest(doc: Yaml, file = 'manifest.yml'): AppManifest {
  const fail = (what: string): never => {
    throw new EmulatorConfigError(`${file}: ${what}`);
  };
  const app = (doc.app ?? {}) as Yaml;
  const appAri = typeof app.id === 'string' ? app.id : fail('app.id is missing (ari:cloud:ecosystem::app/<uuid>).');
  const appId = appAri.replace(/^ari:cloud:ecosystem::app\//, '');
  const modules = (doc.modules ?? {}) as Record<string, Yaml[]>;

  const functions = new Map<string, FunctionDefinition>();
  for (const fn of modules.function ?? []) {
    const key = String(fn.key ?? fail('a function module has no key.'));
    const handler = String(fn.handler ?? fail(`function '${key}' has no handler.`));
    if (!/^[^.]+(\/[^.]+)*\.[A-Za-z_$][\w$]*$/.test(handler)) {
      fail(`function '${key}' handler '${handler}' is not '<file>.<export>' (e.g. index.run).`);
    }
    const timeout = fn.timeoutSeconds;
    if (timeout !== undefined && (typeof timeout !== 'number' || timeout < 1 || timeout > 900)) {
      fail(`function '${key}' timeoutSeconds must be a number from 1 to 900, got ${String(timeout)}.`);
    }
    functions.set(key, { key, handler, timeoutSeconds: timeout as number | undefined });
  }
  const requireFunction = (key: unknown, where: string): string => {
    if (typeof key !== 'string' || !functions.has(key)) fail(`${where} names function '${String(key)}', which is not declared under modules.function.`);
    return key as string;
  };

  const resolverModules: ResolverModule[] = [];
  const consumers: ConsumerModule[] = [];
  const scheduledTriggers: ScheduledTriggerModule[] = [];
  for (const [moduleType, entries] of Object.entries(modules)) {
    if (moduleType === 'function' || !Array.isArray(entries)) continue;
    for (const entry of entries) {
      const moduleKey = String(entry.key ?? fail(`a ${moduleType} module has no key.`));
      if (moduleType === 'consumer') {
        const resolver = entry.resolver as Yaml | undefined;
        const functionKey = requireFunction(resolver ? resolver.function : entry.function, `consumer '${moduleKey}'`);
        const queue = String(entry.queue ?? fail(`consumer '${moduleKey}' has no queue.`));
        consumers.push({ moduleKey, queue, functionKey, resolverMethod: resolver ? String(resolver.method) : undefined });
      } else if (moduleType === 'scheduledTrigger') {
        const interval = entry.interval as TriggerInterval;
        if (!(interval in TRIGGER_INTERVAL_MS)) fail(`scheduledTrigger '${moduleKey}' interval must be fiveMinute, hour, day or week.`);
        scheduledTriggers.push({ moduleKey, interval, functionKey: requireFunction(entry.function, `scheduledTrigger '${moduleKey}'`) });
      } else {
        const resolver = entry.resolver as Yaml | undefined;
        if (resolver && resolver.function !== undefined) {
          resolverModules.push({ moduleType, moduleKey, functionKey: requireFunction(resolver.function, `${moduleType} '${moduleKey}'`) });
        }
      }
    }
  }

  const remotes = new Map<string, { key: string; baseUrl?: string }>();
  for (const remote of (doc.remotes ?? []) as Yaml[]) {
    const key = String(remote.key);
    const baseUrl = typeof remote.baseUrl === 'string' ? remote.baseUrl : (remote.baseUrl as Yaml | undefined)?.default;
    remotes.set(key, { key, baseUrl: typeof baseUrl === 'string' ? baseUrl : undefined });
  }
  const permissions = (doc.permissions ?? {}) as Yaml;
  const scopes = Array.isArray(permissions.scopes) ? (permissions.scopes as string[]) : [];
  return { appAri, appId, functions, resolverModules, consumers, scheduledTriggers, remotes, scopes };
}
