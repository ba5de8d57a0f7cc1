import { createRateLimitGovernor } from '../../src/adapters/jira/rate-limit-governor';
import { bufferedResponse } from '../../src/adapters/jira/http-jira-client';
import { JiraPausedError, JiraUnavailableError } from '../../src/core/backup/jira-errors';
import type { JiraClient, JiraRequest, JiraResponse } from '../../src/ports';

/** A virtual clock whose sleep advances time instantly, so multi-second backoffs run in microseconds. */
function virtualTime(start = Date.UTC(2026, 10, 26, 12, 0, 0)) {
  let now = start;
  const sleeps: number[] = [];
  return {
    clock: { now: () => now },
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
    sleeps,
    advance: (ms: number) => (now += ms),
  };
}

type Answer = { status: number; headers?: Record<string, string> } | 'network-error';

/** A scripted Jira: answers each call from a list (then 200), recording when each call started. */
function scriptedJira(answers: Answer[], time: { clock: { now(): number } }) {
  const calls: { path: string; at: number }[] = [];
  const client: JiraClient = {
    async request(req: JiraRequest): Promise<JiraResponse> {
      calls.push({ path: req.path, at: time.clock.now() });
      const answer = answers.shift() ?? { status: 200 };
      if (answer === 'network-error') throw new TypeError('fetch failed');
      return bufferedResponse(answer.status, answer.headers ?? {}, new TextEncoder().encode('{}'));
    },
  };
  return { client, calls };
}

const get = (path: string): JiraRequest => ({ method: 'GET', path });

describe('rate-limit governor', () => {
  it('retries 5xx and network errors with 2,4,8,16 s backoff (jitter 0.7–1.3) and then succeeds', async () => {
    const time = virtualTime();
    const jira = scriptedJira([{ status: 500 }, 'network-error', { status: 502 }, { status: 503 }], time);
    const governor = createRateLimitGovernor(jira.client, { ...time, random: () => 0.5 });
    const response = await governor.request(get('/rest/api/3/myself'));
    expect(response.status).toBe(200);
    expect(time.sleeps).toEqual([2000, 4000, 8000, 16000]);
    expect(governor.stats.retries).toBe(4);
  });

  it('bounds the jitter to 0.7–1.3 of the base backoff', async () => {
    for (const [random, expected] of [
      [0, 1400],
      [0.999999, 2600],
    ] as const) {
      const time = virtualTime();
      const jira = scriptedJira([{ status: 500 }], time);
      await createRateLimitGovernor(jira.client, { ...time, random: () => random }).request(get('/x'));
      expect(time.sleeps[0]).toBe(expected);
    }
  });

  it('gives up after maxRetries with a transient error that says what happened', async () => {
    const time = virtualTime();
    const jira = scriptedJira(Array.from({ length: 10 }, () => ({ status: 503 })), time);
    const governor = createRateLimitGovernor(jira.client, { ...time, random: () => 0.5, maxRetries: 4 });
    await expect(governor.request(get('/rest/api/3/issue/1'))).rejects.toThrow(JiraUnavailableError);
    expect(jira.calls).toHaveLength(5);
  });

  it('does not retry client errors (4xx other than 429)', async () => {
    const time = virtualTime();
    const jira = scriptedJira([{ status: 404 }], time);
    const response = await createRateLimitGovernor(jira.client, time).request(get('/x'));
    expect(response.status).toBe(404);
    expect(jira.calls).toHaveLength(1);
  });

  it('honours Retry-After on a burst 429 and never retries earlier', async () => {
    const time = virtualTime();
    const jira = scriptedJira([{ status: 429, headers: { 'retry-after': '7', 'ratelimit-reason': 'jira-burst-based' } }], time);
    const governor = createRateLimitGovernor(jira.client, { ...time, random: () => 0 });
    await governor.request(get('/x'));
    expect(jira.calls[1].at - jira.calls[0].at).toBeGreaterThanOrEqual(7000);
  });

  it('a quota 429 pauses EVERY call until X-RateLimit-Reset', async () => {
    const time = virtualTime(Date.parse('2026-11-26T12:59:30Z'));
    const jira = scriptedJira(
      [{ status: 429, headers: { 'retry-after': '30', 'ratelimit-reason': 'jira-quota-tenant-based', 'x-ratelimit-reset': '2026-11-26T13:00:00Z' } }],
      time,
    );
    const governor = createRateLimitGovernor(jira.client, { ...time, random: () => 0.5, maxConcurrency: 1 });
    const first = governor.request(get('/first'));
    const second = governor.request(get('/second'));
    await Promise.all([first, second]);
    const reset = Date.parse('2026-11-26T13:00:00Z');
    // Only the first call hit Jira before the reset; the retry and the other caller waited for it.
    expect(jira.calls.filter((c) => c.at < reset).map((c) => c.path)).toEqual(['/first']);
    expect(jira.calls).toHaveLength(3);
    expect(governor.stats.quotaPauses).toBe(1);
  });

  it('throws JiraPausedError instead of sleeping through a wait longer than maxWaitMs', async () => {
    const time = virtualTime(Date.parse('2026-11-26T12:10:00Z'));
    const jira = scriptedJira(
      [{ status: 429, headers: { 'ratelimit-reason': 'jira-quota-global-based', 'x-ratelimit-reset': '2026-11-26T13:00:00Z' } }],
      time,
    );
    const governor = createRateLimitGovernor(jira.client, { ...time, maxWaitMs: 60_000 });
    const error = await governor.request(get('/x')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JiraPausedError);
    expect((error as JiraPausedError).resumeAt).toBe(Date.parse('2026-11-26T13:00:00Z'));
    // Later callers fail fast too, without calling Jira, until the reset.
    await expect(governor.request(get('/y'))).rejects.toThrow(JiraPausedError);
    expect(jira.calls).toHaveLength(1);
  });

  it('spaces request starts apart after X-RateLimit-NearLimit', async () => {
    const time = virtualTime();
    const jira = scriptedJira([{ status: 200, headers: { 'x-ratelimit-nearlimit': 'true' } }], time);
    const governor = createRateLimitGovernor(jira.client, { ...time, nearLimitSpacingMs: 500 });
    for (let i = 0; i < 4; i++) await governor.request(get(`/n${i}`));
    const gaps = jira.calls.slice(1).map((c, i) => c.at - jira.calls[i].at);
    expect(gaps.slice(1).every((gap) => gap >= 500)).toBe(true);
    expect(governor.stats.nearLimitSignals).toBe(1);
  });

  it('never has more than maxConcurrency requests in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    const slow: JiraClient = {
      async request() {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise((resolve) => setImmediate(resolve));
        inFlight--;
        return bufferedResponse(200, {}, new Uint8Array());
      },
    };
    const time = virtualTime();
    const governor = createRateLimitGovernor(slow, { ...time, maxConcurrency: 3 });
    await Promise.all(Array.from({ length: 20 }, (_, i) => governor.request(get(`/c${i}`))));
    expect(peak).toBe(3);
  });
});
