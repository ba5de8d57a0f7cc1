/** The route table lives in the core (the engine builds its paths from it); re-exported here for adapters and tools. */
export { JIRA_ROUTES, jiraPath } from '../../core/backup/jira-routes';
export type { JiraRoute, JiraRouteName } from '../../core/backup/jira-routes';
