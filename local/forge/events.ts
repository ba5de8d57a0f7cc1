import { randomUUID } from 'node:crypto';
import { currentInvocation, InvocationChain, newChain } from './invocation';
import type { AppManifest, ConsumerModule } from './manifest';
import { emptyResponse, jsonResponse, parseJsonBody } from './responses';
import { EmulatorConfigError, InvocationTimeoutError } from './errors';
import type { EventQueueJournal, JobCounts } from './events-persistence';

/** Forge's async-events limits (limits-async-events, async-events-api). */
export const MAX_EVENTS_PER_PUSH = 50;
export const MAX_PUSH_BYTES = 200 * 1024;
export const MAX_EVENT_BYTES_LONG_CONSUMER = 100 * 1024;
export const MAX_PUSHES_PER_CHAIN = 1000;
export const MAX_DELAY_SECONDS = 900;
export const MAX_RETRY_AFTER_SECONDS = 900;
export const RETENTION_WINDOW_MS = 24 * 60 * 60_000;
const MAX_RETRY_DATA_BYTES = 4 * 1024;
/** First retry after an error, doubling per retry up to Forge's ~15 minutes. */
const BASE_BACKOFF_SECONDS = 10;

/** What the consumer function receives (the AsyncEvent type of @forge/events). */
export interface AsyncEventPayload {
  body: Record<string, unknown>;
  queueName: string;
  jobId: string;
  eventId: string;
  delayInSeconds?: number;
  concurrency?: { key: string; limit: number };
  retryContext?: {
    retryCount: number;
    retryReason: string;
    retryData?: unknown;
    retentionWindow: { startTime: string; remainingTimeMs: number };
  };
}

export interface QueuedEvent {
  seq: number;
  event: AsyncEventPayload;
  consumer: ConsumerModule;
  dueAt: number;
  firstPushedAt: number;
  /** The chain of the invocation that pushed it; its consumer run continues that chain. */
  chain: InvocationChain;
  /** Which push of its chain brought this event (1 for a resolver's or trigger's own push, up to 1,000). */
  chainDepth: number;
  /** A deliberate second delivery (duplicate-delivery test mode). */
  duplicate: boolean;
}

export interface DeadLetter {
  event: AsyncEventPayload;
  reason: string;
}

type JobState = JobCounts;

export interface EventDeliveryDeps {
  manifest: AppManifest;
  now: () => number;
  /** Returns true when this successfully delivered event should be delivered once more (at-least-once test mode). */
  shouldDuplicate: () => boolean;
  /** Runs the consumer; resolves with what it returned, rejects with what it threw (or a timeout). */
  runConsumer: (queued: QueuedEvent) => Promise<unknown>;
  log: (message: string) => void;
  /** Where the queue persists (absent: memory only). */
  journal?: EventQueueJournal;
}

/**
 * Forge async events: the publish / stats / cancel endpoints @forge/events calls, a queue of events due at
 * platform-clock times, and delivery to the manifest's consumer with Forge's retry rules.
 */
export class AsyncEvents {
  private readonly queue: QueuedEvent[] = [];
  private readonly jobs = new Map<string, JobState>();
  readonly deadLetters: DeadLetter[] = [];
  private seq = 0;

  constructor(private readonly deps: EventDeliveryDeps) {
    const saved = deps.journal?.load();
    if (saved) {
      this.queue.push(...saved.events);
      for (const [id, job] of saved.jobs) this.jobs.set(id, job);
      this.seq = saved.seq;
    }
  }

  /** Queues an event, journalled first so a crash after this point cannot lose it. */
  private enqueue(queued: QueuedEvent): void {
    this.deps.journal?.added(queued);
    this.queue.push(queued);
  }

  private jobChanged(jobId: string, job: JobState | undefined): void {
    if (job) this.deps.journal?.job(jobId, job);
  }

  handle(path: string, init: RequestInit | undefined): Response {
    const body = parseJsonBody(init) as Record<string, unknown>;
    if (path.startsWith('/webhook/queue/publish/')) return this.publish(body);
    if (path.startsWith('/webhook/queue/stats/')) return this.stats(body);
    if (path.startsWith('/webhook/queue/cancel/')) return this.cancel(body);
    return jsonResponse(404, { message: `Unknown events endpoint ${path}` });
  }

  /** Events waiting (delayed, retrying or due), oldest first. */
  pending(): QueuedEvent[] {
    return [...this.queue].sort(byDue);
  }

  nextDueAt(): number | undefined {
    return this.queue.length ? Math.min(...this.queue.map((q) => q.dueAt)) : undefined;
  }

