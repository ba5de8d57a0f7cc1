import Resolver from '@forge/resolver';
import { AdminError, requireJiraAdmin, STATUS_OF, type ResolverResult } from '../../core/admin';
import type { AdminAppFactory, AdminHandler } from './admin-app';
import { adminHandlers } from './admin-handlers';
import { restoreHandlers } from './restore-resolvers';

/** Forge stops a resolver at 25 s; answering a little earlier lets the page show a useful message instead of a timeout. */
export const RESOLVER_DEADLINE_MS = 23_000;

export interface ResolverOptions {
  deadlineMs?: number;
  /** Where unexpected errors are reported (Forge: console → the app's logs). */
  logError?: (message: string, error: unknown) => void;
}

/**
 * Builds the admin page's resolver function. EVERY key, including restore keys added later, first checks that the
 * calling user is a Jira administrator, then runs its handler under the deadline, and always answers with a
 * ResolverResult envelope so the page can show field messages and clear errors.
 */
export function createAdminResolver(makeApp: AdminAppFactory, options: ResolverOptions = {}) {
  const resolver = new Resolver();
  const handlers: Record<string, AdminHandler> = { ...adminHandlers, ...restoreHandlers };
  for (const [key, handler] of Object.entries(handlers)) {
    resolver.define(key, async ({ payload, context }) => {
      const accountId = typeof context?.accountId === 'string' ? context.accountId : undefined;
      return answer(key, options, async () => {
        const app = await makeApp({ accountId });
        await requireJiraAdmin(app.jiraAsUser, accountId);
        return handler(app, isRecord(payload) ? payload : {}, accountId!);
      });
    });
  }
  return resolver.getDefinitions();
}

async function answer(key: string, options: ResolverOptions, work: () => Promise<unknown>): Promise<ResolverResult<unknown>> {
  const deadlineMs = options.deadlineMs ?? RESOLVER_DEADLINE_MS;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new AdminError('unavailable', 'This took too long to answer. Reload the page in a moment; background work carries on.')),
      deadlineMs,
    );
  });
  try {
    const data = await Promise.race([work(), deadline]);
    return { ok: true, data: data === undefined ? null : data };
  } catch (error) {
    if (error instanceof AdminError) {
      return { ok: false, error: { code: error.code, status: STATUS_OF[error.code], message: error.message, fields: error.fields } };
    }
    (options.logError ?? defaultLog)(`Resolver ${key} failed`, error);
    return {
      ok: false,
      error: { code: 'internal', status: 500, message: `Something went wrong (${(error as Error)?.message ?? String(error)}). Try again; if it keeps failing, check the app's logs.`, fields: [] },
    };
  } finally {
    clearTimeout(timer);
  }
}

function defaultLog(message: string, error: unknown): void {
  console.error(message, error);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}
