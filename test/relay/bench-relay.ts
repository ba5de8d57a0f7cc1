/**
 * `npx tsx test/relay/bench-relay.ts [--mib 4] [--small 20]`: throughput of RelayStore through a real relay
 * process to real local servers, per protocol: one large put and get, and small puts (engine-sized JSONL
 * objects) one after another, with session reuse on (default) and off. Prints numbers; asserts nothing.
 */
import { createHash, randomBytes } from 'node:crypto';
import { RelayStore } from '../../src/adapters/storage/relay-store';
import { startTestServers } from '../servers/test-servers';
import { createFitIssuer, TEST_APP_ARI, TEST_INSTALLATION_ID } from './fit-keys';
import { startRelayProcess } from './relay-process';
import { httpsInvoker, userFolder } from './relay-store-factory';
import type { BackendKind, RelayHarness } from './relay-harness';
import type { RelayConnection } from '../../relay/protocol';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const sha256 = (d: Uint8Array) => createHash('sha256').update(d).digest('hex');

async function main(): Promise<void> {
  const mib = flag('mib', 4);
  const smallCount = flag('small', 20);
  const servers = await startTestServers();
  const issuer = createFitIssuer();
  const results: Record<string, unknown>[] = [];
  try {
    for (const idle of [10, 0]) {
      const relay = await startRelayProcess({ jwks: issuer.jwks, audience: TEST_APP_ARI, site: { installationId: TEST_INSTALLATION_ID }, extraArgs: ['--idle-seconds', String(idle)] });
      const h = { servers, relay, issuer } as unknown as RelayHarness;
      try {
        for (const kind of ['ftp', 'ftps-explicit', 'sftp-key'] as BackendKind[]) {
          const folder = userFolder(h, `bench-${kind}-${idle}`);
          const address = kind === 'sftp-key' ? servers.sftp : servers.ftp;
          const connection: RelayConnection =
            kind === 'sftp-key'
              ? { protocol: 'sftp', ...address, user: servers.user, privateKey: servers.clientPrivateKey, folder, hostKeyFingerprint: servers.sftp.hostKeyFingerprint }
              : { protocol: kind === 'ftp' ? 'ftp' : 'ftps-explicit', ...address, user: servers.user, password: servers.password, folder, caCertificate: servers.caCertificate };
          const store = new RelayStore({ connection, invoke: httpsInvoker(h), maxObjectBytes: 64 * 1024 * 1024 });
          const big = randomBytes(mib * 1024 * 1024);
          let t = performance.now();
          await store.put('bench/big.bin', big, sha256(big));
          const putMs = performance.now() - t;
          t = performance.now();
          const back = await store.get('bench/big.bin');
          const getMs = performance.now() - t;
          if (sha256(back) !== sha256(big)) throw new Error('read back differs');
          t = performance.now();
          for (let i = 0; i < smallCount; i += 1) {
            const small = randomBytes(8 * 1024);
            await store.put(`bench/small/${i}.jsonl`, small, sha256(small));
          }
          const smallMs = performance.now() - t;
          results.push({
            protocol: kind,
            sessionReuseSeconds: idle,
            [`put ${mib} MiB MiB/s`]: +(mib / (putMs / 1000)).toFixed(1),
            [`get ${mib} MiB MiB/s`]: +(mib / (getMs / 1000)).toFixed(1),
            'small 8 KiB puts/s': +(smallCount / (smallMs / 1000)).toFixed(1),
          });
        }
      } finally {
        await relay.stop();
      }
    }
  } finally {
    await servers.stop();
  }
  console.table(results);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
