import type { BackupStore, Clock, JiraClient, JobQueue, KeyValue, Logger } from '../../ports';
import type { FailedSiteSection, IndexPartRef, SkippedAttachmentNote, SnapshotKind } from '../format';
import type { BackupPlan } from '../plans/plan';
import type { JiraProject } from './read-project';

/** What the engine runs on: ports only (Forge adapters in production, the emulator or fakes in tests). */
export interface BackupDeps {
  /** Wrapped in the rate-limit governor (src/adapters/jira) by whoever builds the deps. */
  jira: JiraClient;
  store: BackupStore;
  kv: KeyValue;
  queue: JobQueue;
  clock: Clock;
  logger?: Logger;
  /** Tuning; the defaults suit Forge (900 s consumers, 1,000 pushes per chain). */
  limits?: Partial<BackupLimits>;
  /**
   * The site's IANA time zone, for runs whose kind the caller did not decide (a manual run of a Combined plan is
   * Extended on its weekday in the site's calendar, like the scheduler's). Absent or failing: UTC.
   */
  siteTimeZone?: () => Promise<string>;
}

export interface BackupLimits {
  /** A step stops starting new work after this long (ms), leaving the rest of the invocation as margin. */
  stepBudgetMs: number;
  /** Time kept free at the end of an invocation for the checkpoint and the next push (ms). */
  stepMarginMs: number;
  /** Pushes one chain may make before the job waits for the scheduled trigger (Forge allows 1,000). */
  chainPushLimit: number;
  /** Issues per checkpoint (one pack + one index part each). */
  issuesPerCheckpoint: number;
  /** Parallel per-issue reads. */
  issueConcurrency: number;
  /** Subtracted from the previous run's start to form the `updated >=` watermark (ms). */
  watermarkMarginMs: number;
  /** A running job with no progress for this long is re-seeded by resumeStalledJobs (ms). */
  stallAfterMs: number;
  /** Deliveries of one step that failed before the current project is given up as failed. */
  maxStepAttempts: number;
}

export const DEFAULT_LIMITS: BackupLimits = {
  stepBudgetMs: 600_000,
  stepMarginMs: 120_000,
  chainPushLimit: 900,
  issuesPerCheckpoint: 500,
  issueConcurrency: 16,
  watermarkMarginMs: 15 * 60_000,
  stallAfterMs: 20 * 60_000,
  maxStepAttempts: 5,
};

export type BackupTrigger = 'manual' | 'schedule';
export type JobState = 'running' | 'complete' | 'partial' | 'failed' | 'cancelled';
export type JobPhase = 'plan' | 'site' | 'projects' | 'finalize' | 'done';
export type ProjectTaskState = 'pending' | 'running' | 'complete' | 'failed';

/**
 * One project's line in the job's project list (project-list.ts): chunks of PROJECTS_PER_CHUNK written when the
 * job is planned, the line of the project in hand rewritten with its checkpoint. Never all in the job record: a
 * site has up to ~10,000 projects, and the job record is one KVS value (≤ 240 KiB).
 */
export interface ProjectProgress {
  id: string;
  key: string;
  name: string;
  state: ProjectTaskState;
  issuesDone: number;
  /** From approximate-count when the project was planned (issues to read: all, or the changed ones). */
  issuesTotal?: number;
  /** Shortened (errors.ts shorten); the project's checkpoint and the snapshot manifest keep the longer message. */
  error?: string;
}

/** The plan as the job keeps it: its project selection has a key of its own (a "selected" list can run to thousands of keys). */
export type JobPlan = Omit<BackupPlan, 'projects'>;

/**
 * The job record, `backup:job:<jobId>`, rewritten at every checkpoint: bounded whatever the number of projects —
 * counters, the index of the project in hand, and at most MAX_JOB_PROJECT_ERRORS errors. The projects themselves are
 * in the project list (project-list.ts) and their checkpoints; the selection in `backup:selection:<jobId>`.
 */
