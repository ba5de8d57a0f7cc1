import type { KeyValue } from '../../ports';
import type { FieldNotSet } from './plan-types';

/** Phases run in this order; each keeps a cursor into the plan's issues so a step can stop anywhere and resume. */
export type RestorePhase = 'project' | 'issues' | 'content' | 'links' | 'rank' | 'revert' | 'done';

export interface RestoreJob {
  id: string;
  planId: string;
  status: 'running' | 'waiting' | 'done' | 'failed';
  phase: RestorePhase;
  /** For `issues`: the wave being created. */
  wave: number;
  /** Index into the phase's list of work. */
  cursor: number;
  /**
   * Source ids a step began writing but did not record as finished (a crash or timeout may have fallen after Jira
   * accepted the write and before the id map was written): the next step reconciles them against the live site first.
   */
  inFlight: string[];
  /** Content phase: issues finished out of order, after `cursor` (the phase runs several issues at once). */
  doneAhead?: string[];
  /** Increases with every continuation event; a duplicate delivery of an older event sees a newer seq and stops. */
  seq: number;
  startedAt: number;
  updatedAt: number;
  finishedAt?: number;
  steps: number;
  /** Requests paused by 429/503, for the report. */
  rateLimitedPauses: number;
  error?: string;
  links: Count;
  rank?: { done: boolean; reason?: string };
  project?: { created: boolean; reason?: string; components: Count; versions: Count };
}

/** Partial results per content type: "comments: 3 of 5 restored", with why the rest were not. */
export interface Count {
  done: number;
  total: number;
  failures: { item: string; reason: string }[];
}

export const emptyCount = (total = 0): Count => ({ done: 0, total, failures: [] });

export interface IssueResult {
  sourceId: string;
  sourceKey: string;
  action: 'create' | 'update' | 'revert';
  target?: { id: string; key: string };
  /** True when a previous run (or this one, before a crash) had already created the issue. */
  reusedExisting?: boolean;
  fieldsSet: string[];
  fieldsNotSet: FieldNotSet[];
  status?: { target: string; reached: boolean; path: string[]; reason?: string };
  comments: Count;
  worklogs: Count;
  attachments: Count;
  remoteLinks: Count;
  watchers: Count;
  properties: Count;
  sprint?: { name: string; done: boolean; reason?: string };
  error?: string;
}

const jobKey = (jobId: string) => `restore-job:${jobId}`;
const resultKey = (jobId: string, sourceId: string) => `restore-job:${jobId}:issue:${sourceId}`;
export const resultPrefix = (jobId: string) => `restore-job:${jobId}:issue:`;

export const loadJob = (kv: KeyValue, jobId: string) => kv.get<RestoreJob>(jobKey(jobId));
export const saveJob = (kv: KeyValue, job: RestoreJob) => kv.set(jobKey(job.id), job);
export const loadResult = (kv: KeyValue, jobId: string, sourceId: string) => kv.get<IssueResult>(resultKey(jobId, sourceId));
export const saveResult = (kv: KeyValue, jobId: string, result: IssueResult) => kv.set(resultKey(jobId, result.sourceId), result);

/** A restore job's keys, for housekeeping (src/core/housekeeping). The id map (`restore-map:`) is not among them: it stays. */
export const restoreJobKeys = { record: jobKey, resultPrefix };
