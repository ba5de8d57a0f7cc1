import { consoleLogger, forgeJiraClient, forgeJobQueue, forgeKeyValue, forgeSecrets } from '../adapters/forge';
import { createRateLimitGovernor } from '../adapters/jira/rate-limit-governor';
import type { BackupDeps } from '../core/backup';
import type { Clock, JiraClient, JobQueue, KeyValue, Secrets } from '../ports';
import { configuredStore } from './resolvers/configured-store';

/**
 * The production ports every Forge handler shares: KVS and secret storage, the backup-jobs queue, and Jira as the
 * app behind ONE rate-limit governor per runtime (a quota pause must hold back every call the runtime makes).
 */
export interface ForgePorts {
  clock: Clock;
  kv: KeyValue;
  secrets: Secrets;
  queue: JobQueue;
  jira: JiraClient;
}

let shared: ForgePorts | undefined;

export function forgePorts(): ForgePorts {
  if (shared) return shared;
  const clock = { now: () => Date.now() };
  shared = {
    clock,
    kv: forgeKeyValue(),
    secrets: forgeSecrets(),
    queue: forgeJobQueue(),
    jira: createRateLimitGovernor(forgeJiraClient({ as: 'app' }), { clock, sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) }),
  };
  return shared;
}

/**
 * The backup engine's ports with the store the admin configured (managed storage, or their FTP / FTPS / SFTP server
 * through the relay). Opened per invocation, so a storage change applies to the next step.
 */
export async function forgeBackupDeps(scope: string): Promise<BackupDeps> {
  const { clock, kv, secrets, queue, jira } = forgePorts();
  const { store } = await configuredStore(kv, secrets, clock);
  return { jira, store, kv, queue, clock, logger: consoleLogger(scope) };
}

/**
 * Jira as the app, for resolvers. Forge gives them 25 s, so a rate-limit wait longer than a few seconds is not slept
 * through: the call fails with JiraPausedError and the page says when to try again.
 */
export function resolverJiraClient(clock: Clock): JiraClient {
  return createRateLimitGovernor(forgeJiraClient({ as: 'app' }), { clock, sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)), maxWaitMs: 5_000 });
}
