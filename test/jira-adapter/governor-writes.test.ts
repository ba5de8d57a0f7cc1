import { createRateLimitGovernor } from '../../src/adapters/jira/rate-limit-governor';
import { bufferedResponse } from '../../src/adapters/jira/http-jira-client';
import { JiraUnavailableError } from '../../src/core/backup/jira-errors';
import type { JiraClient, JiraRequest, JiraResponse } from '../../src/ports';

type Answer = { status: number; headers?: Record<string, string> } | 'network-error';

/** A scripted Jira that counts calls; sleeping costs no time. */
function scripted(answers: Answer[]) {
  let calls = 0;
  const client: JiraClient = {
    async request(): Promise<JiraResponse> {
      calls++;
      const answer = answers.shift() ?? { status: 200 };
      if (answer === 'network-error') throw new TypeError('fetch failed');
      return bufferedResponse(answer.status, answer.headers ?? {}, new TextEncoder().encode('{}'));
    },
  };
  const governor = createRateLimitGovernor(client, { clock: { now: () => 0 }, sleep: async () => undefined, random: () => 0.5 });
  return { governor, calls: () => calls };
}

const createIssue: JiraRequest = { method: 'POST', path: '/rest/api/3/issue', json: { fields: {} } };

/** A write Jira may have applied must never be repeated blindly: that is how a restore duplicates an issue. */
describe('rate-limit governor and writes', () => {
  it('hands a 502 on a write back at once instead of repeating it', async () => {
    const jira = scripted([{ status: 502 }, { status: 201 }]);
    expect((await jira.governor.request(createIssue)).status).toBe(502);
    expect(jira.calls()).toBe(1);
  });

  it('fails a write after a network error at once, saying Jira may have applied it', async () => {
    const jira = scripted(['network-error', { status: 201 }]);
    await expect(jira.governor.request(createIssue)).rejects.toThrow(JiraUnavailableError);
    await expect(scripted(['network-error']).governor.request(createIssue)).rejects.toThrow(/may or may not have applied it/);
    expect(jira.calls()).toBe(1);
  });

  it.each([
    ['a 429', { status: 429, headers: { 'retry-after': '1' } }],
    ['a 503 with Retry-After', { status: 503, headers: { 'retry-after': '1' } }],
  ])('repeats a write after %s: Jira refused it, so nothing was applied', async (_name, answer) => {
    const jira = scripted([answer, { status: 201 }]);
    expect((await jira.governor.request(createIssue)).status).toBe(201);
    expect(jira.calls()).toBe(2);
  });

  it.each(['/rest/api/3/issue/bulkfetch', '/rest/api/3/search/jql', '/rest/api/3/changelog/bulkfetch'])('repeats the read-only POST %s after a 502', async (path) => {
    const jira = scripted([{ status: 502 }, { status: 200 }]);
    expect((await jira.governor.request({ method: 'POST', path, json: {} })).status).toBe(200);
    expect(jira.calls()).toBe(2);
  });
});
