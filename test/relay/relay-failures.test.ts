/**
 * What admins and the engine see when things go wrong, against real servers through the relay:
 * permanent problems fail at once with a message saying what to fix; a connection cut mid-upload
 * leaves no partial file (nor temporary) and the retry succeeds.
 */
import { createHash, randomBytes } from 'node:crypto';
import { request } from 'node:https';
import { chmodSync, chownSync, existsSync, mkdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeRelayRequest, RELAY_REQUEST_HEADER, type RelayConnection } from '../../relay/protocol';
import { RelayStore } from '../../src/adapters/storage/relay-store';
import { StoreError } from '../../src/ports/backup-store';
import { startCuttingProxy, type CuttingProxy } from './cutting-proxy';
import { startRelayHarness, type BackendKind, type RelayHarness } from './relay-harness';
import { httpsInvoker, recursiveNames, userFolder } from './relay-store-factory';

let h: RelayHarness;
let sftpProxy: CuttingProxy;
beforeAll(async () => {
  h = await startRelayHarness();
  sftpProxy = await startCuttingProxy(h.servers.sftp.port);
}, 60_000);
afterAll(async () => {
  await sftpProxy?.close();
  await h?.stop();
});

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

function storeFor(connection: RelayConnection, attempts = 3): RelayStore {
  return new RelayStore({ connection, invoke: httpsInvoker(h), retry: { attempts, delayMs: () => 100 } });
}

async function storeError(promise: Promise<unknown>): Promise<StoreError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(StoreError);
    return error as StoreError;
  }
  throw new Error('expected a StoreError');
}

describe('permanent problems fail at once with a message that says what to fix', () => {
  test.each(['ftp', 'ftps-implicit', 'sftp-password'] as BackendKind[])('%s: wrong password is auth-failed', async (kind) => {
    const store = storeFor({ ...h.connection(kind, userFolder(h, `auth-${kind}`)), password: 'wrong-password' });
    const started = Date.now();
    const error = await storeError(store.list(''));
    expect(error.code).toBe('auth-failed');
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/Check the user.*password/);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  test('sftp: a key the server does not accept is auth-failed', async () => {
    const { privateKey } = await import('node:crypto').then((c) => c.generateKeyPairSync('ed25519'));
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const error = await storeError(storeFor({ ...h.connection('sftp-key', userFolder(h, 'badkey')), privateKey: pem }).list(''));
    expect(['auth-failed', 'invalid']).toContain(error.code);
    expect(error.message).toMatch(/private key|password or key/);
  });

  test.each(['ftp', 'ftps-explicit', 'sftp-password'] as BackendKind[])('%s: a folder without write permission is permission-denied', async (kind) => {
    chmodSync(h.servers.readOnlyDir, 0o755);
    const data = Buffer.from('x');
    const error = await storeError(storeFor(h.connection(kind, h.servers.readOnlyDir)).put('data/x', data, sha256(data)));
    expect(error.code).toBe('permission-denied');
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/rights on the backup folder|write permission/);
  });

  test('ftps: a server certificate signed by an unknown CA is tls-failed and asks for the CA', async () => {
    const { caCertificate, ...withoutCa } = h.connection('ftps-explicit', userFolder(h, 'noca'));
    expect(caCertificate).toBeDefined();
    const error = await storeError(storeFor(withoutCa).list(''));
    expect(error.code).toBe('tls-failed');
    expect(error.message).toMatch(/CA certificate \(PEM\)/);
  });

  test('ftps implicit against the explicit port is tls-failed, naming the FTPS mode', async () => {
    const connection = { ...h.connection('ftps-implicit', userFolder(h, 'mode')), port: h.servers.ftp.port };
    const error = await storeError(storeFor(connection, 1).list(''));
    expect(['tls-failed', 'transient']).toContain(error.code);
  });

  test('sftp: a host key other than the pinned one is host-key-mismatch', async () => {
    const connection = { ...h.connection('sftp-password', userFolder(h, 'pin')), hostKeyFingerprint: `SHA256:${'A'.repeat(43)}` };
    const error = await storeError(storeFor(connection).list(''));
    expect(error.code).toBe('host-key-mismatch');
    expect(error.message).toContain(h.servers.sftp.hostKeyFingerprint);
    expect(error.message).toMatch(/test the connection again and save/);
  });

  test('sftp without a pinned host key: every operation but test-connection is refused before connecting, saying to pin it', async () => {
    const folder = join(userFolder(h, 'unpinned'), 'never-created');
    const { hostKeyFingerprint: _pin, ...unpinned } = h.connection('sftp-password', folder);
    const body = Buffer.from('backup bytes');
    const operations: Array<[string, Record<string, unknown>, Buffer?]> = [
      ['put', { path: 'a.bin', size: body.length, sha256: sha256(body) }, body],
      ['get', { path: 'a.bin' }],
      ['stat', { path: 'a.bin' }],
      ['list', { prefix: '' }],
      ['delete', { path: 'a.bin' }],
      ['rename', { from: 'a.bin', to: 'b.bin' }],
    ];
    for (const [operation, fields, payload] of operations) {
      const reply = await h.call(operation, { connection: unpinned, ...fields }, { body: payload });
      expect([operation, reply.status]).toEqual([operation, 400]);
      expect(reply.json().error).toEqual({ code: 'invalid', retryable: false, message: expect.stringMatching(/host key .* is not pinned.*Run Test connection.*save the settings to pin it/) });
    }
    // Refused before any login: the folder the operations would have created does not exist.
    expect(existsSync(folder)).toBe(false);
    const pinned = await h.call('list', { connection: { ...unpinned, hostKeyFingerprint: h.servers.sftp.hostKeyFingerprint }, prefix: '' });
    expect(pinned.status).toBe(200);
  });

  test('a refused port is unreachable (retryable) and says to check host and port', async () => {
    const connection = { ...h.connection('ftp', '/tmp'), port: 1 };
    const error = await storeError(storeFor(connection, 1).list(''));
    expect(error.code).toBe('unreachable');
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/Check the host and port/);
  });

  test('an unknown host name is unreachable with a DNS hint', async () => {
    const connection = { ...h.connection('ftp', '/tmp'), host: 'no-such-host.invalid' };
    const error = await storeError(storeFor(connection, 1).list(''));
    expect(error.code).toBe('unreachable');
    expect(error.message).toMatch(/DNS/);
  });
});

