import { randomUUID } from 'node:crypto';
import { assertInvocationAlive, currentInvocation } from './invocation';
import type { AppManifest } from './manifest';

/** The target object @forge/* passes as the first argument of `__forge_fetch__`. */
export interface ForgeFetchTarget {
  type: string;
  provider?: string;
  remote?: string;
  accountId?: string;
  service?: string;
  contextAri?: string;
}

export type ForgeFetch = (target: ForgeFetchTarget, path: string, init?: RequestInit) => Promise<Response>;

export interface RuntimeIdentity {
  manifest: AppManifest;
  environmentId: string;
  environmentType: string;
  installationId: string;
  cloudId: string;
}

type GlobalSlots = { __forge_runtime__?: unknown; __forge_fetch__?: unknown };

/**
 * Installs the two globals the real SDK packages reach the platform through, and gives back a function that
 * puts the previous values back. `__forge_runtime__` answers per invocation (AsyncLocalStorage), so several
 * invocations in flight each see their own appContext and remaining time.
 */
export function installForgeGlobals(identity: RuntimeIdentity, route: ForgeFetch): () => void {
  const slots = globalThis as GlobalSlots;
  const previous = { runtime: slots.__forge_runtime__, fetch: slots.__forge_fetch__ };
  if (previous.fetch !== undefined) {
    throw new Error(
      'Another Forge platform emulator is already running in this process: stop() it before starting a new one ' +
        '(the SDK globals __forge_runtime__ / __forge_fetch__ can only point at one platform).',
    );
  }
  slots.__forge_runtime__ = createRuntime(identity);
  slots.__forge_fetch__ = async (target: ForgeFetchTarget, path: string, init?: RequestInit) => {
    assertInvocationAlive();
    return route(target, path, init);
  };
  return () => {
    slots.__forge_runtime__ = previous.runtime;
    slots.__forge_fetch__ = previous.fetch;
  };
}

const noopTimer = { measure: () => ({ stop: () => undefined }) };
const noopMetrics = {
  counter: () => ({ incr: () => undefined, decr: () => undefined }),
  timing: () => noopTimer,
  gauge: () => ({ set: () => undefined }),
};

function createRuntime(identity: RuntimeIdentity): unknown {
  const { manifest } = identity;
  const outside = { id: 'outside-invocation', functionKey: '', moduleKey: '', moduleType: '' };
  return {
    proxy: { token: 'local-emulator', url: 'http://forge-emulator.invalid' },
    contextAri: `ari:cloud:jira::site/${identity.cloudId}`,
    container: { runtime: 'nodejs22.x' },
    get appContext() {
      const invocation = currentInvocation() ?? outside;
      return {
        appId: manifest.appId,
        appVersion: '1.0.0',
        environmentId: identity.environmentId,
        environmentType: identity.environmentType,
        invocationId: invocation.id,
        installationId: identity.installationId,
        functionKey: invocation.functionKey,
        moduleType: invocation.moduleType,
        moduleKey: invocation.moduleKey,
        license: undefined,
        installation: undefined,
        permissions: { scopes: manifest.scopes, external: {} },
      };
    },
    get aaid() {
      return currentInvocation()?.accountId;
    },
    lambdaContext: {
      get awsRequestId() {
        return currentInvocation()?.id ?? 'outside-invocation';
      },
      // Outside an invocation (test code calling the SDK directly) there is no deadline: report Forge's longest.
      getRemainingTimeInMillis: () => {
        const invocation = currentInvocation();
        return invocation ? Math.max(0, invocation.deadline - Date.now()) : 900_000;
      },
    },
    tracing: { traceId: randomUUID().replace(/-/g, ''), spanId: randomUUID().slice(0, 16) },
    realtime: {},
    metrics: noopMetrics,
    featureFlags: () => false,
  };
}
