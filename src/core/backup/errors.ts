import { FormatError } from '../format';
import { StoreError } from '../../ports';
import { JiraPausedError, JiraUnavailableError } from './jira-errors';
import { JiraRequestError } from './jira-json';

/**
 * How the engine treats a failure:
 * - pause: Jira asked us to wait (quota); checkpoint and come back after `resumeAt`.
 * - transient: may work on a later try (Jira or the store overloaded/unreachable, KVS errors, anything unknown);
 *   the step is redelivered from its checkpoint, and after `maxStepAttempts` deliveries the project is given up.
 * - permanent: Jira refused (4xx) or a record cannot be stored; this project (or site section) fails with the
 *   message, the rest goes on.
 * - fatal: the storage refuses (quota, permissions, disk full): every project would fail the same way, so the job does.
 */
export type FailureKind = 'pause' | 'transient' | 'permanent' | 'fatal';

/** The job cannot go on (e.g. planning failed again and again); it ends as failed with this message. */
export class FatalJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FatalJobError';
  }
}

/** The job was cancelled while a step ran: the step stops without writing anything more. */
export class JobCancelledError extends Error {
  constructor(jobId: string) {
    super(`Backup job ${jobId} was cancelled.`);
    this.name = 'JobCancelledError';
  }
}

export function classify(error: unknown): FailureKind {
  if (error instanceof FatalJobError) return 'fatal';
  if (error instanceof JiraPausedError || (error as Error | undefined)?.name === 'JiraPausedError') return 'pause';
  if (error instanceof JiraUnavailableError || (error as Error | undefined)?.name === 'JiraUnavailableError') return 'transient';
  if (error instanceof StoreError) return error.retryable ? 'transient' : 'fatal';
  if (error instanceof FormatError) return 'permanent';
  if (error instanceof JiraRequestError) return 'permanent';
  // Anything else (KVS hiccups, a runtime error): retry from the checkpoint; maxStepAttempts bounds the retries.
  return 'transient';
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function resumeAtOf(error: unknown): number | undefined {
  const at = (error as { resumeAt?: unknown } | undefined)?.resumeAt;
  return typeof at === 'number' ? at : undefined;
}

/** Longest message kept in the job record and the project list (a Jira error body can run to kilobytes). */
export const SHORT_MESSAGE_CHARS = 500;
/** Longest message kept in a project's checkpoint and the manifest. */
export const LONG_MESSAGE_CHARS = 4_000;

/**
 * `message` cut to `max` characters, marked as cut. The job record and the project list are KVS values (≤ 240 KiB)
 * rewritten at every checkpoint: an unbounded message from Jira must not be able to push them over the limit.
 */
export function shorten(message: string, max = SHORT_MESSAGE_CHARS): string {
  return message.length <= max ? message : `${message.slice(0, max - 1)}…`;
}
