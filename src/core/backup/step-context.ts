import type { KeyValueOperation } from '../../ports';
import { readIndex, readSnapshot, recordKey, type IndexEntry, type SnapshotManifest } from '../format';
import { backupKeys } from './keys';
import { JobCancelledError } from './errors';
import { ProjectListCursor } from './project-list';
import type { BackupDeps, BackupJob, BackupLimits } from './types';

/** What one step's work needs: the deps, the job being advanced, and the step's deadline. */
export interface StepContext {
  deps: BackupDeps;
  limits: BackupLimits;
  job: BackupJob;
  /** Epoch ms after which no new unit of work starts. */
  deadline: number;
  hasTime(): boolean;
  /** The chunk of the project list being worked on (read from KVS once per step). */
  projects: ProjectListCursor;
  /** The base snapshot's manifest (incremental runs), read once per step. */
  baseManifest(): Promise<SnapshotManifest | undefined>;
  /** The base snapshot's index entries of one project, keyed by `type/id`; undefined for full runs or new projects. */
  previousIndex(projectKey: string): Promise<Map<string, IndexEntry> | undefined>;
  /** Writes the job record, together with `also` in one transaction (a checkpoint and its progress agree). */
  save(also?: KeyValueOperation[]): Promise<void>;
}

/**
 * The previous index of the project in hand, kept between steps of one process: a 100,000-issue index is
 * ~25 MB to read, and a warm Forge runtime serves consecutive steps of the same job.
 */
let cachedIndex: { key: string; entries: Map<string, IndexEntry> | undefined } | undefined;

export function createStepContext(deps: BackupDeps, limits: BackupLimits, job: BackupJob, deadline: number): StepContext {
  let manifest: Promise<SnapshotManifest | undefined> | undefined;
  const context: StepContext = {
    deps,
    limits,
    job,
    deadline,
    hasTime: () => deps.clock.now() < deadline,
    projects: new ProjectListCursor(deps.kv, job.jobId),
    baseManifest() {
      if (!job.base) return Promise.resolve(undefined);
      manifest ??= readSnapshot(deps.store, job.base.snapshotId);
      return manifest;
    },
    async previousIndex(projectKey) {
      const base = await context.baseManifest();
      if (!base) return undefined;
      const cacheKey = `${base.id}:${projectKey}`;
      if (cachedIndex?.key === cacheKey) return cachedIndex.entries;
      let entries: Map<string, IndexEntry> | undefined;
      if (base.projects.some((p) => p.key === projectKey)) {
        entries = new Map();
        for (const entry of await readIndex(deps.store, base, { project: projectKey })) entries.set(recordKey(entry), entry);
      }
      cachedIndex = { key: cacheKey, entries };
      return entries;
    },
    async save(also = []) {
      // An admin may have cancelled the job while this step ran: never write it back to life.
      const stored = await deps.kv.get<BackupJob>(backupKeys.job(job.jobId));
      if (stored && stored.state === 'cancelled') throw new JobCancelledError(job.jobId);
      job.updatedAt = deps.clock.now();
      await deps.kv.transact([{ op: 'set', key: backupKeys.job(job.jobId), value: job }, ...also]);
    },
  };
  return context;
}
