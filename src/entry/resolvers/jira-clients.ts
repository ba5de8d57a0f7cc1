import api, { assumeTrustedRoute } from '@forge/api';
import type { SiteTimeZone } from '../../core/admin';
import { usableTimeZone } from '../../core/admin';
import type { JiraClient, JiraRequest, JiraResponse } from '../../ports';

/**
 * The resolvers' few Jira reads through Forge: as the user who opened the page (`api.asUser()`) for the administrator
 * check, which must not run as the app, and as the app for the site's time zone. GET only, by design.
 */
export function forgeJiraReader(as: 'user' | 'app'): JiraClient {
  return {
    async request(request: JiraRequest): Promise<JiraResponse> {
      if (request.method !== 'GET') throw new Error(`forgeJiraReader only reads (got ${request.method} ${request.path}).`);
      const query = new URLSearchParams();
      for (const [name, value] of Object.entries(request.query ?? {})) if (value !== undefined) query.set(name, String(value));
      const search = query.toString();
      // The path and query come from the app's own code (the permission check), never from the page: trusted.
      const response = await (as === 'user' ? api.asUser() : api.asApp()).requestJira(assumeTrustedRoute(`${request.path}${search ? `?${search}` : ''}`), {
        headers: { accept: 'application/json' },
      });
      const text = await response.text();
      const headers: Record<string, string> = {};
      response.headers.forEach((value: string, name: string) => {
        headers[name.toLowerCase()] = value;
      });
      return {
        status: response.status,
        headers,
        json: async <T>() => JSON.parse(text) as T,
        text: async () => text,
        bytes: async () => new TextEncoder().encode(text),
      };
    },
  };
}

/** The site's time zone (GET /rest/api/3/serverInfo `serverTimeZone`), UTC when Jira does not say or says something unknown. */
export function siteTimeZoneFrom(jiraAsApp: JiraClient): SiteTimeZone {
  return async () => {
    const response = await jiraAsApp.request({ method: 'GET', path: '/rest/api/3/serverInfo' });
    if (response.status !== 200) return 'UTC';
    const body = await response.json<{ serverTimeZone?: string }>();
    return usableTimeZone(body.serverTimeZone);
  };
}
