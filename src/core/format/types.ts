/**
 * The data model of the snapshot format (FORMAT.md). Everything here is plain JSON so it can be written to
 * the store, kept in a KVS checkpoint (the refs are small) and read back with jq.
 */
import type { JsonValue } from './canonical-json';

/**
 * Record types the app writes today. The list is open: readers must keep and skip types they do not know,
 * so adding a type never needs a new format version.
 */
export const KNOWN_RECORD_TYPES = [
  'issue', 'project', 'board', 'sprint', 'filter', 'dashboard', 'user', 'group',
  'field', 'fieldContext', 'issueType', 'issueTypeScheme', 'status', 'workflow', 'workflowScheme',
  'priority', 'resolution', 'issueLinkType', 'projectCategory', 'screen', 'screenScheme',
  'permissionScheme', 'notificationScheme', 'issueSecurityScheme', 'fieldConfiguration', 'fieldConfigurationScheme',
] as const;

/** One entity as stored in a pack: one line of canonical JSON. */
export interface SnapshotRecord {
  /** What the record holds: one of KNOWN_RECORD_TYPES or a newer type. `[A-Za-z][A-Za-z0-9_.-]*`. */
  type: string;
  /** The entity's id in Jira (a string even when Jira's is numeric). Unique per type within a snapshot. */
  id: string;
  /** The human key where there is one: issue key `ENG-12`, project key `ENG`. */
  key?: string;
  /** Key of the project the record belongs to; absent for global records. */
  project?: string;
  /** Jira's last-updated timestamp (ISO 8601 as Jira returns it), used for incremental runs. */
  updated?: string;
  /** The entity itself: for `issue` the whole bundle (FORMAT.md §Record types). */
  data: { [key: string]: JsonValue };
}

/** A piece of attachment content, stored once at `blobs/<aa>/<sha256>`. */
export interface BlobRef {
  sha256: string;
  size: number;
}

/** Attachment metadata inside an issue record; the bytes are the concatenation of `chunks`. */
export interface StoredAttachment {
  id: string;
  filename: string;
  size: number;
  mimeType?: string;
  created?: string;
  author?: JsonValue;
  /** SHA-256 of the whole content. */
  sha256: string;
  chunks: BlobRef[];
}

/** An attachment whose bytes are not in the snapshot (Basic snapshots, or unreadable in Jira), and why. */
export interface SkippedAttachment {
  id: string;
  filename: string;
  size?: number;
  mimeType?: string;
  created?: string;
  author?: JsonValue;
  skipped: string;
}

export type AttachmentMeta = StoredAttachment | SkippedAttachment;

/** One line of an index part: where a record is and what it must hash to. */
export interface IndexEntry {
  type: string;
  id: string;
  key?: string;
  project?: string;
  updated?: string;
  /** SHA-256 of the record's canonical JSON line (without the newline). */
  sha256: string;
  /** Path of the pack holding the record, e.g. `packs/ab/ab12….jsonl.gz`. */
  pack: string;
  /** The pack's size in bytes (for totals without a stat per pack). */
  packSize: number;
  /** 1-based line number of the record in the uncompressed pack (`sed -n "${line}p"`). */
  line: number;
  /** Attachment chunks the record references, so rotation and verify never need to open the record. */
  blobs?: BlobRef[];
}

/**
 * A line of an index part saying that a record present in an earlier part (layer) no longer exists in Jira.
 * Incremental runs append a small layer of changed entries and tombstones instead of rewriting the index.
 */
export interface IndexTombstone {
  type: string;
  id: string;
  key?: string;
  project?: string;
  deleted: true;
}

export type IndexLine = IndexEntry | IndexTombstone;

export function isTombstone(line: IndexLine): line is IndexTombstone {
  return (line as IndexTombstone).deleted === true;
}

/** Any stored object, by path and content hash. */
export interface ObjectRef {
  path: string;
  sha256: string;
  size: number;
}

export interface PackRef extends ObjectRef {
  records: number;
}

/**
 * An index part and its checksum list. A snapshot's index (per project, and global) is an ordered list of parts:
 * for a record key the line in the LAST part that mentions it wins, and a tombstone there means deleted.
 */
export interface IndexPartRef extends ObjectRef {
  /** Lines in the part (entries and tombstones). */
  entries: number;
  /** `checksums/<aa>/<sha256>.sha256`: the `sha256sum -c` list of every pack and chunk this part's entries use. */
  sums: ObjectRef;
}

export type SnapshotKind = 'basic' | 'extended';
export type SnapshotState = 'complete' | 'partial' | 'failed';
export type ProjectState = 'complete' | 'failed';

