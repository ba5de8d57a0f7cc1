/**
 * The app's side exactly as it runs in Forge: RelayStore's default transport is @forge/api
 * invokeRemote('delivery-relay'), here served by the local Forge platform, which signs a real FIT
 * with its own key. The relay process is pointed at the platform's JWKS and the manifest's app id.
 */
import { join } from 'node:path';
import { ForgePlatform } from '../../local/forge';
import type { RemoteConfig } from '../../local/forge';
import { RelayStore } from '../../src/adapters/storage/relay-store';
import { registerBackupStoreConformance } from '../storage/conformance';
import { startTestServers, type TestServers } from '../servers/test-servers';
import { startRelayProcess, type RelayProcess } from './relay-process';
import { recursiveNames } from './relay-store-factory';
import { chownSync, mkdirSync, statSync } from 'node:fs';

const APP_DIR = join(__dirname, '..', '..');
let platform: ForgePlatform;
let relay: RelayProcess;
let servers: TestServers;
// The platform reads remote settings when invokeRemote is called, so the relay's URL can be filled in after both start.
const remotes: Record<string, RemoteConfig> = {};

beforeAll(async () => {
  servers = await startTestServers();
  platform = await ForgePlatform.start({ appDir: APP_DIR, dataDir: 'memory', remotes });
  relay = await startRelayProcess({ jwksUrl: platform.jwksUrl, audience: platform.manifest.appAri, site: { installationId: platform.installationId, cloudId: platform.cloudId } });
  remotes['delivery-relay'] = { baseUrl: relay.url, ca: relay.ca };
}, 60_000);
afterAll(async () => {
  await relay?.stop();
  await platform?.stop();
  await servers?.stop();
});

function folder(name: string): string {
  const path = join(servers.filesRoot, name);
  mkdirSync(path, { recursive: true });
  const owner = statSync(servers.filesRoot);
  chownSync(path, owner.uid, owner.gid);
  return path;
}

describe('RelayStore over SFTP (key, pinned host key) through invokeRemote', () => {
  registerBackupStoreConformance({
    makeStore: async (testId) => {
      const root = folder(`emu-sftp-${testId}`);
      const store = new RelayStore({
        connection: { protocol: 'sftp', host: servers.sftp.host, port: servers.sftp.port, user: servers.user, privateKey: servers.clientPrivateKey, folder: root, hostKeyFingerprint: servers.sftp.hostKeyFingerprint },
        maxObjectBytes: 4 * 1024 * 1024,
        retry: { attempts: 3, delayMs: () => 50 },
      });
      return { store, rawNames: async () => recursiveNames(root) };
    },
  });
});

describe('RelayStore over FTPS (explicit) through invokeRemote', () => {
  registerBackupStoreConformance({
    makeStore: async (testId) => {
      const root = folder(`emu-ftps-${testId}`);
      const store = new RelayStore({
        connection: { protocol: 'ftps-explicit', host: servers.ftp.host, port: servers.ftp.port, user: servers.user, password: servers.password, folder: root, caCertificate: servers.caCertificate },
        maxObjectBytes: 4 * 1024 * 1024,
        retry: { attempts: 3, delayMs: () => 50 },
      });
      return { store, rawNames: async () => recursiveNames(root) };
    },
  });

  test('test connection through invokeRemote reports every step', async () => {
    const store = new RelayStore({
      connection: { protocol: 'ftps-explicit', host: servers.ftp.host, port: servers.ftp.port, user: servers.user, password: servers.password, folder: folder('emu-probe'), caCertificate: servers.caCertificate },
    });
    const result = await store.testConnection();
    expect(result.steps.map((s) => [s.name, s.ok])).toEqual(
      ['connect', 'tls', 'login', 'folder', 'create', 'rename', 'read', 'list', 'delete'].map((name) => [name, true]),
    );
  });
});

describe('what the app sees when the relay itself is the problem', () => {
  const connection = () => ({ protocol: 'ftp' as const, host: servers.ftp.host, port: servers.ftp.port, user: servers.user, password: servers.password, folder: folder('emu-relay-problems') });

  test('a relay expecting another app refuses the token: auth-failed naming --audience and --jwks-url', async () => {
    const stranger = await startRelayProcess({ jwksUrl: platform.jwksUrl, audience: 'ari:cloud:ecosystem::app/00000000-0000-4000-8000-000000000000', site: { cloudId: platform.cloudId } });
    const saved = remotes['delivery-relay'];
    remotes['delivery-relay'] = { baseUrl: stranger.url, ca: stranger.ca };
    try {
      const error = await new RelayStore({ connection: connection(), retry: { attempts: 1, delayMs: () => 0 } }).list('').catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'auth-failed', retryable: false, message: expect.stringMatching(/--audience.*--jwks-url/) });
    } finally {
      remotes['delivery-relay'] = saved;
      await stranger.stop();
    }
  });

  test('a relay set up for another site refuses this installation\'s token: auth-failed, and the relay logs the ids to copy', async () => {
    const other = await startRelayProcess({ jwksUrl: platform.jwksUrl, audience: platform.manifest.appAri, site: { installationId: '11111111-2222-4333-8444-555555555555' } });
    const saved = remotes['delivery-relay'];
    remotes['delivery-relay'] = { baseUrl: other.url, ca: other.ca };
    try {
      const error = await new RelayStore({ connection: connection(), retry: { attempts: 1, delayMs: () => 0 } }).list('').catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'auth-failed', retryable: false });
      await new Promise((r) => setTimeout(r, 100));
      expect(other.output()).toContain(`"installationId":"ari:cloud:ecosystem::installation/${platform.installationId}","cloudId":"${platform.cloudId}"`);
    } finally {
      remotes['delivery-relay'] = saved;
      await other.stop();
    }
  });

  test('a relay that is down is unreachable (retryable), after the configured retries', async () => {
    const saved = remotes['delivery-relay'];
    remotes['delivery-relay'] = { baseUrl: 'https://127.0.0.1:1', ca: relay.ca };
    const waits: number[] = [];
    try {
      const store = new RelayStore({ connection: connection(), retry: { attempts: 3, delayMs: (n) => n * 10 }, sleep: async (ms) => void waits.push(ms) });
      const error = await store.stat('x').catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'unreachable', retryable: true, message: expect.stringMatching(/relay could not be reached/) });
      expect(waits).toEqual([10, 20]);
    } finally {
      remotes['delivery-relay'] = saved;
    }
  });
});
