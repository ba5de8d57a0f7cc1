import type { BackupContent, SnapshotKind } from '../plans/plan';
import type { BackupFileState, RunState } from './collaborators';

/** Everything the control panel tab shows, ready to render (texts already formatted in the site's time zone). */
export interface ControlPanelView {
  generatedAt: number;
  timeZone: string;
  plans: PlanPanel[];
  storage: StoragePanel;
  files: FileRow[];
  /** Set when the file list could not be read; the rest of the panel still shows. */
  filesError?: string;
}

export interface PlanPanel {
  planId: string;
  planName: string;
  enabled: boolean;
  content: BackupContent;
  scheduleText: string;
  latest?: LatestRun;
  /** "Back up now" is refused while this plan has a run queued or in progress. */
  canBackUpNow: boolean;
  backUpNowBlockedReason?: string;
  nextRunAt?: number;
  nextRunText?: string;
}

export interface LatestRun {
  jobId: string;
  state: RunState;
  kind?: SnapshotKind;
  startedAt: number;
  startedText: string;
  finishedAt?: number;
  finishedText?: string;
  progress: {
    projectsDone: number;
    projectsTotal?: number;
    issuesDone: number;
    issuesTotal?: number;
    /** 0…1, or absent while the totals are still unknown (the page then shows an indeterminate bar). */
    fraction?: number;
    text: string;
  };
  projectErrors: { project: string; message: string }[];
  /** How many projects failed, when that is more than `projectErrors` lists. */
  projectErrorCount?: number;
  message?: string;
  /** What the run read and why: "Read everything (full): last full re-read 7 days ago (every 7 days)". */
  modeText?: string;
}

export interface StoragePanel {
  description: string;
  usedBytes?: number;
  quotaBytes?: number;
  usedText?: string;
  quotaText?: string;
  /** 0…1 of the quota; absent when the backend has no quota (FTP/SFTP servers). */
  fractionUsed?: number;
  /** Over 90 % of the quota: the page warns that backups will soon fail. */
  nearlyFull: boolean;
  objectCount?: number;
  /** When the figure was right, epoch ms and "Storage use as of 2026-11-26 02:30" (plus a note while it is being recounted). */
  asOf?: number;
  asOfText?: string;
  /** Never measured for this storage yet: the count runs in the background and the page says so instead of a figure. */
  measuring?: boolean;
  error?: string;
}

export interface FileRow {
  id: string;
  /** "<plan name> 2026-11-26 02:30". */
  name: string;
  planName?: string;
  createdAt: number;
  createdText: string;
  kind: SnapshotKind;
  sizeBytes: number;
  sizeText: string;
  state: BackupFileState;
}
