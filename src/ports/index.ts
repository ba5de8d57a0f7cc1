export * from './clock';
export * from './key-value';
export * from './secrets';
export * from './job-queue';
export * from './jira-client';
export * from './backup-store';
export * from './logger';
