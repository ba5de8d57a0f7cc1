/**
 * Jira Cloud's three rate limits, applied at once:
 *  1. an hourly points quota — 1 point per request plus 1 per object returned (2 per user or group); writes cost 1;
 *  2. a per-second burst limit per endpoint and method;
 *  3. a per-issue write limit (20 writes per 2 s and 100 per 30 s on one issue).
 * Refusals are 429 with Retry-After, X-RateLimit-* and RateLimit-Reason. The clock is injectable so tests can
 * step through windows without waiting.
 */

export type RateLimitReason = 'jira-quota-global-based' | 'jira-quota-tenant-based' | 'jira-burst-based' | 'jira-per-issue-on-write';

export interface RateLimitConfig {
  /** Points per clock hour (fixed windows aligned to the hour). Default 65,000 (tier 1). */
  hourlyPoints?: number;
  /** Reason reported when the quota runs out. Default jira-quota-global-based (tier 1 is shared by all tenants). */
  quotaReason?: 'jira-quota-global-based' | 'jira-quota-tenant-based';
  /** Requests per second per endpoint and method. Default 100. */
  burstPerSecond?: number;
  /** Writes to one issue: [max, windowMs] pairs. Default [[20, 2000], [100, 30000]]. */
  perIssueWrites?: Array<[number, number]>;
  /** Share of the quota under which X-RateLimit-NearLimit turns true. Default 0.2. */
  nearLimitShare?: number;
  /** Milliseconds since the epoch; defaults to the simulator's clock. */
  now?: () => number;
}

export interface RateDecision {
  allowed: boolean;
  reason?: RateLimitReason;
  retryAfterSeconds?: number;
  headers: Record<string, string>;
}

const HOUR = 3_600_000;

export class RateLimiter {
  private windowStart = -1;
  private used = 0;
  private readonly burst = new Map<string, number[]>();
  private readonly issueWrites = new Map<string, number[]>();

  constructor(private config: RateLimitConfig | 'off', private readonly fallbackNow: () => number) {}

  configure(config: RateLimitConfig | 'off'): void {
    this.config = config;
  }

  get enabled(): boolean {
    return this.config !== 'off';
  }

  private now(): number {
    return this.config !== 'off' && this.config.now ? this.config.now() : this.fallbackNow();
  }

  private get limit(): number {
    return this.config === 'off' ? Infinity : this.config.hourlyPoints ?? 65_000;
  }

  private rollWindow(now: number): void {
    const start = Math.floor(now / HOUR) * HOUR;
    if (start !== this.windowStart) {
      this.windowStart = start;
      this.used = 0;
    }
  }

  /** Points used in the current hour (for tests). */
  pointsUsed(): number {
    this.rollWindow(this.now());
    return this.used;
  }

  private quotaHeaders(): Record<string, string> {
    if (this.config === 'off') return {};
    const remaining = Math.max(0, this.limit - this.used);
    return {
      'x-ratelimit-limit': String(this.limit),
      'x-ratelimit-remaining': String(remaining),
      'x-ratelimit-reset': new Date(this.windowStart + HOUR).toISOString(),
      'x-ratelimit-nearlimit': String(remaining < this.limit * (this.config.nearLimitShare ?? 0.2)),
    };
  }

  private refuse(reason: RateLimitReason, retryAfterSeconds: number): RateDecision {
    return {
      allowed: false,
      reason,
      retryAfterSeconds,
      headers: { ...this.quotaHeaders(), 'retry-after': String(retryAfterSeconds), 'ratelimit-reason': reason },
    };
  }

  /** Decides before the request runs. `endpoint` is "METHOD template"; `issueKey` is set for per-issue writes. */
  check(endpoint: string, issueKey: string | undefined): RateDecision {
    if (this.config === 'off') return { allowed: true, headers: {} };
    const now = this.now();
    this.rollWindow(now);
    if (this.used >= this.limit) {
      return this.refuse(this.config.quotaReason ?? 'jira-quota-global-based', Math.max(1, Math.ceil((this.windowStart + HOUR - now) / 1000)));
    }
    const perSecond = this.config.burstPerSecond ?? 100;
    const recent = (this.burst.get(endpoint) ?? []).filter((t) => t > now - 1000);
    if (recent.length >= perSecond) {
      this.burst.set(endpoint, recent);
      return this.refuse('jira-burst-based', Math.max(1, Math.ceil((recent[0] + 1000 - now) / 1000)));
    }
    if (issueKey !== undefined) {
      const windows = this.config.perIssueWrites ?? [[20, 2000], [100, 30_000]];
      const longest = Math.max(...windows.map(([, ms]) => ms));
      const writes = (this.issueWrites.get(issueKey) ?? []).filter((t) => t > now - longest);
      this.issueWrites.set(issueKey, writes);
      for (const [max, ms] of windows) {
        const inWindow = writes.filter((t) => t > now - ms);
        if (inWindow.length >= max) return this.refuse('jira-per-issue-on-write', Math.max(1, Math.ceil((inWindow[0] + ms - now) / 1000)));
      }
      writes.push(now);
    }
    recent.push(now);
    this.burst.set(endpoint, recent);
    return { allowed: true, headers: {} };
  }

  /** Charges points after the request ran; returns the headers to send with the response. */
  charge(points: number): Record<string, string> {
    if (this.config === 'off') return {};
    const now = this.now();
    this.rollWindow(now);
    this.used += points;
    return this.quotaHeaders();
  }
}
