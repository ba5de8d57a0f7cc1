/** The BackupStore conformance suite through the relay against real vsftpd: FTP, explicit FTPS, implicit FTPS. */
import { registerBackupStoreConformance } from '../storage/conformance';
import { startRelayHarness, type RelayHarness } from './relay-harness';
import { relayConformanceStore } from './relay-store-factory';

let h: RelayHarness;
beforeAll(async () => {
  h = await startRelayHarness();
}, 60_000);
afterAll(async () => h?.stop());

describe.each(['ftp', 'ftps-explicit', 'ftps-implicit'] as const)('RelayStore over %s (vsftpd)', (kind) => {
  registerBackupStoreConformance({ makeStore: async (testId) => relayConformanceStore(h, kind, testId) });
});