  /** Removes and returns the earliest event due at or before `now`. */
  takeDue(now: number): QueuedEvent | undefined {
    let best = -1;
    for (let i = 0; i < this.queue.length; i++) {
      if (this.queue[i].dueAt <= now && (best < 0 || byDue(this.queue[i], this.queue[best]) < 0)) best = i;
    }
    // Still in the journal until its delivery finishes: a crash mid-delivery redelivers it (at least once).
    return best < 0 ? undefined : this.queue.splice(best, 1)[0];
  }

  /** Delivers one event and applies Forge's outcome rules: done, retried with backoff, or dropped. */
  async deliver(queued: QueuedEvent): Promise<'delivered' | 'retrying' | 'dropped'> {
    let requeued = false;
    try {
      return await this.deliverAndReschedule(queued);
    } catch (error) {
      // The app cannot run at all (its handler is missing from src/): the event waits, and the caller hears
      // it now, rather than seeing 24 h of silent retries.
      if (error instanceof EmulatorConfigError) {
        this.queue.push(queued);
        requeued = true;
      }
      throw error;
    } finally {
      if (!requeued) {
        this.deps.journal?.removed(queued.seq);
        this.jobChanged(queued.event.jobId, this.jobs.get(queued.event.jobId));
      }
    }
  }

  private async deliverAndReschedule(queued: QueuedEvent): Promise<'delivered' | 'retrying' | 'dropped'> {
    const job = this.jobs.get(queued.event.jobId);
    let outcome: unknown;
    let failure: { reason: string; retryAfterSeconds: number; retryData?: unknown; message: string } | undefined;
    try {
      outcome = await this.deps.runConsumer(queued);
      const retry = asRetryRequest(outcome);
      if (retry) failure = { ...retry, message: `the consumer asked for a retry (${retry.reason})` };
    } catch (error) {
      if (error instanceof EmulatorConfigError) throw error; // see deliver()
      const timedOut = error instanceof InvocationTimeoutError;
      failure = {
        reason: timedOut ? 'FUNCTION_TIME_OUT' : 'FUNCTION_PLATFORM_UNKNOWN_ERROR',
        retryAfterSeconds: Math.min(MAX_RETRY_AFTER_SECONDS, BASE_BACKOFF_SECONDS * 2 ** (queued.event.retryContext?.retryCount ?? 0)),
        message: error instanceof Error ? error.message : String(error),
      };
    }
    if (!failure) {
      if (!queued.duplicate && job) {
        job.inProgress--;
        job.success++;
      }
      if (!queued.duplicate && this.deps.shouldDuplicate()) {
        this.enqueue({ ...queued, seq: ++this.seq, dueAt: this.deps.now(), duplicate: true });
      }
      return 'delivered';
    }
    if (queued.duplicate) return 'dropped'; // the original already counted; a failed extra copy is not retried
    const now = this.deps.now();
    const dueAt = now + failure.retryAfterSeconds * 1000;
    const windowEnds = queued.firstPushedAt + RETENTION_WINDOW_MS;
    if (dueAt > windowEnds) {
      if (job) {
        job.inProgress--;
        job.failed++;
      }
      const reason = `dropped after ${(queued.event.retryContext?.retryCount ?? 0) + 1} attempts: the 24 h retention window ended (last: ${failure.message})`;
      this.deadLetters.push({ event: queued.event, reason });
      this.deps.log(`event ${queued.event.eventId} on ${queued.event.queueName} ${reason}`);
      return 'dropped';
    }
    let retryData = failure.retryData;
    if (retryData !== undefined && Buffer.byteLength(JSON.stringify(retryData)) > MAX_RETRY_DATA_BYTES) {
      this.deps.log(`event ${queued.event.eventId}: retryData over 4 KB was dropped, as Forge limits it to 4 KB`);
      retryData = undefined;
    }
    const retryCount = (queued.event.retryContext?.retryCount ?? 0) + 1;
    this.enqueue({
      ...queued,
      seq: ++this.seq,
      dueAt,
      event: {
        ...queued.event,
        retryContext: {
          retryCount,
          retryReason: failure.reason,
          ...(retryData !== undefined ? { retryData } : {}),
          retentionWindow: { startTime: new Date(queued.firstPushedAt).toISOString(), remainingTimeMs: windowEnds - dueAt },
        },
      },
    });
    return 'retrying';
  }