export interface ProjectSnapshot {
  key: string;
  id: string;
  name: string;
  state: ProjectState;
  /** What went wrong, for a failed project (shown to the admin). */
  error?: string;
  issueCount: number;
  indexParts: IndexPartRef[];
}

export interface SkippedAttachmentNote {
  issueKey: string;
  attachmentId: string;
  filename?: string;
  reason: string;
}

/**
 * A site-wide section (workflows, users, boards…: the engine's unit of reading) whose read failed in this run. Its
 * records are either absent from the snapshot, or kept from an earlier snapshot (`keptFrom`), so that the newest
 * snapshot does not silently lack, say, every workflow. Kept records are exactly that snapshot's: as old as it is.
 */
export interface FailedSiteSection {
  /** The engine's section name (`workflows`, `fields`, `boardsAndSprints`…). */
  name: string;
  /** Why the read failed (Jira's answer), for the admin. */
  error: string;
  /** The record types the section holds (`workflow`; `field` and `fieldContext`…). */
  recordTypes: string[];
  /** Present when the section's records were taken over from an earlier snapshot. */
  keptFrom?: {
    /** The snapshot whose index entries were copied; the records stay in its packs. */
    snapshotId: string;
    /** When that snapshot's run started (epoch ms): the kept records show the site as it was then. */
    startedAt: number;
    /** How many records were kept. */
    records: number;
  };
}

/** What the engine hands to commitSnapshot; the format layer adds totals, checksums and the self-hash. */
export interface SnapshotDraft {
  id: string;
  planId: string;
  planName: string;
  kind: SnapshotKind;
  /** Epoch ms, from the engine's Clock. */
  startedAt: number;
  finishedAt: number;
  state: SnapshotState;
  /** The snapshot this one carried unchanged data over from, if any. */
  incrementalFrom?: string;
  /**
   * Why the run was full or incremental, for people ("full: last full re-read 7 days ago (every 7 days)"). Optional:
   * manifests written before it existed lack it. Informative only; `incrementalFrom` is what says the mode.
   */
  modeReason?: string;
  /** The Jira site, for the control panel and for restoring to the right place. */
  site?: { url?: string; cloudId?: string };
  projects: ProjectSnapshot[];
  /** Index parts of records that belong to no project (configuration, users, groups, filters, …). */
  globalIndexParts: IndexPartRef[];
  /**
   * Site-wide sections whose read failed (absent when none did; manifests written before this field never say).
   * A snapshot that lists any is not `complete`.
   */
  failedSiteSections?: FailedSiteSection[];
  /** At most MAX_LISTED_SKIPPED_ATTACHMENTS; every skipped attachment is also marked inside its issue record. */
  skippedAttachments: SkippedAttachmentNote[];
  skippedAttachmentCount: number;
  /** Bytes this run wrote to the store before the commit (packs, blobs, index parts), as counted by the engine. */
  bytesWritten: number;
}

export interface SnapshotTotals {
  records: number;
  /** Distinct objects the snapshot needs (project lists, packs, blobs, index parts, checksum lists). */
  objects: number;
  /** Their bytes: what the snapshot would take on its own. */
  bytesReferenced: number;
  /** Bytes written by this run, the commit's own objects included: what the snapshot added. */
  bytesWritten: number;
}

/** `projects/<aa>/<sha256>.jsonl.gz`: part of a snapshot's project list (one project per line), named by its manifest. */
export interface ProjectListRef extends ObjectRef {
  /** Projects (lines) in the object. */
  count: number;
}

/**
 * A snapshot as readers get it (readSnapshot): `projects` always holds every project, whether the manifest lists
 * them inline (format version 1) or names the objects that do (`projectLists`, version 2).
 */
export interface SnapshotManifest extends Omit<SnapshotDraft, 'bytesWritten'> {
  format: string;
  formatVersion: number;
  /** Where the project list is stored (absent in version 1 manifests, which hold `projects` inline). */
  projectLists?: ProjectListRef[];
  totals: SnapshotTotals;
  /** SHA-256 of the stored manifest's canonical JSON without this member. */
  manifestSha256: string;
}

/** `snapshots/<id>.json` as stored: the commit point. A snapshot exists exactly when its manifest does. */
export type StoredManifest = Omit<SnapshotManifest, 'projects'> & { projects?: ProjectSnapshot[] };

export const MAX_LISTED_SKIPPED_ATTACHMENTS = 1000;

export interface RepositoryConfig {
  format: string;
  formatVersion: number;
  hashAlgorithm: string;
  compression: 'gzip';
  chunkBytes: number;
}
