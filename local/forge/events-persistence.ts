import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
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

type JournalLine =
  | { op: 'add'; e: SavedEvent }
  | { op: 'remove'; seq: number }
  | { op: 'job'; id: string; counts: JobCounts };

/**
 * Keeps the async-event queue in `<dataDir>/events.jsonl`, so events pushed before `npm start` stops are
 * delivered after it starts again, as Forge keeps them. A journal: an event is added when pushed or
 * rescheduled and removed only once its delivery has finished, so one that was running when the process
 * died is delivered again (at least once). Replayed and compacted at start.
 */
export class EventQueueJournal {
  constructor(
    private readonly file: string,
    private readonly manifest: AppManifest,
  ) {
    mkdirSync(dirname(file), { recursive: true });
  }

  added(queued: QueuedEvent): void {
    this.append(this.addLine(queued));
  }

  private addLine(queued: QueuedEvent): JournalLine {
    return {
      op: 'add',
      e: {
        seq: queued.seq, event: queued.event, consumerModuleKey: queued.consumer.moduleKey, dueAt: queued.dueAt,
        firstPushedAt: queued.firstPushedAt, chain: { id: queued.chain.id, pushes: queued.chain.pushes },
        chainDepth: queued.chainDepth, duplicate: queued.duplicate,
      },
    };
  }

  removed(seq: number): void {
    this.append({ op: 'remove', seq });
  }

  job(id: string, counts: JobCounts): void {
    this.append({ op: 'job', id, counts: { ...counts } });
  }

  load(): SavedQueue | undefined {
    if (!existsSync(this.file)) return undefined;
    const saved = new Map<number, SavedEvent>();
    const jobs = new Map<string, JobCounts>();
    let seq = 0;
    for (const text of readFileSync(this.file, 'utf8').split('\n')) {
      if (!text.trim()) continue;
      let line: JournalLine;
      try {
        line = JSON.parse(text) as JournalLine;
      } catch {
        continue; // a torn last line from a crash
      }
      if (line.op === 'add') {
        saved.set(line.e.seq, line.e);
        seq = Math.max(seq, line.e.seq);
      } else if (line.op === 'remove') saved.delete(line.seq);
      else jobs.set(line.id, line.counts);
    }
    const chains = new Map<string, InvocationChain>();
    const events: QueuedEvent[] = [];
    for (const e of saved.values()) {
      const consumer = this.manifest.consumers.find((c) => c.moduleKey === e.consumerModuleKey);
      if (!consumer) continue; // its consumer left manifest.yml since: Forge would not deliver it either
      // Events of one chain share one counter again, at the highest count any of them saw.
      const chain = chains.get(e.chain.id) ?? { id: e.chain.id, pushes: 0 };
      chain.pushes = Math.max(chain.pushes, e.chain.pushes);
      chains.set(chain.id, chain);
      events.push({ seq: e.seq, event: e.event, consumer, dueAt: e.dueAt, firstPushedAt: e.firstPushedAt, chain, chainDepth: e.chainDepth, duplicate: e.duplicate });
    }
    this.compact(events, jobs);
    return { seq, events, jobs };
  }

  private compact(events: QueuedEvent[], jobs: Map<string, JobCounts>): void {
    const lines: JournalLine[] = [
      ...[...jobs].map(([id, counts]): JournalLine => ({ op: 'job', id, counts })),
      ...events.map((queued) => this.addLine(queued)),
    ];
    writeFileSync(`${this.file}.tmp`, lines.map((l) => JSON.stringify(l) + '\n').join(''));
    renameSync(`${this.file}.tmp`, this.file);
  }

  private append(line: JournalLine): void {
    appendFileSync(this.file, JSON.stringify(line) + '\n');
  }
}
