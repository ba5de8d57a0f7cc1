/**
 * Handlers of the emulator's fixture app. They use only the real @forge/* packages, as a deployed app would,
 * so the tests exercise the emulator through the SDK's own request and error paths.
 */
import api, { getAppContext, invokeRemote, route } from '@forge/api';
import { InvocationError, InvocationErrorCode, Queue } from '@forge/events';
import { kvs } from '@forge/kvs';
import { objectStore } from '@forge/object-store';
import Resolver from '@forge/resolver';
import { createHash } from 'node:crypto';

const jobs = new Queue({ key: 'fixture-jobs' });

const definitions = new Resolver();
definitions.define('whoami', ({ context }) => ({ accountId: context.accountId, moduleKey: context.moduleKey, cloudId: context.cloudId }));
definitions.define('appContext', () => {
  const app = getAppContext();
  return { moduleKey: app.moduleKey, appAri: app.appAri.toString(), remainingMs: app.invocationRemainingTimeInMillis() };
});
definitions.define('echo', ({ payload }) => payload);
definitions.define('fail', () => {
  throw new Error('resolver failed on purpose');
});
definitions.define('enqueue', async ({ payload }) => {
  const events = (payload as { events: Record<string, unknown>[]; delayInSeconds?: number }).events;
  const delay = (payload as { delayInSeconds?: number }).delayInSeconds;
  return jobs.push(events.map((body) => ({ body, ...(delay !== undefined ? { delayInSeconds: delay } : {}) })));
});
definitions.define('pushTo', async ({ payload }) => {
  const { queue, events } = payload as { queue: string; events: Record<string, unknown>[] };
  return new Queue({ key: queue }).push(events.map((body) => ({ body })));
});
definitions.define('jiraAsUser', async ({ payload }) => {
  const response = await api.asUser().requestJira(route`/rest/api/3/myself?expand=${String((payload as { expand?: string }).expand ?? 'groups')}`);
  return { status: response.status, body: await response.json() };
});
definitions.define('jiraAsApp', async () => {
  const response = await api.asApp().requestJira(route`/rest/api/3/serverInfo`);
  return { status: response.status, body: await response.json() };
});
definitions.define('remote', async ({ payload }) => {
  const response = await invokeRemote('delivery-relay', {
    path: '/v1/echo',
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(payload),
  });
  return { status: response.status, body: await response.json() };
});
/** The end-to-end path: the page asks for a backup, the worker does it. */
definitions.define('startBackup', async ({ payload, context }) => {
  const runId = String((payload as { runId: string }).runId);
  await kvs.set(`run:${runId}`, { state: 'queued', requestedBy: context.accountId });
  const { jobId } = await jobs.push({ body: { kind: 'backup', runId } });
  return { runId, jobId };
});
export const resolver = definitions.getDefinitions();

interface FixtureEvent {
  body: Record<string, unknown>;
  jobId: string;
  eventId: string;
  retryContext?: { retryCount: number; retryReason: string; retryData?: unknown };
}

const overlap = { running: 0, max: 0 };

/** Consumer of `fixture-jobs` (and, via `short-worker`, of `short-jobs`). */
export async function worker(event: FixtureEvent): Promise<unknown> {
  const body = event.body;
  switch (body.kind) {
    case 'record': {
      // Appends instead of overwriting, so a test can see duplicate deliveries.
      const key = `seen:${String(body.id)}`;
      const seen = ((await kvs.get<number[]>(key)) ?? []).concat(event.retryContext?.retryCount ?? 0);
      await kvs.set(key, seen);
      return undefined;
    }
    case 'fail-times': {
      const key = `attempts:${String(body.id)}`;
      const attempts = ((await kvs.get<number>(key)) ?? 0) + 1;
      await kvs.set(key, attempts);
      if (attempts <= Number(body.times)) throw new Error(`attempt ${attempts} fails on purpose`);
      await kvs.set(`retryContext:${String(body.id)}`, event.retryContext ?? null);
      return undefined;
    }
    case 'retry-request': {
      if (!event.retryContext) {
        return new InvocationError({
          retryAfter: Number(body.retryAfter),
          retryReason: InvocationErrorCode.FUNCTION_UPSTREAM_RATE_LIMITED,
          retryData: { cursor: 'page-2' },
        });
      }
      await kvs.set(`retried:${String(body.id)}`, event.retryContext);
      return undefined;
    }
    case 'chain': {
      const depth = Number(body.depth);
      await kvs.set('chain:depth', depth);
      try {
        await jobs.push({ body: { kind: 'chain', depth: depth + 1 } });
      } catch (error) {
        await kvs.set('chain:stoppedBy', (error as Error).constructor.name);
      }
      return undefined;
    }
    case 'overlap': {
      // How many consumer runs are in flight at once (module state: the emulator runs them in one process).
      overlap.running++;
      overlap.max = Math.max(overlap.max, overlap.running);
      await new Promise((resolve) => setTimeout(resolve, 30));
      overlap.running--;
      await kvs.set('overlap:max', overlap.max);
      return undefined;
    }
    case 'remaining': {
      await kvs.set('remaining:ms', getAppContext().invocationRemainingTimeInMillis());
      return undefined;
    }
    case 'backup': {
      const runId = String(body.runId);
      const data = Buffer.from(JSON.stringify({ runId, issues: ['TEST-1', 'TEST-2'] }));
      const checksum = createHash('sha256').update(data).digest('base64');
      const objectKey = `snapshots/${runId}.json`;
      const upload = await objectStore.createUploadUrl({ key: objectKey, length: data.length, checksum, checksumType: 'SHA256' });
      const put = await fetch(upload!.url, { method: 'PUT', body: data });
      if (!put.ok) throw new Error(`upload failed: ${put.status} ${await put.text()}`);
      await kvs.set(`run:${runId}`, { state: 'done', objectKey, bytes: data.length });
      return undefined;
    }
    default:
      throw new Error(`unknown event kind ${String(body.kind)}`);
  }
}

/** Consumer of `slow-jobs`, declared with timeoutSeconds: 1: it outlives its time limit on purpose. */
export async function slowWorker(event: FixtureEvent): Promise<void> {
  const attempt = ((await kvs.get<number>('slow:attempts')) ?? 0) + 1;
  await kvs.set('slow:attempts', attempt);
  if (attempt === 1) {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    // Forge has killed this invocation by now: this write must not land.
    try {
      await kvs.set('slow:late-write', true);
    } catch (error) {
      (globalThis as { __fixtureLateError?: unknown }).__fixtureLateError = error;
    }
    return;
  }
  await kvs.set('slow:done', event.retryContext ?? null);
}

const consumerDefinitions = new Resolver();
consumerDefinitions.define('on-event', async ({ payload }) => {
  await kvs.set('resolver-consumer:last', payload);
});
export const consumerResolver = consumerDefinitions.getDefinitions();

/** Scheduled trigger: counts its runs. */
export async function tick(request: { context: { moduleKey: string } }): Promise<void> {
  if (await kvs.get('tick:fail')) throw new Error('tick fails on purpose');
  const runs = ((await kvs.get<number>('tick:runs')) ?? 0) + 1;
  await kvs.set('tick:runs', runs);
  await kvs.set('tick:module', request.context.moduleKey);
}
