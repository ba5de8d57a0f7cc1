/** Public API of the Jira Cloud simulator (see README.md). */
export { startJiraSimulator } from './server';
export type { JiraSimulator, SimulatorOptions, SimulatorConfig } from './server';
export { generateSite } from './generate/site';
export type { GeneratorOptions } from './generate/options';
export { attachmentBytes } from './generate/attachment-bytes';
export type { RateLimitConfig, RateLimitReason } from './rate-limits';
export type { FaultConfig, ChurnConfig, RequestEvent } from './faults';
export { RequestLog } from './request-log';
export type { RequestLogEntry } from './request-log';
export { allRoutes } from './routes';
export * from './model';
export { ADMIN_ACCOUNT_ID, NON_ADMIN_ACCOUNT_ID, APP_ACCOUNT_ID } from './generate/configuration';
