/**
 * The simulator's ground truth: plain data a test can read and mutate directly (`sim.site`).
 * Representations sent over HTTP are rendered from this on every request (see render/), so a change made
 * here is visible to the next request, exactly like a concurrent edit on a real site.
 * Times are epoch milliseconds (UTC); rich text is kept as plain text and rendered to ADF on the way out.
 */

export type AccountId = string;

/** An Atlassian Document Format document, kept exactly as a client wrote it. */
export interface AdfDocument {
  type: 'doc';
  version: 1;
  content: unknown[];
}

/** Rich text: plain text from the generator (rendered to ADF on the way out), or ADF a client wrote. */
export type RichText = string | AdfDocument;

export interface SimUser {
  accountId: AccountId;
  displayName: string;
  emailAddress?: string;
  active: boolean;
  timeZone: string;
  accountType: 'atlassian' | 'app' | 'customer' | 'unknown';
  /** Holds the global Administer Jira permission. */
  admin: boolean;
}

export interface SimGroup {
  groupId: string;
  name: string;
  memberIds: AccountId[];
}

export interface SimComponent {
  id: number;
  name: string;
  description: string;
  leadAccountId?: AccountId;
  assigneeType: 'PROJECT_DEFAULT' | 'COMPONENT_LEAD' | 'PROJECT_LEAD' | 'UNASSIGNED';
}

export interface SimVersion {
  id: number;
  name: string;
  description: string;
  archived: boolean;
  released: boolean;
  startDate?: string; // yyyy-MM-dd
  releaseDate?: string;
}

export interface SimProjectRole {
  id: number;
  name: string;
  description: string;
  actorAccountIds: AccountId[];
  actorGroupIds: string[];
}

export interface SimProject {
  id: number;
  key: string;
  name: string;
  description: string;
  /** classic = company-managed, next-gen = team-managed. */
  style: 'classic' | 'next-gen';
  projectTypeKey: 'software' | 'business' | 'service_desk';
  leadAccountId: AccountId;
  issueTypeIds: number[];
  components: SimComponent[];
  versions: SimVersion[];
  roles: SimProjectRole[];
  properties: Map<string, unknown>;
  /** Next issue number for keys (KEY-n). */
  nextIssueNumber: number;
  /** Set while the project is in the trash (DELETE with enableUndo): it and its issues are hidden for 60 days. */
  trashedAt?: number;
  trashedBy?: AccountId;
}

export interface SimIssueType {
  id: number;
  name: string;
  description: string;
  subtask: boolean;
  /** -1 sub-task, 0 standard, 1 epic. */
  hierarchyLevel: number;
  /** Team-managed issue types belong to one project. */
  projectId?: number;
}

export type StatusCategory = 'TODO' | 'IN_PROGRESS' | 'DONE';

export interface SimStatus {
  id: number;
  name: string;
  description: string;
  category: StatusCategory;
}

export interface SimNamed {
  id: number;
  name: string;
  description: string;
}

export type CustomFieldKind =
  | 'text' | 'textarea' | 'number' | 'select' | 'multiselect' | 'user' | 'date' | 'datetime' | 'labels' | 'sprint' | 'rank';

export interface SimFieldOption {
  id: number;
  value: string;
  disabled: boolean;
}

export interface SimCustomField {
  /** `customfield_NNNNN`. */
  id: string;
  name: string;
  kind: CustomFieldKind;
  description: string;
  contextId: number;
  options: SimFieldOption[];
}

export interface SimLinkType {
  id: number;
  name: string;
  inward: string;
  outward: string;
}

export interface SimIssueLink {
  id: number;
  typeId: number;
  inwardIssueId: number;
  outwardIssueId: number;
}

export interface SimVisibility {
  type: 'group' | 'role';
  value: string;
}

export interface SimComment {
  id: number;
  authorId: AccountId;
  updateAuthorId: AccountId;
  body: RichText;
  created: number;
  updated: number;
  visibility?: SimVisibility;
  properties: Map<string, unknown>;
}

export interface SimWorklog {
  id: number;
  authorId: AccountId;
  updateAuthorId: AccountId;
  comment: RichText;
  started: number;
  timeSpentSeconds: number;
  created: number;
  updated: number;
  properties: Map<string, unknown>;
}

export interface SimChangeItem {
  field: string;
  fieldtype: 'jira' | 'custom';
  fieldId?: string;
  from: string | null;
  fromString: string | null;
  to: string | null;
  toString: string | null;
}

export interface SimChange {
  id: number;
  authorId: AccountId;
  created: number;
  items: SimChangeItem[];
}

export interface SimRemoteLink {
  id: number;
  globalId?: string;
  relationship?: string;
  application?: { type?: string; name?: string };
  object: { url: string; title: string; summary?: string; icon?: { url16x16?: string; title?: string } };
}

export interface SimAttachment {
  id: number;
  issueId: number;
  filename: string;
  mimeType: string;
  size: number;
  created: number;
  authorId: AccountId;
  /** Uploaded bytes; generated attachments leave this empty and derive their bytes from `contentSeed`. */
  bytes?: Uint8Array;
  contentSeed: number;
}

/** The sub-collections of an issue that the generator fills lazily (first read), to keep big sites cheap. */
export interface IssueCollections {
  comments: SimComment[];
  worklogs: SimWorklog[];
  changelog: SimChange[];
  remoteLinks: SimRemoteLink[];
  watcherIds: AccountId[];
  voterIds: AccountId[];
  properties: Map<string, unknown>;
}

