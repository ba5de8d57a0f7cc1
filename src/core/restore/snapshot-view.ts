/**
 * What restore needs to read from one snapshot, in Jira's own payload shapes (what the backup read from the
 * REST API), so that restore code never depends on how the format lays objects out. `format-snapshot-view.ts`
 * adapts the snapshot format to this; tests build it from literal fixtures.
 */

/** An Atlassian user as embedded in Jira payloads (only accountId matters for writes). */
export interface JiraUserRef {
  accountId: string;
  displayName?: string;
  active?: boolean;
}

/** Atlassian Document Format: the rich-text shape every text field, comment and worklog comment uses. */
export interface AdfDocument {
  type: 'doc';
  version: 1;
  content: unknown[];
}

export interface SnapshotComment {
  id: string;
  author?: JiraUserRef;
  body: AdfDocument | string;
  created: string;
  updated?: string;
  visibility?: { type: string; value?: string; identifier?: string };
  properties?: { key: string; value: unknown }[];
}

export interface SnapshotWorklog {
  id: string;
  author?: JiraUserRef;
  comment?: AdfDocument | string;
  started: string;
  timeSpentSeconds: number;
  created?: string;
  visibility?: { type: string; value?: string; identifier?: string };
  properties?: { key: string; value: unknown }[];
}

export interface SnapshotAttachment {
  id: string;
  filename: string;
  mimeType?: string;
  size: number;
  /** SHA-256 of the bytes; absent when the snapshot is Basic (no bytes) or the backup skipped the file. */
  sha256?: string;
  author?: JiraUserRef;
  created?: string;
  /** Why the backup could not keep the bytes (corrupt, missing, too large), when it could not. */
  skippedReason?: string;
}

/** One entry of the issue's `issuelinks` field, as Jira returns it (one side only: inward or outward). */
export interface SnapshotIssueLink {
  id: string;
  type: { id?: string; name: string; inward?: string; outward?: string };
  inwardIssue?: { id: string; key?: string };
  outwardIssue?: { id: string; key?: string };
}

export interface SnapshotRemoteLink {
  id?: number | string;
  globalId?: string;
  application?: Record<string, unknown>;
  relationship?: string;
  object: Record<string, unknown> & { url: string; title: string };
}

/** An issue as the snapshot holds it: Jira's issue JSON plus everything read from per-issue endpoints. */
export interface SnapshotIssue {
  id: string;
  key: string;
  /** Jira's `fields` object: system and custom fields by field id. */
  fields: Record<string, unknown>;
  comments: SnapshotComment[];
  worklogs: SnapshotWorklog[];
  attachments: SnapshotAttachment[];
  remoteLinks: SnapshotRemoteLink[];
  /** accountIds of the watchers. */
  watchers: string[];
  /** accountIds of the voters (kept for the record: Jira lets only the caller vote). */
  voters: string[];
  /** Issue properties by key. */
  properties: Record<string, unknown>;
  changelog: unknown[];
}

export interface SnapshotProject {
  id: string;
  key: string;
  name: string;
  projectTypeKey?: string;
  description?: string;
  leadAccountId?: string;
  issueTypes: { id: string; name: string; subtask?: boolean; hierarchyLevel?: number }[];
  components: { id: string; name: string; description?: string; leadAccountId?: string }[];
  versions: { id: string; name: string; description?: string; released?: boolean; archived?: boolean; releaseDate?: string; startDate?: string }[];
}

/** A field definition as `GET /rest/api/3/field` returns it. */
export interface FieldDefinition {
  id: string;
  name: string;
  custom: boolean;
  schema?: { type: string; items?: string; system?: string; custom?: string; customId?: number };
}

export interface SnapshotSprint {
  id: number;
  name: string;
  state: 'future' | 'active' | 'closed' | string;
  boardId?: number;
  originBoardId?: number;
}

/** Lightweight entry for browsing: enough to list and filter without reading every bundle twice. */
export interface SnapshotIssueSummary {
  id: string;
  key: string;
  projectKey: string;
  summary: string;
  issueType: string;
  status: string;
  assigneeAccountId?: string;
  assigneeName?: string;
}

/** Read access to one snapshot. Every read is hash-verified by the format layer underneath. */
export interface SnapshotView {
  readonly snapshotId: string;
  /** When the snapshot was taken (epoch ms). */
  readonly takenAt: number;
  /** 'extended' snapshots hold attachment bytes; 'basic' ones hold only metadata. */
  readonly kind: 'basic' | 'extended';
  projects(): Promise<SnapshotProject[]>;
  /** Every issue of one project, in snapshot order. */
  issues(projectKey: string): AsyncIterable<SnapshotIssue>;
  /** One issue by id or key, wherever it lives in the snapshot. */
  issue(idOrKey: string): Promise<SnapshotIssue | undefined>;
  fields(): Promise<FieldDefinition[]>;
  sprints(): Promise<SnapshotSprint[]>;
  /** The attachment's bytes, hash-verified; throws when the snapshot has none for it. */
  attachmentBytes(attachment: SnapshotAttachment): Promise<Uint8Array>;
}

/** Opens snapshots by id; the default one reads the snapshot format from the BackupStore. */
export interface SnapshotOpener {
  list(): Promise<{ snapshotId: string; takenAt: number; kind: 'basic' | 'extended'; projectKeys: string[] }[]>;
  open(snapshotId: string): Promise<SnapshotView>;
}
