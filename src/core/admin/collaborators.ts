import type { StoreUsage } from '../../ports';
import type { BackupPlan, SnapshotKind, StorageSettings } from '../plans/plan';
import type { SecretInput } from './storage-input';

/**
 * What the admin services need from the rest of the app, as small interfaces so the control panel does not depend on
 * how the engine, the snapshot format or the storage backends are built. src/entry/resolvers wires the real ones.
 */

export type RunState = 'queued' | 'running' | 'complete' | 'partial' | 'failed';

/** One backup run of one plan, as the engine reports it. */
export interface BackupRunStatus {
  jobId: string;
  planId: string;
  state: RunState;
  kind?: SnapshotKind;
  startedAt: number;
  finishedAt?: number;
  /** Totals are unknown until the engine has listed the projects / counted the issues. */
  progress: { projectsDone: number; projectsTotal?: number; issuesDone: number; issuesTotal?: number };
  /** Projects that failed or were only partly backed up, with the reason an admin can act on. */
  projectErrors: { project: string; message: string }[];
  /** How many projects failed, when that is more than `projectErrors` lists (a site of thousands of projects). */
  projectErrorCount?: number;
  /** A run-level failure (storage unreachable, quota exceeded, …). */
  message?: string;
  /** Why the engine read everything or only what changed, e.g. "full: last full re-read 7 days ago (every 7 days)". */
  modeReason?: string;
}

export interface BackupJobs {
  /** Queues a run of `plan` and returns at once (resolvers must answer within 25 s; the queue does the work). */
  start(plan: BackupPlan, requestedBy: string): Promise<{ jobId: string }>;
  /** The most recent run of the plan (running or finished), or undefined if it never ran. */
  latest(planId: string): Promise<BackupRunStatus | undefined>;
}

export type BackupFileState = 'complete' | 'partial' | 'failed';

/** One snapshot in storage, as the file list shows it. */
export interface BackupFile {
  id: string;
  planId?: string;
  planName?: string;
  createdAt: number;
  kind: SnapshotKind;
  /** Bytes this snapshot references (what a restore reads); shared objects are counted in each snapshot. */
  sizeBytes: number;
  state: BackupFileState;
}

export type BackupDownload =
  | { type: 'link'; url: string; fileName: string; expiresAt?: number }
  | { type: 'path'; server: string; path: string };

export interface BackupFiles {
  list(): Promise<BackupFile[]>;
  /** Deletes the snapshot for good (objects no other snapshot uses are reclaimed by the format layer). */
  delete(id: string): Promise<void>;
  download(id: string): Promise<BackupDownload>;
}

/** Storage use as the panel shows it: a figure kept in KVS (src/core/usage), never a count made for the page. */
export interface StorageUse extends Partial<StoreUsage> {
  description: string;
  /**
   * When the figure was right: its full count, or a deletion taken off it since. `usedBytes` and this are absent while
   * the storage was never measured (first use, or the settings now point elsewhere).
   */
  asOf?: number;
  /** Written to since the figure's count (a backup finished): counted again in the background. */
  recounting?: boolean;
}

export interface StorageGauge {
  usage(): Promise<StorageUse>;
}

/** One step of "Test connection": resolve, connect, TLS / host key, sign in, write, rename, read, delete… */
export interface ConnectionStep {
  name: string;
  ok: boolean;
  message: string;
  durationMs?: number;
}

export interface ConnectionReport {
  ok: boolean;
  steps: ConnectionStep[];
  /** SFTP: the fingerprint the server presented, for the admin to confirm and pin. */
  hostKeyFingerprint?: string;
  /** FTPS: the certificate the server presented. */
  certificate?: { subject: string; issuer: string; validTo: string; fingerprint: string };
}

export interface ConnectionTester {
  test(settings: StorageSettings, credentials: SecretInput): Promise<ConnectionReport>;
}

/** When a plan runs next, in epoch ms (from src/core/plans' schedule arithmetic, in the site's time zone). */
export type NextRun = (plan: BackupPlan, afterMs: number, timeZone: string) => number | undefined;

/** The Jira site's time zone (IANA name, from GET /rest/api/3/serverInfo `serverTimeZone`). */
export type SiteTimeZone = () => Promise<string>;

/** The site's projects for the plan form's picker (src/core/admin/site-projects.ts reads them from Jira). */
export type SiteProjects = () => Promise<{ key: string; name: string }[]>;
