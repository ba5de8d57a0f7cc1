export * from './usage-record';
export * from './usage-updates';
export { countDeletes, type Freed } from './count-deletes';
