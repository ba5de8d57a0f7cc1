import { objectStore } from '@forge/object-store';
import { AdminError, ConfigurationStore } from '../../core/admin';
import { defaultStorageSettings } from '../../core/plans/defaults';
import type { StorageSettings } from '../../core/plans/plan';
import { ManagedStore } from '../../adapters/storage/managed-store';
import { RelayStore, relayConnectionFrom } from '../../adapters/storage/relay-store';
import type { RelayInvoker } from '../../adapters/storage/relay-invoker';
import type { BackupStore, Clock, KeyValue, Secrets } from '../../ports';
import type { DownloadLocation } from './snapshot-files';

export interface ConfiguredStore {
  store: BackupStore;
  location: DownloadLocation;
  settings: StorageSettings;
}

/**
 * The store the admin configured: managed storage with its quota, or their FTP / FTPS / SFTP server through the relay
 * with the credentials from secret storage. The worker should build its store the same way (one source of truth).
 */
export async function configuredStore(kv: KeyValue, secrets: Secrets, clock: Clock, invoke?: RelayInvoker): Promise<ConfiguredStore> {
  const config = new ConfigurationStore(kv, secrets);
  const settings = (await config.storage()) ?? defaultStorageSettings();
  if (settings.kind === 'managed') {
    return {
      store: new ManagedStore({ keyValue: kv, clock, quotaBytes: settings.quotaBytes }),
      location: { type: 'link', linkFor: managedDownloadLink },
      settings,
    };
  }
  const credentials = await config.credentials();
  const secret = settings.auth === 'private-key' ? credentials.privateKey : credentials.password;
  if (!secret) {
    throw new AdminError('unavailable', `The ${settings.auth === 'private-key' ? 'private key' : 'password'} for ${settings.host} is missing. Enter it again on the Storage tab and save.`);
  }
  return {
    store: new RelayStore({ connection: relayConnectionFrom(settings, secret, credentials.passphrase), ...(invoke ? { invoke } : {}) }),
    location: { type: 'server', server: `${settings.protocol}://${settings.host}:${settings.port}`, folder: settings.folder },
    settings,
  };
}

/**
 * A short-lived link to one object in managed storage. The object key mirrors ManagedStore's layout
 * (`<namespace>/<path>`, namespace `backups`); ManagedStore offers no download-URL method of its own yet.
 */
async function managedDownloadLink(path: string): Promise<{ url: string }> {
  const grant = await objectStore.createDownloadUrl(`backups/${path}`);
  if (!grant?.url) throw new AdminError('unavailable', 'Managed storage did not return a download link. Try again in a moment.');
  return { url: grant.url };
}
