/**
 * Granular restore: browse a snapshot, plan (dry run), run the plan as resumable queue steps, report per item.
 * The control panel and the queue consumer call only what is exported here.
 */
export type { RestoreDeps } from './restore-deps';
export type { SnapshotView, SnapshotOpener, SnapshotIssue, SnapshotProject, SnapshotIssueSummary, FieldDefinition } from './snapshot-view';
export type { RestoreRequest, RestorePlan, IssuePlan, RestoreContent, PlanTotals, NewProjectChoice } from './plan-types';
export type { RestoreJob, IssueResult, Count } from './job-state';
export { planRestore, type PlanOptions } from './planner';
export { loadPlan } from './plan-store';
export { queuePlanning, loadPlanning, RESTORE_PLAN_KIND, PLANNING_ID, type PlanningEvent, type PlanningRecord, type PlanningTask, type PlanningFailure } from './planning-record';
export { runPlanning, type PlanningOutcome, type PlanningRunOptions } from './planning-job';
export type { PlanningProgress } from './planning-progress';
export { loadDiff, type StoredProjectDiff } from './diff-store';
export { startRestore, runRestoreStep, RESTORE_STEP_KIND, type RestoreStepEvent } from './executor';
export { getRestoreStatus, type RestoreOutcome, type RestoreStatus } from './status';
export { ORIGIN_PROPERTY_KEY } from './origin';
export { listSnapshotProjects, findIssues, showIssue, diffProject, type IssueFilter, type ProjectDiff } from './browse';
export { formatSnapshotOpener } from './format-snapshot-view';
