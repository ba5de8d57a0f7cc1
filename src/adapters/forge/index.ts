/** Forge implementations of the ports in src/ports, on the real @forge/* packages. */
export { forgeKeyValue, forgeCreateIfAbsent } from './key-value';
export { forgeSecrets } from './secrets';
export { forgeJobQueue, BACKUP_JOBS_QUEUE } from './job-queue';
export { forgeJiraClient, jiraPathWithQuery } from './jira-client';
export type { JiraPrincipal } from './jira-client';
export { consoleLogger } from './logger';