describe('test connection reports each step', () => {
  test('a healthy SFTP server passes every step and shows the host key', async () => {
    const { hostKeyFingerprint, ...unpinned } = h.connection('sftp-key', userFolder(h, 'probe-ok'));
    const result = await storeFor(unpinned).testConnection();
    expect(result.ok).toBe(true);
    expect(result.steps.map((s) => s.name)).toEqual(['connect', 'host-key', 'login', 'folder', 'create', 'rename', 'read', 'list', 'delete']);
    expect(result.hostKeyFingerprint).toBe(hostKeyFingerprint);
    expect(result.steps[1].message).toMatch(/save the settings to pin it/);
    expect(recursiveNames(userFolder(h, 'probe-ok'))).toEqual([]);
  });

  test('FTPS shows the verified certificate', async () => {
    const result = await storeFor(h.connection('ftps-explicit', userFolder(h, 'probe-tls'))).testConnection();
    expect(result.ok).toBe(true);
    expect(result.certificate).toMatchObject({ subject: 'CN=localhost', fingerprint256: expect.stringMatching(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/) });
    expect(result.steps.find((s) => s.name === 'tls')?.ok).toBe(true);
  });

  test('a wrong password stops at the login step', async () => {
    const result = await storeFor({ ...h.connection('ftp', userFolder(h, 'probe-login')), password: 'nope' }).testConnection();
    expect(result.ok).toBe(false);
    expect(result.steps).toEqual([{ name: 'login', ok: false, message: expect.stringMatching(/530.*Check the user name and password/) }]);
  });

  test('a read-only folder stops at the create step with a permission message', async () => {
    const result = await storeFor(h.connection('sftp-password', h.servers.readOnlyDir)).testConnection();
    expect(result.ok).toBe(false);
    const last = result.steps[result.steps.length - 1];
    expect(last).toMatchObject({ name: 'create', ok: false, message: expect.stringMatching(/permission denied/i) });
    expect(result.steps.slice(0, -1).every((s) => s.ok)).toBe(true);
  });
});

