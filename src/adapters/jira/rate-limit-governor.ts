import type { Clock, JiraClient, JiraRequest, JiraResponse } from '../../ports';
import { JiraPausedError, JiraUnavailableError } from '../../core/backup/jira-errors';

/**
 * ONE governor for every Jira call the app makes (a JiraClient decorator). Why one: Jira's quota is shared
 * by all calls of the app, so a quota answer must pause every caller, not only the one that got it.
 *
 * - 429 / 503 with Retry-After: waits at least that long (retrying early extends Jira's wait).
 * - RateLimit-Reason `jira-quota-*`: pauses EVERY call until X-RateLimit-Reset (the hourly window).
 * - 429 / 5xx / network errors: retries with backoff 2, 4, 8, 16 s × jitter 0.7–1.3, at most `maxRetries` times.
 * - X-RateLimit-NearLimit: spaces request starts apart for a while (slows down before Jira says no).
 * - At most `maxConcurrency` requests in flight.
 * A wait longer than `maxWaitMs` is not slept through: the call throws JiraPausedError(resumeAt) so a
 * background job can checkpoint and come back later instead of burning its 900 s invocation asleep.
 */
export interface RateLimitGovernorOptions {
  clock: Clock;
  sleep: (ms: number) => Promise<void>;
  /** [0, 1); injected so tests are deterministic. */
  random?: () => number;
  maxConcurrency?: number;
  maxRetries?: number;
  baseBackoffMs?: number;
  maxWaitMs?: number;
  nearLimitSpacingMs?: number;
  nearLimitWindowMs?: number;
}

export interface GovernorStats {
  requests: number;
  retries: number;
  waitedMs: number;
  quotaPauses: number;
  nearLimitSignals: number;
}

export interface GovernedJiraClient extends JiraClient {
  readonly stats: GovernorStats;
  /** Epoch ms until which every call waits (a quota pause), or 0. */
  pausedUntil(): number;
}

const DEFAULTS = {
  maxConcurrency: 16,
  maxRetries: 4,
  baseBackoffMs: 2000,
  maxWaitMs: 120_000,
  nearLimitSpacingMs: 250,
  nearLimitWindowMs: 60_000,
};

