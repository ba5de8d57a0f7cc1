export * from './plan';
export * from './field-errors';
export * from './data-types';
export * from './defaults';
export * from './project-keys';
export { checkDataTypes, checkFullEveryDays, checkProjects, checkRetention, checkSchedule, WEEKDAYS, MAX_KEEP_COUNT } from './plan-field-checks';
export * from './validate-plan';
export * from './validate-storage';
export { HOST_KEY_FINGERPRINT_PATTERN } from './storage-field-checks';
