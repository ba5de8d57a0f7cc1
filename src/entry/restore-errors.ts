import { AdminError } from '../core/admin';
import { FormatError } from '../core/format';
import { JiraCallError } from '../core/restore/jira-call';

/**
 * The restore engine's errors as messages the page can show: a lost backup, a Jira refusal, bad input. Shared by the
 * resolvers and by the worker's queued dry runs, so a dry run says the same thing whichever of the two ran it.
 * Undefined for errors nobody foresaw (they stay internal errors, or are retried by the queue).
 */
export function restoreAdminError(error: unknown): AdminError | undefined {
  if (error instanceof AdminError) return error;
  if (error instanceof FormatError) {
    return new AdminError('not-found', `This backup cannot be read (${error.message}). It may have been rotated out or deleted: reload the list and pick another.`);
  }
  if (error instanceof JiraCallError) {
    return new AdminError('unavailable', `Jira refused a read the restore needs (${error.message}). Try again in a moment.`);
  }
  // The restore planner raises plain Errors for choices it cannot honour, each saying what to do instead.
  if (error instanceof Error && error.constructor === Error) return new AdminError('invalid', error.message);
  return undefined;
}
