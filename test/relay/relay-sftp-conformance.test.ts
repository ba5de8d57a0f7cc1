/** The BackupStore conformance suite through the relay against real OpenSSH: SFTP with a password and with a key (host key pinned). */
import { registerBackupStoreConformance } from '../storage/conformance';
import { startRelayHarness, type RelayHarness } from './relay-harness';
import { relayConformanceStore } from './relay-store-factory';

let h: RelayHarness;
beforeAll(async () => {
  h = await startRelayHarness();
}, 60_000);
afterAll(async () => h?.stop());

describe.each(['sftp-password', 'sftp-key'] as const)('RelayStore over %s (OpenSSH)', (kind) => {
  registerBackupStoreConformance({ makeStore: async (testId) => relayConformanceStore(h, kind, testId) });
});
