import { currentInvocation } from './invocation';
import { sendHttp } from './http-client';
import { proxyError } from './responses';
import type { ForgeFetchTarget } from './runtime-globals';

export interface JiraTarget {
  /** The Jira simulator (`http://127.0.0.1:<port>`) or a real site (`https://<site>.atlassian.net`). */
  baseUrl: string;
  /** With apiToken: Basic auth to a real site (asUser calls then also run as this account). */
  email?: string;
  apiToken?: string;
}

/** The header the Jira simulator reads to know which user an asUser request runs as. */
export const EMULATOR_ACCOUNT_HEADER = 'x-emulator-account-id';

/**
 * Routes `requestJira` (asApp, asUser, and the bare form, which Forge runs as the app) to the configured
 * Jira. Contract with local/jira-sim: asUser requests carry `x-emulator-account-id: <accountId>`, asApp ones
 * do not (the simulator treats those as the app's own user).
 */
export class ProductRequests {
  private readonly base: string;
  private readonly authorization?: string;

  constructor(private readonly jira: JiraTarget | undefined) {
    this.base = (jira?.baseUrl ?? '').replace(/\/+$/, '');
    if (jira && (jira.email === undefined) !== (jira.apiToken === undefined)) {
      throw new Error('jira: pass both email and apiToken (a real site), or neither (the Jira simulator).');
    }
    if (jira?.email) this.authorization = `Basic ${Buffer.from(`${jira.email}:${jira.apiToken}`).toString('base64')}`;
  }

  async request(target: ForgeFetchTarget, path: string, init: RequestInit | undefined): Promise<Response> {
    if (target.remote !== 'jira') {
      return proxyError(400, 'UNSUPPORTED_PRODUCT', `Only Jira product requests are emulated; got '${String(target.remote)}'.`);
    }
    if (!this.jira) {
      return proxyError(502, 'JIRA_NOT_CONFIGURED', 'No Jira is configured: start the platform with jira: { baseUrl } (the simulator or a real site).');
    }
    const headers = new Headers(init?.headers);
    if (target.provider === 'user') {
      const accountId = target.accountId ?? currentInvocation()?.accountId;
      if (!accountId) {
        // What Forge answers when asUser() runs without a user in context (scheduled triggers, consumers).
        return proxyError(401, 'NEEDS_AUTHENTICATION_ERR', 'asUser() was called in an invocation without a user.');
      }
      if (!this.authorization) headers.set(EMULATOR_ACCOUNT_HEADER, accountId);
    }
    if (this.authorization) headers.set('authorization', this.authorization);
    const url = this.base + (path.startsWith('/') ? path : `/${path}`);
    try {
      return await sendHttp(url, { ...init, headers });
    } catch (error) {
      throw new Error(
        `Jira at ${this.base} did not answer ${init?.method ?? 'GET'} ${path} (${(error as Error).message}): ` +
          'start the Jira simulator (npm run jira-sim) or fix jira.baseUrl.',
        { cause: error },
      );
    }
  }
}
