import { ConfigurationStore, STORAGE_PASSWORD_SECRET } from '../../src/core/admin';
import { configuredStore } from '../../src/entry/resolvers/configured-store';
import { snapshotBackupFiles } from '../../src/entry/resolvers/snapshot-files';
import { ManagedStore } from '../../src/adapters/storage/managed-store';
import { RelayStore } from '../../src/adapters/storage/relay-store';
import { ManualClock, MemoryKeyValue, MemorySecrets } from '../admin/fakes';

const clock = new ManualClock(Date.UTC(2026, 10, 26));
const sftp = {
  kind: 'remote' as const, protocol: 'sftp' as const, host: 'sftp.example.com', port: 2222, user: 'backup', auth: 'password' as const,
  folder: '/srv/backups', relayUrl: 'https://relay.example.com',
};

describe('configuredStore', () => {
  it('is managed storage with the default quota until an admin saves storage', async () => {
    const configured = await configuredStore(new MemoryKeyValue(), new MemorySecrets(), clock);
    expect(configured.store).toBeInstanceOf(ManagedStore);
    expect(configured.settings).toEqual({ kind: 'managed', quotaBytes: 20 * 1024 ** 3 });
    expect(configured.location.type).toBe('link');
  });

  it('is the relay-backed server when one is saved, and a download is the path on that server', async () => {
    const kv = new MemoryKeyValue();
    const secrets = new MemorySecrets();
    await new ConfigurationStore(kv, secrets).saveStorage(sftp);
    await secrets.set(STORAGE_PASSWORD_SECRET, 'pw');
    const configured = await configuredStore(kv, secrets, clock, async () => {
      throw new Error('no relay in this test');
    });
    expect(configured.store).toBeInstanceOf(RelayStore);
    const download = await snapshotBackupFiles(configured.store, configured.location).download('20261126T010000Z-plan-1');
    expect(download).toEqual({ type: 'path', server: 'sftp://sftp.example.com:2222', path: '/srv/backups/snapshots/20261126T010000Z-plan-1.json' });
  });

  it('says which credential is missing when the secret is gone', async () => {
    const kv = new MemoryKeyValue();
    await new ConfigurationStore(kv, new MemorySecrets()).saveStorage(sftp);
    await expect(configuredStore(kv, new MemorySecrets(), clock)).rejects.toThrow(
      'The password for sftp.example.com is missing. Enter it again on the Storage tab and save.',
    );
  });
});