export function createRateLimitGovernor(inner: JiraClient, options: RateLimitGovernorOptions): GovernedJiraClient {
  const settings = { ...DEFAULTS, ...stripUndefined(options) };
  const random = options.random ?? Math.random;
  const { clock, sleep } = options;
  const stats: GovernorStats = { requests: 0, retries: 0, waitedMs: 0, quotaPauses: 0, nearLimitSignals: 0 };
  let pausedUntil = 0;
  let slowUntil = 0;
  let nextStartAt = 0;
  let inFlight = 0;
  const waiting: (() => void)[] = [];

  async function acquireSlot(): Promise<void> {
    if (inFlight < settings.maxConcurrency) {
      inFlight++;
      return;
    }
    await new Promise<void>((resolve) => waiting.push(resolve));
  }

  function releaseSlot(): void {
    const next = waiting.shift();
    if (next) next();
    else inFlight--;
  }

  async function wait(ms: number, reason: string): Promise<void> {
    if (ms <= 0) return;
    if (ms > settings.maxWaitMs) throw new JiraPausedError(clock.now() + ms, reason);
    stats.waitedMs += ms;
    await sleep(ms);
  }

  /** Honour a shared quota pause and the near-limit spacing before a request starts. */
  async function beforeStart(): Promise<void> {
    for (;;) {
      const now = clock.now();
      if (now < pausedUntil) {
        await wait(pausedUntil - now, 'Jira quota exhausted; every call waits for the hourly reset');
        continue;
      }
      if (now < slowUntil && now < nextStartAt) {
        const gap = nextStartAt - now;
        nextStartAt += settings.nearLimitSpacingMs;
        await wait(gap, 'near the rate limit');
        return;
      }
      nextStartAt = now + settings.nearLimitSpacingMs;
      return;
    }
  }

  function backoffMs(attempt: number): number {
    const jitter = 0.7 + random() * 0.6;
    return Math.round(settings.baseBackoffMs * 2 ** attempt * jitter);
  }

  async function request(req: JiraRequest): Promise<JiraResponse> {
    for (let attempt = 0; ; attempt++) {
      await beforeStart();
      await acquireSlot();
      let response: JiraResponse | undefined;
      let networkError: unknown;
      try {
        stats.requests++;
        response = await inner.request(req);
      } catch (error) {
        if (error instanceof JiraPausedError) throw error;
        networkError = error;
      } finally {
        releaseSlot();
      }

      if (response && response.headers['x-ratelimit-nearlimit'] === 'true') {
        stats.nearLimitSignals++;
        slowUntil = clock.now() + settings.nearLimitWindowMs;
      }
      if (response && !isRetryable(response.status)) return response;
      if (!safeToRepeat(req, response)) {
        // A write that failed this way may have been applied (a 502 after the issue was created, a reset after the
        // comment was stored). Repeating it blindly would duplicate it: hand it back, and let the caller reconcile
        // against what Jira now holds before it tries again (restore does, from its checkpoint).
        if (response) return response;
        throw new JiraUnavailableError(
          `${req.method} ${req.path} failed with a network error (${describe(networkError)}); Jira may or may not have applied it, so it is checked before it is tried again.`,
        );
      }

      const lastAttempt = attempt >= settings.maxRetries;
      const what = response ? `HTTP ${response.status}` : `network error (${describe(networkError)})`;
      const reason = response?.headers['ratelimit-reason'] ?? '';
      if (response && response.status === 429 && reason.startsWith('jira-quota')) {
        // The hourly pool is empty: nothing succeeds before the reset, for any caller.
        stats.quotaPauses++;
        const resetAt = parseResetAt(response.headers, clock.now());
        pausedUntil = Math.max(pausedUntil, resetAt);
        if (lastAttempt) throw new JiraPausedError(pausedUntil, `Jira quota exhausted (${reason}) on ${req.method} ${req.path}`);
        stats.retries++;
        continue; // beforeStart() waits for the pause (or throws JiraPausedError when it is too long)
      }
      if (lastAttempt) {
        throw new JiraUnavailableError(
          `${req.method} ${req.path} failed after ${attempt + 1} attempts: ${what}. Jira is overloaded or unreachable; the job retries from its checkpoint later.`,
          response?.status,
        );
      }
      stats.retries++;
      const retryAfter = response ? parseRetryAfterMs(response.headers, clock.now()) : undefined;
      // Never retry before Retry-After; add up to 30 % so that parallel callers do not return in lockstep.
      const delay = retryAfter !== undefined ? Math.round(retryAfter * (1 + random() * 0.3)) : backoffMs(attempt);
      await wait(delay, `${what} on ${req.method} ${req.path}`);
    }
  }

  return { request, stats, pausedUntil: () => pausedUntil };
}

/** POSTs that only read (Jira's bulk and search endpoints): repeating them changes nothing. */
const READ_ONLY_POSTS = /^\/rest\/api\/3\/(search\/jql|search\/approximate-count|issue\/bulkfetch|changelog\/bulkfetch|comment\/list|worklog\/list)$/;

/**
 * Whether a failed request may simply be sent again. Reads always may. A write may only when Jira certainly did
 * not apply it: a 429 (refused by the rate limiter) or a 503 with Retry-After (refused for load).
 */
function safeToRepeat(req: JiraRequest, response: JiraResponse | undefined): boolean {
  if (req.method === 'GET' || (req.method === 'POST' && READ_ONLY_POSTS.test(req.path))) return true;
  return response !== undefined && (response.status === 429 || (response.status === 503 && response.headers['retry-after'] !== undefined));
}

function isRetryable(status: number): boolean {
  return status === 429 || (status >= 500 && status !== 501 && status !== 505);
}

/** Retry-After is seconds, or an HTTP date. */
export function parseRetryAfterMs(headers: Record<string, string>, now: number): number | undefined {
  const value = headers['retry-after'];
  if (value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** When a quota window ends: X-RateLimit-Reset (ISO time), else Retry-After, else one minute. */
export function parseResetAt(headers: Record<string, string>, now: number): number {
  const reset = headers['x-ratelimit-reset'];
  if (reset) {
    const at = Date.parse(reset);
    if (!Number.isNaN(at)) return at;
  }
  const retryAfter = parseRetryAfterMs(headers, now);
  return now + (retryAfter ?? 60_000);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
