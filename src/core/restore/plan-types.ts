/** What an admin asks for, and the dry-run plan that shows exactly what the restore will create or change. */

/** Which kinds of content to restore besides the issue's fields (all on by default). */
export interface RestoreContent {
  comments: boolean;
  worklogs: boolean;
  attachments: boolean;
  links: boolean;
  remoteLinks: boolean;
  watchers: boolean;
  properties: boolean;
  sprints: boolean;
  rank: boolean;
  /** Move a re-created issue to its snapshot status along the workflow. */
  status: boolean;
}

export const ALL_CONTENT: RestoreContent = {
  comments: true,
  worklogs: true,
  attachments: true,
  links: true,
  remoteLinks: true,
  watchers: true,
  properties: true,
  sprints: true,
  rank: true,
  status: true,
};

export type RestoreRequest =
  /** Re-create deleted issues (and fill in missing content of the ones that still exist). */
  | { kind: 'issues'; snapshotId: string; issueIds: string[]; content?: Partial<RestoreContent> }
  /**
   * A whole project: into the original project when it still exists (only what is missing is written),
   * or into a new project with the key the admin chose.
   */
  | { kind: 'project'; snapshotId: string; projectKey: string; newProject?: NewProjectChoice; content?: Partial<RestoreContent> }
  /** Existing issues' fields back to their snapshot values (undo a bulk edit); `fields` limits which (ids or names). */
  | { kind: 'revert'; snapshotId: string; issueIds: string[]; fields?: string[]; status?: boolean };

export interface NewProjectChoice {
  key: string;
  name?: string;
  leadAccountId?: string;
}

/** A field that will not be written, and why (shown in the dry run and the report). */
export interface FieldNotSet {
  fieldId: string;
  name: string;
  reason: string;
}

export interface PlannedLink {
  /** The snapshot link id (a link appears in both issues' bundles; the plan keeps it once). */
  sourceLinkId: string;
  typeName: string;
  outwardSourceId: string;
  inwardSourceId: string;
  /** The key shown to the admin for the other end: the restored issue's original key or the live issue's key. */
  otherKey: string;
  otherEnd: 'restored' | 'existing';
}

export interface PlannedAttachment {
  sourceId: string;
  filename: string;
  size: number;
}

export interface Skipped {
  what: string;
  reason: string;
}

/** Everything the restore will do to one issue. */
export interface IssuePlan {
  sourceId: string;
  sourceKey: string;
  summary: string;
  /** create: the issue is gone and will be re-created; update: it exists, missing content is added; revert: fields go back. */
  action: 'create' | 'update' | 'revert';
  /** The live issue for update/revert, or the one a previous restore already created. */
  existing?: { id: string; key: string };
  issueType?: { name: string; targetId: string };
  /** Field ids (source ids) that will be written, with their names for the report. */
  fieldsSet: { fieldId: string; targetFieldId: string; name: string }[];
  fieldsNotSet: FieldNotSet[];
  /** Snapshot status name to reach by transitions; absent when already there or not requested. */
  targetStatus?: string;
  parent?: { sourceId: string; sourceKey: string; otherEnd: 'restored' | 'existing' };
  comments: string[];
  worklogs: string[];
  attachments: PlannedAttachment[];
  links: PlannedLink[];
  remoteLinks: string[];
  watchers: string[];
  properties: string[];
  sprint?: { sprintId: number; name: string };
  /** Content that exists in the snapshot but will not be restored, with why. */
  skipped: Skipped[];
  /** Issues are created in waves: parents (wave 0) before their children (wave 1), grandchildren after (2). */
  wave: number;
  /** Set when the issue cannot be restored at all (no matching issue type, …): nothing else in this entry is done. */
  blockedReason?: string;
}

export interface RestorePlan {
  id: string;
  snapshotId: string;
  request: RestoreRequest;
  createdAt: number;
  /** The project the issues go to. `create` is set when the restore creates it first. */
  target: { projectKey: string; projectId?: string; create?: NewProjectChoice & { projectTypeKey: string; templateFromKey: string } };
  /** Components and versions to create in the target project before the issues (by name). */
  componentsToCreate: string[];
  versionsToCreate: string[];
  issues: IssuePlan[];
  /** Snapshot field id → live field id (or the reason it cannot be written), for every field the plan touches. */
  fieldMap: { sourceId: string; name: string; targetId?: string; reason?: string; byName?: boolean }[];
  /** Issues outside the re-created set that the plan refers to (links, parents) and that are live: snapshot id → live issue. */
  liveIssues: Record<string, { id: string; key: string }>;
  /** Snapshot issue type id → live issue type id in the target project. */
  issueTypeMap: Record<string, string>;
  /** Snapshot ids of the restored issues in their snapshot rank order (restored by the rank API after the issues). */
  rank?: { fieldId: string; order: string[] };
  /** What Jira does not let an app set, kept visibly instead (listed once for the whole plan). */
  notSettable: string[];
  totals: PlanTotals;
  warnings: string[];
}

export interface PlanTotals {
  issuesToCreate: number;
  issuesToUpdate: number;
  issuesToRevert: number;
  comments: number;
  worklogs: number;
  attachments: number;
  attachmentBytes: number;
  links: number;
  remoteLinks: number;
  watchers: number;
  properties: number;
  fieldsNotSet: number;
}
