/**
 * Errors the governor raises so a background job can react: checkpoint and come back later.
 * They live in the core (pure) because the engine recognises them; the governor (src/adapters/jira) throws them.
 */

/** Jira asked us to wait longer than one call should sleep (quota reset, long Retry-After). */
export class JiraPausedError extends Error {
  constructor(
    /** Epoch ms after which calls may succeed again. */
    readonly resumeAt: number,
    reason: string,
  ) {
    super(`Jira calls are paused until ${new Date(resumeAt).toISOString()}: ${reason}`);
    this.name = 'JiraPausedError';
  }
}

/** Retries exhausted on 429 / 5xx / network errors: transient, the step should be retried later. */
export class JiraUnavailableError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'JiraUnavailableError';
  }
}
