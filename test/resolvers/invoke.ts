import type { ForgePlatform } from '../../local/forge';
import { createHttpJiraClient } from '../../src/adapters/jira/http-jira-client';
import type { ResolverResult } from '../../src/core/admin';
import type { JiraClient } from '../../src/ports';

type ResolverFunction = (request: { call: { functionKey: string; payload?: unknown }; context: Record<string, unknown> }, runtime: unknown) => Promise<unknown>;

/** Calls a resolver the way the Forge runtime does: the payload in `call`, the user in the runtime's `principal`. */
export async function invokeAs<T = unknown>(resolver: unknown, accountId: string | undefined, functionKey: string, payload: Record<string, unknown> = {}) {
  const runtime = accountId ? { principal: { accountId } } : {};
  return (await (resolver as ResolverFunction)({ call: { functionKey, payload }, context: { moduleKey: 'backup-center-admin-page' } }, runtime)) as ResolverResult<T>;
}

/** A Jira client acting as a user of the Jira simulator (it reads the account from a header), as asUser requests do. */
export function asSimulatorUser(baseUrl: string, accountId: string | undefined): JiraClient {
  const client = createHttpJiraClient({ baseUrl });
  return {
    request: (request) => client.request({ ...request, headers: { ...request.headers, ...(accountId ? { 'x-emulator-account-id': accountId } : {}) } }),
  };
}

/**
 * Calls the admin page's resolver through the emulator as a user, the way the page does; a failed call throws its
 * error. Getters, because tests start the platform and the simulator (which names the admin) in beforeAll.
 */
export function adminPageCaller(platform: () => ForgePlatform, accountId: () => string) {
  return async <T>(key: string, payload: Record<string, unknown> = {}): Promise<T> => {
    const answer = await platform().invoke<{ ok: boolean; data: T; error?: unknown }>('backup-center-admin-page', key, payload, { accountId: accountId() });
    if (!answer.ok) throw new Error(`${key} failed: ${JSON.stringify(answer.error)}`);
    return answer.data;
  };
}
