import type { ConnectionReport, ConnectionTester, SecretInput } from '../../core/admin';
import type { StorageSettings } from '../../core/plans/plan';
import { forgeRelayInvoker, type RelayInvoker } from '../../adapters/storage/relay-invoker';
import { RelayStore, relayConnectionFrom } from '../../adapters/storage/relay-store';

/** "Test connection" through the delivery relay: the relay connects, signs in, writes, renames, reads and deletes. */
export function relayConnectionTester(invoke: RelayInvoker = forgeRelayInvoker()): ConnectionTester {
  return {
    async test(settings: StorageSettings, credentials: SecretInput): Promise<ConnectionReport> {
      if (settings.kind !== 'remote') {
        return { ok: true, steps: [{ name: 'Managed storage', ok: true, message: 'Managed storage needs no connection test.' }] };
      }
      const secret = settings.auth === 'private-key' ? credentials.privateKey : credentials.password;
      const store = new RelayStore({ connection: relayConnectionFrom(settings, secret ?? '', credentials.passphrase), invoke });
      let response;
      try {
        response = await store.testConnection();
      } catch (error) {
        // The relay itself could not be reached (or refused the app): that is the first step that failed.
        return { ok: false, steps: [{ name: 'Reach the relay', ok: false, message: (error as Error).message }] };
      }
      const report: ConnectionReport = { ok: response.ok, steps: response.steps };
      if (response.hostKeyFingerprint) report.hostKeyFingerprint = response.hostKeyFingerprint;
      if (response.certificate) {
        const c = response.certificate;
        report.certificate = { subject: c.subject, issuer: c.issuer, validTo: c.validTo, fingerprint: c.fingerprint256 };
      }
      return report;
    },
  };
}