describe('an interrupted upload leaves nothing visible and the retry succeeds', () => {
  test('sftp: the relay-to-server connection is cut mid-upload; RelayStore retries; no partial file, no temporary', async () => {
    const folder = userFolder(h, 'cut-sftp');
    const connection = { ...h.connection('sftp-password', folder), port: sftpProxy.port };
    const data = randomBytes(2 * 1024 * 1024);
    sftpProxy.armCut(600 * 1024); // well past login, well before the end of the upload
    await storeFor(connection, 3).put('data/big.bin', data, sha256(data));
    expect(sftpProxy.cuts).toBe(1);
    expect(recursiveNames(folder)).toEqual(['data/big.bin']);
    const store = storeFor(connection);
    expect(sha256(await store.get('data/big.bin'))).toBe(sha256(data));
  });

  test('sftp: with no retries left the put fails as transient and leaves no file at all', async () => {
    const folder = userFolder(h, 'cut-sftp-final');
    const connection = { ...h.connection('sftp-password', folder), port: sftpProxy.port };
    const data = randomBytes(2 * 1024 * 1024);
    sftpProxy.armCut(600 * 1024);
    const error = await storeError(storeFor(connection, 1).put('data/big.bin', data, sha256(data)));
    expect(error.code).toBe('transient');
    expect(error.retryable).toBe(true);
    // The relay deletes the temporary over a fresh connection after the cut.
    expect(recursiveNames(folder)).toEqual([]);
  });

  test.each(['ftp', 'sftp-password'] as BackendKind[])('%s: the app-to-relay request is cut mid-body; nothing is left; a new put succeeds', async (kind) => {
    const folder = userFolder(h, `cut-app-${kind}`);
    const connection = h.connection(kind, folder);
    const data = randomBytes(1024 * 1024);
    const headers = {
      authorization: `Bearer ${h.issuer.sign()}`,
      [RELAY_REQUEST_HEADER]: encodeRelayRequest({ connection, path: 'data/cut.bin', size: data.length, sha256: sha256(data) }),
      'content-length': String(data.length),
    };
    await new Promise<void>((resolve) => {
      const req = request(`${h.relay.url}/v1/put`, { method: 'POST', headers, ca: h.relay.ca, agent: false });
      req.on('error', () => resolve());
      req.on('response', () => resolve());
      req.write(data.subarray(0, 300 * 1024));
      // Give the relay time to connect and stream part of it to the server, then pull the cable.
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 1500);
    });
    // The relay notices, cleans up the temporary; wait for that to settle.
    const deadline = Date.now() + 10_000;
    while (recursiveNames(folder).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(recursiveNames(folder)).toEqual([]);
    const store = storeFor(connection);
    expect(await store.stat('data/cut.bin')).toBeUndefined();
    await store.put('data/cut.bin', data, sha256(data));
    expect(recursiveNames(folder)).toEqual(['data/cut.bin']);
  });
});

describe('temporaries left by a crashed relay', () => {
  test('sftp: list never shows them and deletes those older than an hour; a fresh one (upload in flight) stays', async () => {
    const folder = userFolder(h, 'stale-temps');
    const owner = statSync(folder);
    mkdirSync(join(folder, 'data'));
    chownSync(join(folder, 'data'), owner.uid, owner.gid);
    const stale = join(folder, 'data', '.pack.bin.tmp-abc123');
    const fresh = join(folder, 'data', '.other.bin.tmp-def456');
    writeFileSync(stale, 'partial');
    writeFileSync(fresh, 'partial');
    writeFileSync(join(folder, 'data', 'real.bin'), 'whole');
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    utimesSync(stale, twoHoursAgo, twoHoursAgo);
    const listed = await storeFor(h.connection('sftp-password', folder)).list('');
    expect(listed.map((o) => o.path)).toEqual(['data/real.bin']);
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(fresh)).toBe(true);
  });
});
