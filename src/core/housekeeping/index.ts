export * from './housekeeping-run';
export * from './housekeeping-step';
export * from './housekeeping-schedule';
export { DeleteBudget } from './delete-budget';
