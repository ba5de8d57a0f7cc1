/** Injected faults: 5xx, 503 + Retry-After, resets, truncated and slow bodies, latency, concurrent change hooks. */
import { startJiraSimulator, type JiraSimulator } from '../../local/jira-sim';
import { pickFault } from '../../local/jira-sim/faults';
import { get } from './http';

let sim: JiraSimulator;
beforeAll(async () => {
  sim = await startJiraSimulator({ site: { seed: 8, issues: 50, attachmentsMb: 0 } });
});
afterAll(() => sim.stop());
afterEach(() => sim.configure({ faults: {}, latencyMs: 0 }));

test('server errors and 503 with Retry-After', async () => {
  sim.configure({ faults: { serverErrorRate: 1 } });
  const error = await get(sim.baseUrl, '/rest/api/3/myself');
  expect(error.status).toBe(500);
  expect(error.json.errorMessages[0]).toContain('injected');
  sim.configure({ faults: { serviceUnavailableRate: 1, retryAfterSeconds: 7 } });
  const busy = await get(sim.baseUrl, '/rest/api/3/myself');
  expect(busy.status).toBe(503);
  expect(busy.headers.get('retry-after')).toBe('7');
  expect(sim.requestLog.entries.slice(-2).map((e) => e.fault)).toEqual(['server-error', 'service-unavailable']);
});

test('a path pattern limits faults to matching requests', async () => {
  sim.configure({ faults: { serverErrorRate: 1, pathPattern: '/serverInfo' } });
  expect((await get(sim.baseUrl, '/rest/api/3/myself')).status).toBe(200);
  expect((await get(sim.baseUrl, '/rest/api/3/serverInfo')).status).toBe(500);
});

test('connection resets and truncated bodies fail the client', async () => {
  sim.configure({ faults: { connectionResetRate: 1 } });
  await expect(fetch(`${sim.baseUrl}/rest/api/3/myself`)).rejects.toThrow();
  sim.configure({ faults: { truncatedBodyRate: 1 } });
  await expect(fetch(`${sim.baseUrl}/rest/api/3/field`).then((r) => r.text())).rejects.toThrow();
});

test('latency and slow bodies', async () => {
  sim.configure({ latencyMs: 150 });
  let started = performance.now();
  await get(sim.baseUrl, '/rest/api/3/myself');
  expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  sim.configure({ latencyMs: 0, faults: { slowBodyBytesPerSecond: 5000 } });
  started = performance.now();
  const r = await get(sim.baseUrl, '/rest/api/3/field'); // a few KB
  expect(r.status).toBe(200);
  expect(performance.now() - started).toBeGreaterThanOrEqual(300);
});

test('fault choice is deterministic per seed and request number', () => {
  const pattern = (seed: number) => Array.from({ length: 200 }, (_, n) => pickFault({ seed, serverErrorRate: 0.1, serviceUnavailableRate: 0.1 }, n, '/x') ?? '-').join(',');
  expect(pattern(3)).toBe(pattern(3));
  expect(pattern(3)).not.toBe(pattern(4));
  const hits = pattern(3).split(',').filter((f) => f !== '-').length;
  expect(hits).toBeGreaterThan(20);
  expect(hits).toBeLessThan(70);
});

test('onRequest runs before each request with the live site', async () => {
  const seen: string[] = [];
  sim.configure({ faults: { onRequest: ({ path, site }) => { seen.push(path); site.serverTitle = `changed at ${path}`; } } });
  const r = await get(sim.baseUrl, '/rest/api/3/serverInfo');
  expect(seen).toEqual(['/rest/api/3/serverInfo']);
  expect(r.json.serverTitle).toBe('changed at /rest/api/3/serverInfo');
});