export interface BackupJob {
  jobId: string;
  planId: string;
  planName: string;
  plan: JobPlan;
  trigger: BackupTrigger;
  kind: SnapshotKind;
  mode: 'full' | 'incremental';
  /**
   * Why this mode, for the control panel and the manifest: "full: last full re-read 7 days ago (every 7 days)",
   * "incremental: last full re-read 2 days ago (every 7 days)" (run-mode.ts). Absent in jobs started before it existed.
   */
  modeReason?: string;
  /** The last successful snapshot this run carries unchanged data over from. */
  base?: { snapshotId: string; startedAt: number };
  snapshotId: string;
  startedAt: number;
  updatedAt: number;
  finishedAt?: number;
  state: JobState;
  phase: JobPhase;
  /** The step number the next event must carry; an event with another number is a duplicate or stale. */
  seq: number;
  /** Deliveries of step `seq` that have started (a redelivery after a crash counts again). */
  attempts: number;
  /** Set while an invocation works on step `seq`, so a concurrent duplicate delivery stands back. */
  lease?: { seq: number; owner: string; until: number };
  /** The chain hit the push limit; the scheduled trigger carries the job on (resumeStalledJobs). */
  waitingForScheduler?: boolean;
  /** Jira asked to wait (quota); the next step is delayed until then. */
  pausedUntil?: number;
  /** The app user's time zone: JQL date literals are read in it. */
  timeZone?: string;
  /** `updated >= "..."` literal for incremental runs, fixed when the job is planned. */
  updatedSince?: string;
  /** Set once planning has written the project list; `countedChunks` of its chunks have their issues counted. */
  planned?: { countedChunks: number };
  /** Projects in the list (0 until planned). */
  projectCount: number;
  /** Index in the list of the project in hand; `projectCount` once every project is finished. */
  projectCursor: number;
  projectsComplete: number;
  projectsFailed: number;
  issuesDone: number;
  issuesTotal: number;
  /** The first MAX_JOB_PROJECT_ERRORS failed projects, shortened; `projectsFailed` counts them all. */
  projectErrors: { key: string; error: string }[];
  /** Site-wide sections that failed (configuration, users, boards…): name → message (shortened). */
  siteErrors: Record<string, string>;
  /** The last error, for the control panel (shortened). */
  lastError?: string;
  bytesWritten: number;
}

/** Failed projects the job record names (the list holds every one): 20 errors of ≤ 500 characters stay far under 240 KiB. */
export const MAX_JOB_PROJECT_ERRORS = 20;

/** Per-project cursor, `backup:task:<jobId>:<projectId>`. */
export interface ProjectCheckpoint {
  stage: 'config' | 'issues' | 'deletions' | 'merge' | 'done';
  /** The project as /project/search listed it when the job was planned. */
  project?: JiraProject;
  /** Read only what changed since the base snapshot (the base has this project complete); else read it all. */
  incremental?: boolean;
  /** Search cursor of the next page to read (absent: start from the first page). */
  pageToken?: string;
  /** Index parts this run wrote (project record + issue batches), in order. */
  parts: IndexPartRef[];
  issuesDone: number;
  /** Issues read this run that the base snapshot did not have. */
  newIssues: number;
  /** Their ids, in incremental runs (for the deleted-issue check). */
  newIssueIds?: number[];
  deletedIds?: string[];
  /** Why the project failed (longer than its list line's); absent when it completed. */
  error?: string;
  /** The project's final index parts (after carry-over), set when stage is 'done'. */
  finalParts?: IndexPartRef[];
  issueCount?: number;
  skippedAttachments: SkippedAttachmentNote[];
  skippedAttachmentCount: number;
}

/** Site-wide cursor, `backup:task:<jobId>:site`. */
export interface SiteCheckpoint {
  done: string[];
  parts: IndexPartRef[];
  /** Sections whose read failed, as the manifest will list them (kept from the base snapshot or absent). */
  failed?: FailedSiteSection[];
}

/** The async event that drives a job. Tiny (far under the 100 KB event limit). */
export interface BackupStepEvent {
  kind: 'backup.step';
  jobId: string;
  seq: number;
  /** Pushes so far in this invocation chain. */
  chain: number;
  [field: string]: unknown;
}

export interface StepOptions {
  /** Time left in this invocation (ms): the consumer's timeout minus what has elapsed. */
  remainingMs: number;
  /** Identifies this delivery (for the lease); random when absent. */
  invocationId?: string;
}

export type StepOutcome =
  | { action: 'continued'; seq: number; delaySeconds?: number }
  | { action: 'waiting-for-scheduler' }
  | { action: 'finished'; state: JobState; snapshotId?: string }
  | { action: 'ignored'; reason: string }
  /** Another delivery holds the step's lease: ask the platform to redeliver later (it may have crashed). */
  | { action: 'retry-later'; afterSeconds: number };
