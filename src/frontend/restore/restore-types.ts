import type { FileRow } from '../../core/admin/view-model';
import type { FieldError } from '../../core/admin/errors';
import type { StoredProjectDiff } from '../../core/restore/diff-store';
import type { SnapshotIssueSummary } from '../../core/restore/snapshot-view';
import type { previewOf } from '../../entry/resolvers/restore-resolvers';

/** What the restore resolvers answer, as the page uses it. */

export interface SnapshotList {
  timeZone: string;
  files: FileRow[];
  error?: string;
}

export interface SnapshotProjectRow {
  id: string;
  key: string;
  name: string;
  issueCount: number;
}

export type IssueRow = SnapshotIssueSummary;
export type ProjectDiff = StoredProjectDiff;

export type RestorePreview = ReturnType<typeof previewOf>;

/** A dry run or comparison the worker is preparing (restorePreviewStatus / restoreDiffStatus). */
export interface PlanningStatusView {
  state: 'queued' | 'running' | 'done' | 'failed';
  issuesRead: number;
  issuesCompared: number;
  /** Why it failed: the same message (and field) the dry run gave when it ran in the resolver. */
  error?: { code: string; message: string; fields: FieldError[] };
}

export interface PreviewStatusView extends PlanningStatusView {
  preview?: RestorePreview;
}

export interface DiffStatusView extends PlanningStatusView {
  diff?: ProjectDiff;
}

export interface IssueView {
  id: string;
  key: string;
  fields: { name: string; value: string }[];
  comments: number;
  worklogs: number;
  attachments: number;
}

export interface RestoreStatusView {
  restoreId: string;
  state: 'running' | 'waiting' | 'done' | 'failed';
  /** How a finished restore went; 'done' alone only says it finished. */
  outcome?: 'complete' | 'partial' | 'failed';
  phase: 'project' | 'issues' | 'content' | 'links' | 'rank' | 'revert' | 'done';
  progress: { done: number; total: number };
  target?: string;
  startedAt: number;
  finishedAt?: number;
  error?: string;
  rateLimitedPauses: number;
  issues: { sourceKey: string; targetKey?: string; action: string; error?: string }[];
  report: string[];
  notSettable: string[];
}

/** What the admin chose on the page, before it becomes a request for the dry run. */
export interface RestoreChoice {
  /** issues: re-create / complete; revert: existing issues' fields back to the backup's values; project: all of it. */
  mode: 'issues' | 'revert' | 'project';
  /** Snapshot issues picked for `issues` and `revert` modes. */
  issues: IssueRow[];
  target: 'original' | 'new';
  newProjectKey: string;
}
