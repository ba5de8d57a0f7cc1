import type { SiteTimeZone } from '../../core/admin';
import { usableTimeZone } from '../../core/admin';
import type { JiraClient } from '../../ports';

/** The site's time zone (GET /rest/api/3/serverInfo `serverTimeZone`), UTC when Jira does not say or says something unknown. */
export function siteTimeZoneFrom(jiraAsApp: JiraClient): SiteTimeZone {
  return async () => {
    const response = await jiraAsApp.request({ method: 'GET', path: '/rest/api/3/serverInfo' });
    if (response.status !== 200) return 'UTC';
    const body = await response.json<{ serverTimeZone?: string }>();
    return usableTimeZone(body.serverTimeZone);
  };
}