export interface SimIssueInit {
  id: number;
  key: string;
  projectId: number;
  issueTypeId: number;
  statusId: number;
  priorityId: number;
  resolutionId: number | null;
  summary: string;
  description: RichText | null;
  environment: RichText | null;
  reporterId: AccountId | null;
  assigneeId: AccountId | null;
  creatorId: AccountId;
  created: number;
  updated: number;
  resolutionDate: number | null;
  dueDate: string | null;
  labels: string[];
  componentIds: number[];
  fixVersionIds: number[];
  affectsVersionIds: number[];
  parentId: number | null;
  /** Custom field values keyed by field id, in their raw stored form (see render/fields.ts). */
  custom: Record<string, unknown>;
  attachmentIds: number[];
  securityLevel?: string;
}

/**
 * One issue. Scalar fields are plain properties; the big sub-collections are generated on first access
 * from (seed, issue id) by `lazy`, then kept, so tests and writes see one stable list.
 */
export class SimIssue implements SimIssueInit {
  id!: number;
  key!: string;
  projectId!: number;
  issueTypeId!: number;
  statusId!: number;
  priorityId!: number;
  resolutionId!: number | null;
  summary!: string;
  description!: RichText | null;
  environment!: RichText | null;
  reporterId!: AccountId | null;
  assigneeId!: AccountId | null;
  creatorId!: AccountId;
  created!: number;
  updated!: number;
  resolutionDate!: number | null;
  dueDate!: string | null;
  labels!: string[];
  componentIds!: number[];
  fixVersionIds!: number[];
  affectsVersionIds!: number[];
  parentId!: number | null;
  custom!: Record<string, unknown>;
  attachmentIds!: number[];
  securityLevel?: string;
  private collections?: IssueCollections;

  constructor(init: SimIssueInit, private readonly lazy?: (issue: SimIssue) => IssueCollections) {
    Object.assign(this, init);
  }

  private parts(): IssueCollections {
    if (!this.collections) {
      this.collections = this.lazy
        ? this.lazy(this)
        : { comments: [], worklogs: [], changelog: [], remoteLinks: [], watcherIds: [], voterIds: [], properties: new Map() };
    }
    return this.collections;
  }

  get comments(): SimComment[] { return this.parts().comments; }
  get worklogs(): SimWorklog[] { return this.parts().worklogs; }
  get changelog(): SimChange[] { return this.parts().changelog; }
  get remoteLinks(): SimRemoteLink[] { return this.parts().remoteLinks; }
  get watcherIds(): AccountId[] { return this.parts().watcherIds; }
  get voterIds(): AccountId[] { return this.parts().voterIds; }
  get properties(): Map<string, unknown> { return this.parts().properties; }
}

export interface SimBoardColumn {
  name: string;
  statusIds: number[];
}

export interface SimBoard {
  id: number;
  name: string;
  type: 'scrum' | 'kanban';
  projectId: number;
  filterId: number;
  columns: SimBoardColumn[];
}

export interface SimSprint {
  id: number;
  boardId: number;
  name: string;
  state: 'future' | 'active' | 'closed';
  goal: string;
  startDate?: number;
  endDate?: number;
  completeDate?: number;
  createdDate: number;
}

export interface SimSharePermission {
  type: 'global' | 'project' | 'group' | 'user' | 'loggedin';
  projectId?: number;
  groupId?: string;
  accountId?: AccountId;
}

export interface SimFilter {
  id: number;
  name: string;
  description: string;
  jql: string;
  ownerId: AccountId;
  favourite: boolean;
  sharePermissions: SimSharePermission[];
}

export interface SimDashboard {
  id: number;
  name: string;
  description: string;
  ownerId: AccountId;
  sharePermissions: SimSharePermission[];
}

export interface SimTransition {
  /** Transition id, unique within its workflow. */
  id: number;
  name: string;
  toStatusId: number;
  /** Empty = global transition (from any status). */
  fromStatusIds: number[];
}

export interface SimWorkflow {
  id: string;
  name: string;
  description: string;
  statusIds: number[];
  transitions: SimTransition[];
}

export interface SimWorkflowScheme {
  id: number;
  name: string;
  description: string;
  defaultWorkflow: string;
  issueTypeMappings: Record<string, string>;
}

/** Monotonic id sequences for everything the write endpoints create. */
export interface SiteCounters {
  issue: number;
  comment: number;
  worklog: number;
  change: number;
  attachment: number;
  link: number;
  remoteLink: number;
  project: number;
  component: number;
  version: number;
  sprint: number;
  board: number;
  filter: number;
}

export interface SiteData {
  seed: number;
  /** The base URL requests are answered as (set when the server starts; used in `self` links). */
  baseUrl: string;
  serverTitle: string;
  /** The app user (Forge asApp) — an admin. */
  appAccountId: AccountId;
  users: SimUser[];
  groups: SimGroup[];
  projects: SimProject[];
  issueTypes: SimIssueType[];
  statuses: SimStatus[];
  priorities: SimNamed[];
  resolutions: SimNamed[];
  customFields: SimCustomField[];
  linkTypes: SimLinkType[];
  /** All issues by id, in ascending id order (ids only grow, so insertion order is id order). */
  issues: Map<number, SimIssue>;
  issueIdsByKey: Map<string, number>;
  links: SimIssueLink[];
  attachments: Map<number, SimAttachment>;
  boards: SimBoard[];
  sprints: SimSprint[];
  filters: SimFilter[];
  dashboards: SimDashboard[];
  workflows: SimWorkflow[];
  workflowSchemes: SimWorkflowScheme[];
  /** Deleted worklogs (for GET /worklog/deleted), oldest first. Optional so hand-built sites need not set it. */
  worklogTombstones?: Array<{ worklogId: number; issueId: number; deletedAt: number }>;
  /** Attachment upload limit in bytes (GET /attachment/meta). */
  attachmentUploadLimit: number;
  counters: SiteCounters;
}