  private publish(body: Record<string, unknown>): Response {
    const queueName = String(body.queueName ?? '');
    const events = body.payload as Array<{ body?: unknown; delayInSeconds?: number; concurrency?: { key: string; limit: number } }>;
    const consumer = this.deps.manifest.consumers.find((c) => c.queue === queueName);
    if (!consumer) {
      return jsonResponse(400, { message: `No consumer in manifest.yml listens to queue '${queueName}'; add one under modules.consumer.` });
    }
    if (!Array.isArray(events) || events.length === 0) return jsonResponse(400, { message: 'No events pushed.' });
    if (events.length > MAX_EVENTS_PER_PUSH) {
      return jsonResponse(400, { message: `This push contains ${events.length} events; Forge allows ${MAX_EVENTS_PER_PUSH}.` });
    }
    const pushBytes = Buffer.byteLength(JSON.stringify(events));
    if (pushBytes > MAX_PUSH_BYTES) {
      return jsonResponse(413, { errorMessage: `The push is ${pushBytes} bytes; the maximum payload size is 200KB.` });
    }
    const timeout = this.deps.manifest.functions.get(consumer.functionKey)?.timeoutSeconds ?? 55;
    if (timeout > 55) {
      const big = events.findIndex((e) => Buffer.byteLength(JSON.stringify(e)) > MAX_EVENT_BYTES_LONG_CONSUMER);
      if (big >= 0) {
        return jsonResponse(413, {
          errorMessage: `Event ${big} is ${Buffer.byteLength(JSON.stringify(events[big]))} bytes; events for consumers with timeoutSeconds over 55 may be at most 100KB.`,
        });
      }
    }
    for (const e of events) {
      if (e.delayInSeconds !== undefined && (typeof e.delayInSeconds !== 'number' || e.delayInSeconds < 0 || e.delayInSeconds > MAX_DELAY_SECONDS)) {
        return jsonResponse(400, { message: `delayInSeconds must be between 0 and ${MAX_DELAY_SECONDS}, got ${String(e.delayInSeconds)}.` });
      }
    }
    const chain = currentInvocation()?.chain ?? newChain();
    if (chain.pushes >= MAX_PUSHES_PER_CHAIN) {
      return jsonResponse(405, { message: `The limit on cyclic invocation (${MAX_PUSHES_PER_CHAIN} pushes per invocation chain) has been reached.` });
    }
    chain.pushes++;
    const jobId = String(body.jobId ?? randomUUID());
    const job = this.jobs.get(jobId) ?? { queueName, success: 0, failed: 0, inProgress: 0 };
    this.jobs.set(jobId, job);
    const now = this.deps.now();
    for (const e of events) {
      job.inProgress++;
      this.enqueue({
        seq: ++this.seq,
        consumer,
        chain,
        chainDepth: chain.pushes,
        duplicate: false,
        firstPushedAt: now,
        dueAt: now + (e.delayInSeconds ?? 0) * 1000,
        event: {
          body: e.body as Record<string, unknown>,
          queueName,
          jobId,
          eventId: randomUUID(),
          ...(e.delayInSeconds !== undefined ? { delayInSeconds: e.delayInSeconds } : {}),
          ...(e.concurrency !== undefined ? { concurrency: e.concurrency } : {}),
        },
      });
    }
    this.jobChanged(jobId, job);
    return jsonResponse(201, { jobId });
  }

  private stats(body: Record<string, unknown>): Response {
    const job = this.jobs.get(String(body.jobId));
    if (!job || job.queueName !== body.queueName) return jsonResponse(404, { message: 'Job not found.' });
    return jsonResponse(200, { success: job.success, inProgress: job.inProgress, failed: job.failed });
  }

  private cancel(body: Record<string, unknown>): Response {
    const jobId = String(body.jobId);
    const job = this.jobs.get(jobId);
    if (!job || job.queueName !== body.queueName) return jsonResponse(404, { message: 'Job not found.' });
    for (let i = this.queue.length - 1; i >= 0; i--) {
      if (this.queue[i].event.jobId !== jobId) continue;
      const [removed] = this.queue.splice(i, 1);
      this.deps.journal?.removed(removed.seq);
    }
    job.inProgress = 0;
    this.jobChanged(jobId, job);
    return emptyResponse(204);
  }
}

/** An InvocationError (or QueueResponse.retry()) returned by the consumer: `{_retry: true, retryOptions}`. */
function asRetryRequest(outcome: unknown): { reason: string; retryAfterSeconds: number; retryData?: unknown } | undefined {
  if (!outcome || typeof outcome !== 'object' || (outcome as { _retry?: unknown })._retry !== true) return undefined;
  const options = ((outcome as { retryOptions?: Record<string, unknown> }).retryOptions ?? {}) as Record<string, unknown>;
  const after = typeof options.retryAfter === 'number' ? options.retryAfter : 1;
  return {
    reason: typeof options.retryReason === 'string' ? options.retryReason : 'FUNCTION_RETRY_REQUEST',
    retryAfterSeconds: Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(1, after)),
    retryData: options.retryData,
  };
}

function byDue(a: QueuedEvent, b: QueuedEvent): number {
  return a.dueAt - b.dueAt || a.seq - b.seq;
}
