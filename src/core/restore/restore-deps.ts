import type { Clock, JiraClient, JobQueue, KeyValue, Logger } from '../../ports';
import type { SnapshotOpener } from './snapshot-view';

/** The ports restore runs on. `jira` should be the governed client (429/Retry-After and per-issue write pacing). */
export interface RestoreDeps {
  jira: JiraClient;
  kv: KeyValue;
  queue: JobQueue;
  clock: Clock;
  snapshots: SnapshotOpener;
  logger?: Logger;
  /** Creates ids for plans and jobs (injected so tests are deterministic). */
  newId?: () => string;
}

export function newIdFrom(deps: RestoreDeps): string {
  if (deps.newId) return deps.newId();
  return `r${deps.clock.now().toString(36)}${Math.floor(Math.random() * 1e9).toString(36)}`;
}
