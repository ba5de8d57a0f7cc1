import type { HttpMethod } from '../../ports';

/**
 * Every Jira route the backup engine calls, in one table, so that (1) a test checks each one against the
 * official OpenAPI specs (path template + method exist, test/jira-adapter/routes.test.ts) and (2) the Forge
 * scopes can be reviewed in one place. Code builds paths with `jiraPath(name, params)`, never by hand.
 */
export interface JiraRoute {
  method: HttpMethod;
  template: string;
  /** Which spec holds it: the platform API or Jira Software (agile). */
  spec: 'platform' | 'software';
  why: string;
}

const P = (method: HttpMethod, template: string, why: string): JiraRoute => ({ method, template: `/rest/api/3${template}`, spec: 'platform', why });
const A = (method: HttpMethod, template: string, why: string): JiraRoute => ({ method, template: `/rest/agile/1.0${template}`, spec: 'software', why });

export const JIRA_ROUTES = {
  myself: P('GET', '/myself', "the app user's time zone, for JQL date literals"),
  projectSearch: P('GET', '/project/search', 'projects (paged, with description, lead, issue types)'),
  projectComponents: P('GET', '/project/{projectIdOrKey}/component', 'components (paged)'),
  projectVersions: P('GET', '/project/{projectIdOrKey}/version', 'versions (paged)'),
  projectRoles: P('GET', '/project/{projectIdOrKey}/role', 'role names → role URLs'),
  projectRole: P('GET', '/project/{projectIdOrKey}/role/{id}', 'one role with its actors'),
  projectPropertyKeys: P('GET', '/project/{projectIdOrKey}/properties', 'project property keys'),
  projectProperty: P('GET', '/project/{projectIdOrKey}/properties/{propertyKey}', 'one project property'),
  issueTypes: P('GET', '/issuetype', 'issue types'),
  statuses: P('GET', '/statuses/search', 'statuses (paged)'),
  workflows: P('GET', '/workflows/search', 'workflows with transitions (paged)'),
  workflowSchemes: P('GET', '/workflowscheme', 'workflow schemes (paged)'),
  fields: P('GET', '/field', 'all fields, system and custom'),
  fieldContexts: P('GET', '/field/{fieldId}/context', 'contexts of a custom field (paged)'),
  fieldContextOptions: P('GET', '/field/{fieldId}/context/{contextId}/option', 'options of a field context (paged)'),
  priorities: P('GET', '/priority/search', 'priorities (paged)'),
  resolutions: P('GET', '/resolution/search', 'resolutions (paged)'),
  issueLinkTypes: P('GET', '/issueLinkType', 'issue link types'),
  users: P('GET', '/users/search', 'all users, active and inactive (startAt paging, array)'),
  groups: P('GET', '/group/bulk', 'groups (paged)'),
  groupMembers: P('GET', '/group/member', 'members of a group (paged)'),
  filters: P('GET', '/filter/search', 'filters with JQL, owner and sharing (paged)'),
  dashboards: P('GET', '/dashboard/search', 'dashboards with owner and sharing (paged)'),
  boards: A('GET', '/board', 'boards (paged)'),
  boardConfiguration: A('GET', '/board/{boardId}/configuration', 'board columns, filter, rank field'),
  boardSprints: A('GET', '/board/{boardId}/sprint', 'sprints of a board (paged)'),
  searchJql: P('GET', '/search/jql', 'issues of a project, all fields, nextPageToken paging'),
  approximateCount: P('POST', '/search/approximate-count', 'how many issues a JQL matches (deleted-issue check)'),
  bulkChangelogs: P('POST', '/changelog/bulkfetch', 'full changelogs of up to 1000 issues per call'),
  issueComments: P('GET', '/issue/{issueIdOrKey}/comment', 'comments with their properties (paged)'),
  issueWorklogs: P('GET', '/issue/{issueIdOrKey}/worklog', 'worklogs with their properties (paged)'),
  remoteLinks: P('GET', '/issue/{issueIdOrKey}/remotelink', 'remote links of an issue'),
  watchers: P('GET', '/issue/{issueIdOrKey}/watchers', 'watchers (only when watchCount > 0)'),
  votes: P('GET', '/issue/{issueIdOrKey}/votes', 'voters (only when votes > 0)'),
  issuePropertyKeys: P('GET', '/issue/{issueIdOrKey}/properties', 'issue property keys'),
  issueProperty: P('GET', '/issue/{issueIdOrKey}/properties/{propertyKey}', 'one issue property'),
  attachmentContent: P('GET', '/attachment/content/{id}', 'attachment bytes in Range chunks (redirect=false)'),
} satisfies Record<string, JiraRoute>;

export type JiraRouteName = keyof typeof JIRA_ROUTES;

/** Fills a route template; every placeholder must be given (a missing one is a programming error). */
export function jiraPath(name: JiraRouteName, params: Record<string, string | number> = {}): string {
  const route = JIRA_ROUTES[name];
  return route.template.replace(/\{(\w+)\}/g, (_, key: string) => {
    const value = params[key];
    if (value === undefined) throw new Error(`Jira route ${name} (${route.template}) needs a value for {${key}}.`);
    return encodeURIComponent(String(value));
  });
}
