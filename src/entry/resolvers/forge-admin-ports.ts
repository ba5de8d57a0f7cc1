import { forgeJiraClient, forgeJobQueue, forgeKeyValue, forgeSecrets, consoleLogger } from '../../adapters/forge';
import { resolverJiraClient } from '../forge-ports';
import type { BackupDeps } from '../../core/backup';
import { readSiteProjects, type BackupFiles, type StorageGauge } from '../../core/admin';
import type { Clock, KeyValue } from '../../ports';
import type { AdminPorts } from './admin-ports';
import { configuredStore, type ConfiguredStore } from './configured-store';
import { engineBackupJobs } from './engine-backup-jobs';
import { siteTimeZoneFrom } from './site-time-zone';
import { relayConnectionTester } from './relay-tester';
import { snapshotBackupFiles } from './snapshot-files';
import { storeGauge } from './store-gauge';

/**
 * The admin page's ports on Forge: KVS and secret storage, requestJira (as the user for the admin check, as the app
 * behind the rate-limit governor for everything else), the backup-jobs queue, and the configured store. The store
 * is opened per call and only when a part of the page needs it, so a storage problem shows in that part alone.
 */
export function forgeAdminPorts(): AdminPorts {
  const clock = { now: () => Date.now() };
  const kv = forgeKeyValue();
  const secrets = forgeSecrets();
  const jira = resolverJiraClient(clock);
  let opened: Promise<ConfiguredStore> | undefined;
  const open = () => (opened ??= configuredStore(kv, secrets, clock));
  const siteTimeZone = siteTimeZoneFrom(jira);
  // "Back up now" of a Combined plan decides Extended vs Basic on the site's calendar, as the scheduler does.
  const backupDeps = async (): Promise<BackupDeps> => ({ jira, store: (await open()).store, kv, queue: forgeJobQueue(), clock, logger: consoleLogger('resolver'), siteTimeZone });

  const jobs = engineBackupJobs(kv, backupDeps);
  const files: BackupFiles = {
    list: async () => filesOf(await open(), kv, clock).list(),
    delete: async (id) => filesOf(await open(), kv, clock).delete(id),
    download: async (id) => filesOf(await open(), kv, clock).download(id),
  };
  const gauge: StorageGauge = {
    usage: async () => {
      const { store, settings } = await open();
      return storeGauge(store, kv, settings.kind === 'managed' ? settings.quotaBytes : undefined).usage();
    },
  };
  return {
    kv,
    secrets,
    clock,
    jiraAsUser: () => forgeJiraClient({ as: 'user' }),
    siteTimeZone,
    siteProjects: () => readSiteProjects(jira),
    jobs,
    files,
    gauge,
    tester: relayConnectionTester(),
  };
}

function filesOf(configured: ConfiguredStore, kv: KeyValue, clock: Clock): BackupFiles {
  // The delete coordinates with the engine through the same KVS: never beside a running backup, and none starts meanwhile.
  return snapshotBackupFiles(configured.store, configured.location, kv, { kv, clock });
}
