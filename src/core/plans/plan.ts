/**
 * What an admin configures: backup plans and the storage they write to. Shared by the engine (what to read),
 * the scheduler (when), retention (how many to keep) and the control panel (forms). Validation lives beside it.
 */

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

/** Which projects a plan covers. `rule` matches a key pattern (glob, e.g. `ENG*`) and/or project categories. */
export type ProjectSelection =
  | { mode: 'all' }
  | { mode: 'selected'; keys: string[] }
  | { mode: 'rule'; keyPattern?: string; categoryIds?: string[] };

/**
 * Basic = all project and issue data without attachment bytes; Extended = with attachment bytes;
 * Combined = Basic on most days and Extended on `extendedWeekday` (default Sunday).
 */
export type BackupContent = 'basic' | 'extended' | 'combined';

/** The kind a single run takes (Combined resolves to one of these per run). */
export type SnapshotKind = 'basic' | 'extended';

/** Data types a plan can leave out. Dependencies: `history` and `worklogs` … need `issues`; see plans/data-types.ts. */
export interface DataTypeSelection {
  issues: boolean;
  comments: boolean;
  worklogs: boolean;
  history: boolean;
  links: boolean;
  watchersAndVotes: boolean;
  properties: boolean;
  boardsAndSprints: boolean;
  filtersAndDashboards: boolean;
  usersAndGroups: boolean;
}

export interface Schedule {
  /** 'daily', or the chosen weekdays. */
  days: 'daily' | Weekday[];
  /** Time of day, `HH:MM`, 24-hour, in the site's time zone. */
  time: string;
}

export type RetentionPolicy =
  | { mode: 'count'; keep: number }
  | { mode: 'gfs'; last: number; daily: number; weekly: number; monthly: number; yearly: number }
  | { mode: 'forever' };

export interface BackupPlan {
  id: string;
  name: string;
  enabled: boolean;
  projects: ProjectSelection;
  content: BackupContent;
  /** For `combined`: the weekday whose run is Extended. */
  extendedWeekday?: Weekday;
  dataTypes: DataTypeSelection;
  schedule: Schedule;
  retention: RetentionPolicy;
  /**
   * A run reads everything again (not only the issues Jira marks as updated) once the plan's last complete full run
   * is this many days old in the site's calendar: Jira does not mark an issue updated when its watchers, votes or some
   * properties change, so incremental runs alone would miss those forever. 1–90; plans saved before this setting
   * existed lack it and run as DEFAULT_FULL_EVERY_DAYS (fullEveryDaysOf).
   */
  fullEveryDays?: number;
}

export const DEFAULT_FULL_EVERY_DAYS = 7;
export const MIN_FULL_EVERY_DAYS = 1;
export const MAX_FULL_EVERY_DAYS = 90;

/** The plan's full re-read interval in days: its own, or the default for plans stored before the setting existed. */
export function fullEveryDaysOf(plan: Pick<BackupPlan, 'fullEveryDays'>): number {
  return plan.fullEveryDays ?? DEFAULT_FULL_EVERY_DAYS;
}

export type RemoteProtocol = 'ftp' | 'ftps-explicit' | 'ftps-implicit' | 'sftp';

/** Where backups go. Secrets (password, private key) are NOT here: they live in Forge secret storage. */
export type StorageSettings =
  | { kind: 'managed'; quotaBytes: number }
  | {
      kind: 'remote';
      protocol: RemoteProtocol;
      host: string;
      port: number;
      user: string;
      auth: 'password' | 'private-key';
      /** Folder on the server that holds the backup repository. */
      folder: string;
      /** Base URL of the delivery relay (the customer-configurable Forge remote). */
      relayUrl: string;
      /** PEM of a custom CA for FTPS servers with a private certificate. */
      caCertificate?: string;
      /** SFTP host key fingerprint (SHA256:…), pinned when the admin saves after a successful test. */
      hostKeyFingerprint?: string;
    };

export const DEFAULT_QUOTA_BYTES = 20 * 1024 ** 3;
export const DEFAULT_KEEP_COUNT = 10;
