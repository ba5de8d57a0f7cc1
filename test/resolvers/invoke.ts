import type { ResolverResult } from '../../src/core/admin';

type ResolverFunction = (request: { call: { functionKey: string; payload?: unknown }; context: Record<string, unknown> }, runtime: unknown) => Promise<unknown>;

/** Calls a resolver the way the Forge runtime does: the payload in `call`, the user in the runtime's `principal`. */
export async function invokeAs<T = unknown>(resolver: unknown, accountId: string | undefined, functionKey: string, payload: Record<string, unknown> = {}) {
  const runtime = accountId ? { principal: { accountId } } : {};
  return (await (resolver as ResolverFunction)({ call: { functionKey, payload }, context: { moduleKey: 'backup-center-admin-page' } }, runtime)) as ResolverResult<T>;
}
