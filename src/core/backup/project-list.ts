import type { KeyValue, KeyValueOperation } from '../../ports';
import { backupKeys } from './keys';
import type { ProjectProgress } from './types';

/**
 * The job's projects, in plan order, as chunks of PROJECTS_PER_CHUNK lines under `backup:projects:<jobId>:<n>`.
 * Written once when the job is planned; afterwards only the chunk of the project in hand is rewritten, in the same
 * transaction as its checkpoint and the job record. 50 lines of at most ~4 KB each (a 500-character error, JSON-escaped
 * at worst 6 bytes a character, and an 80-character name) stay under KVS's 240 KiB per value; a whole
 * 10,000-project site is 200 chunks, two query pages.
 */
export const PROJECTS_PER_CHUNK = 50;

export const chunkOf = (index: number): number => Math.floor(index / PROJECTS_PER_CHUNK);
export const chunkCount = (projectCount: number): number => Math.ceil(projectCount / PROJECTS_PER_CHUNK);

/** The operations that write a whole list (planning). */
export function listOperations(jobId: string, projects: readonly ProjectProgress[]): KeyValueOperation[] {
  const operations: KeyValueOperation[] = [];
  for (let n = 0; n * PROJECTS_PER_CHUNK < projects.length; n++) {
    operations.push({ op: 'set', key: backupKeys.projectChunk(jobId, n), value: projects.slice(n * PROJECTS_PER_CHUNK, (n + 1) * PROJECTS_PER_CHUNK) });
  }
  return operations;
}

export async function readChunk(kv: KeyValue, jobId: string, n: number): Promise<ProjectProgress[]> {
  const chunk = await kv.get<ProjectProgress[]>(backupKeys.projectChunk(jobId, n));
  if (!chunk) throw new Error(`Chunk ${n} of the project list of backup job ${jobId} is missing (${backupKeys.projectChunk(jobId, n)}); start the backup again.`);
  return chunk;
}

/**
 * Lines `from` … `from + limit - 1` of a job's list (fewer at its end), read chunk by chunk with KVS queries (a page
 * holds up to 100 chunks).
 */
export async function readProjects(kv: KeyValue, jobId: string, projectCount: number, from: number, limit: number): Promise<ProjectProgress[]> {
  const end = Math.min(projectCount, from + limit);
  if (from >= end) return [];
  const first = chunkOf(from);
  const last = chunkOf(end - 1);
  const prefix = backupKeys.projectChunk(jobId, 0).replace(/\d+$/, '');
  const lines: ProjectProgress[] = [];
  // Start the query just before the first chunk wanted: list cursors are the last key read (port contract: key order).
  let cursor: string | undefined;
  let n = first;
  if (first === last) lines.push(...(await readChunk(kv, jobId, first)));
  else {
    do {
      const page = await kv.list<ProjectProgress[]>(prefix, { cursor, limit: 100 });
      for (const entry of page.entries) {
        const index = Number(entry.key.slice(prefix.length));
        if (index < first || index > last) continue;
        if (index !== n) throw new Error(`Chunk ${n} of the project list of backup job ${jobId} is missing; start the backup again.`);
        lines.push(...entry.value);
        n++;
      }
      cursor = n > last ? undefined : page.nextCursor;
    } while (cursor);
    if (n <= last) throw new Error(`Chunk ${n} of the project list of backup job ${jobId} is missing; start the backup again.`);
  }
  const offset = from - first * PROJECTS_PER_CHUNK;
  return lines.slice(offset, offset + (end - from));
}

/**
 * The chunk of the project in hand, kept for one step: its lines are changed in memory and written back with the
 * project's checkpoint (`operation`), so the line and the checkpoint always agree in KVS.
 */
export class ProjectListCursor {
  private loaded?: { n: number; lines: ProjectProgress[] };

  constructor(
    private readonly kv: KeyValue,
    private readonly jobId: string,
  ) {}

  async line(index: number): Promise<ProjectProgress> {
    const n = chunkOf(index);
    if (this.loaded?.n !== n) this.loaded = { n, lines: await readChunk(this.kv, this.jobId, n) };
    const line = this.loaded.lines[index % PROJECTS_PER_CHUNK];
    if (!line) throw new Error(`Project ${index} is missing from chunk ${n} of the project list of backup job ${this.jobId}; start the backup again.`);
    return line;
  }

  /** Writes the chunk holding `index` as it is in memory (line(index) must have been read). */
  operation(index: number): KeyValueOperation {
    const n = chunkOf(index);
    if (this.loaded?.n !== n) throw new Error(`chunk ${n} of job ${this.jobId} was not read before being written`);
    return { op: 'set', key: backupKeys.projectChunk(this.jobId, n), value: this.loaded.lines };
  }
}
