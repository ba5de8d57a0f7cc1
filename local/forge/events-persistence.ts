import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { InvocationChain } from './invocation';
import type { AppManifest } from './manifest';
import type { AsyncEventPayload, QueuedEvent } from './events';

export interface JobCounts {
  queueName: string;
  success: number;
  failed: number;
  inProgress: number;
}

/** The queue as saved: events not yet delivered (in flight ones included: a crash must not lose them). */
export interface SavedQueue {
  seq: number;
  events: QueuedEvent[];
  jobs: Map<string, JobCounts>;
}

interface SavedEvent {
  seq: number;
  event: AsyncEventPayload;
  consumerModuleKey: string;
  dueAt: number;
  firstPushedAt: number;
  chain: InvocationChain;
  chainDepth: number;
  duplicate: boolean;
}

/**
 * Keeps the async-event queue in `<dataDir>/events.json`, so events pushed before `npm start` stops are
 * delivered after it starts again, as Forge keeps them across deployments. Rewritten whole (tmp + rename)
 * after each change: queues are small, and a torn file is never read.
 */
export class EventQueueFile {
  constructor(
    private readonly file: string,
    private readonly manifest: AppManifest,
  ) {
    mkdirSync(dirname(file), { recursive: true });
  }

  load(): SavedQueue | undefined {
    if (!existsSync(this.file)) return undefined;
    const saved = JSON.parse(readFileSync(this.file, 'utf8')) as { seq: number; events: SavedEvent[]; jobs: [string, JobCounts][] };
    const chains = new Map<string, InvocationChain>();
    const events: QueuedEvent[] = [];
    for (const e of saved.events) {
      const consumer = this.manifest.consumers.find((c) => c.moduleKey === e.consumerModuleKey);
      if (!consumer) continue; // the consumer was removed from manifest.yml since: Forge would not deliver either
      const chain = chains.get(e.chain.id) ?? { ...e.chain };
      chains.set(chain.id, chain);
      events.push({ seq: e.seq, event: e.event, consumer, dueAt: e.dueAt, firstPushedAt: e.firstPushedAt, chain, chainDepth: e.chainDepth, duplicate: e.duplicate });
    }
    return { seq: saved.seq, events, jobs: new Map(saved.jobs) };
  }

  save(queue: SavedQueue): void {
    const events: SavedEvent[] = queue.events.map((q) => ({
      seq: q.seq, event: q.event, consumerModuleKey: q.consumer.moduleKey, dueAt: q.dueAt,
      firstPushedAt: q.firstPushedAt, chain: q.chain, chainDepth: q.chainDepth, duplicate: q.duplicate,
    }));
    writeFileSync(`${this.file}.tmp`, JSON.stringify({ seq: queue.seq, events, jobs: [...queue.jobs] }));
    renameSync(`${this.file}.tmp`, this.file);
  }
}
