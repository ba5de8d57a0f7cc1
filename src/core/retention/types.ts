/** What retention needs to know about one snapshot of one plan (the catalog or the format layer supplies it). */
export type RetentionSnapshotState = 'complete' | 'partial' | 'failed';

export interface RetentionSnapshot {
  id: string;
  /** When the backup started, epoch ms. Buckets (day, ISO week, month, year) are read in the site's time zone. */
  startedAt: number;
  state: RetentionSnapshotState;
}

export interface RetentionContext {
  /** The Jira site's IANA time zone: "daily" means a day on the site's calendar. */
  timeZone: string;
  /** Epoch ms. Snapshots after `now` are ignored by the rules and never removed. */
  now: number;
}

export interface KeptSnapshot {
  id: string;
  /** Every rule that keeps it, in words, e.g. "daily snapshot for 2026-03-29 (daily 1 of 7)". */
  reasons: string[];
}

export interface RemovedSnapshot {
  id: string;
  reason: string;
}

/** A dry run is this same result shown to the admin; a real run deletes `remove`. Both lists are newest first. */
export interface RetentionResult {
  keep: KeptSnapshot[];
  remove: RemovedSnapshot[];
}

/** The policy cannot be applied (e.g. an empty GFS policy that would delete everything). */
export class RetentionPolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RetentionPolicyError';
  }
}
