/**
 * SFTP with a passphrase-protected private key (ssh-keygen -N), against the real OpenSSH server of test/servers,
 * through the relay process exactly as the app calls it: the right passphrase works for every operation; a missing
 * or wrong one fails at once with its own message (not "the key could not be read"), and Test connection shows it at
 * its login step.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PASSPHRASE_MISSING, PASSPHRASE_WRONG } from '../../relay/private-key';
import type { RelayConnection } from '../../relay/protocol';
import { RelayStore } from '../../src/adapters/storage/relay-store';
import { StoreError } from '../../src/ports/backup-store';
import { startRelayHarness, type RelayHarness } from './relay-harness';
import { httpsInvoker, recursiveNames, userFolder } from './relay-store-factory';

let h: RelayHarness;
beforeAll(async () => {
  h = await startRelayHarness();
}, 60_000);
afterAll(async () => h?.stop());

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

function storeFor(connection: RelayConnection): RelayStore {
  return new RelayStore({ connection, invoke: httpsInvoker(h), retry: { attempts: 3, delayMs: () => 100 } });
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

describe('SFTP with a passphrase-protected private key (real OpenSSH)', () => {
  it('the key really is encrypted: OpenSSH wrote it with a cipher, not "none"', () => {
    const body = h.servers.clientEncryptedKey.privateKey.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
    expect(Buffer.from(body, 'base64').toString('latin1')).toContain('bcrypt');
  });

  it('uploads, lists, reads back and deletes with the right passphrase (typed with spaces, used exactly)', async () => {
    const folder = userFolder(h, 'passphrase-ok');
    const store = storeFor(h.connection('sftp-key-passphrase', folder));
    const data = Buffer.from('backed up with an encrypted key\n');
    await store.put('data/ab/object-1', data, sha256(data));
    expect(readFileSync(join(folder, 'data/ab/object-1'))).toEqual(data);
    expect(await store.list('')).toEqual([expect.objectContaining({ path: 'data/ab/object-1', size: data.length })]);
    expect(Buffer.from(await store.get('data/ab/object-1'))).toEqual(data);
    await store.delete('data/ab/object-1');
    expect(recursiveNames(folder)).toEqual([]);
  });

  it('without the passphrase: auth-failed, asking for it, not retried, nothing written', async () => {
    const folder = userFolder(h, 'passphrase-missing');
    const { passphrase: _omitted, ...withoutPassphrase } = h.connection('sftp-key-passphrase', folder);
    const data = Buffer.from('x');
    const started = Date.now();
    const error = await storeError(storeFor(withoutPassphrase).put('data/x', data, sha256(data)));
    expect(error).toMatchObject({ code: 'auth-failed', retryable: false, message: PASSPHRASE_MISSING });
    expect(PASSPHRASE_MISSING).toBe('The private key is protected by a passphrase: enter it in Storage settings.');
    expect(Date.now() - started).toBeLessThan(5_000); // no retries with backoff for a settings problem
    expect(recursiveNames(folder)).toEqual([]);
  });

  it('with a wrong passphrase: auth-failed, saying the passphrase is wrong', async () => {
    const connection = { ...h.connection('sftp-key-passphrase', userFolder(h, 'passphrase-wrong')), passphrase: 'correct horse battery staple' };
    const error = await storeError(storeFor(connection).list(''));
    expect(error).toMatchObject({ code: 'auth-failed', retryable: false, message: PASSPHRASE_WRONG });
    expect(PASSPHRASE_WRONG).toBe('The key passphrase is wrong (the private key could not be decrypted).');
  });

  it('Test connection reports a missing or wrong passphrase at the login step, and passes every step with the right one', async () => {
    const connection = h.connection('sftp-key-passphrase', userFolder(h, 'passphrase-probe'));
    const { passphrase: _omitted, ...withoutPassphrase } = connection;
    const missing = await storeFor(withoutPassphrase).testConnection();
    expect(missing.ok).toBe(false);
    expect(missing.steps).toEqual([{ name: 'login', ok: false, message: PASSPHRASE_MISSING }]);
    const wrong = await storeFor({ ...connection, passphrase: 'nope' }).testConnection();
    expect(wrong.steps).toEqual([{ name: 'login', ok: false, message: PASSPHRASE_WRONG }]);
    const right = await storeFor(connection).testConnection();
    expect(right.steps.map((s) => `${s.name} ${s.ok}`)).toEqual([
      'connect true', 'host-key true', 'login true', 'folder true', 'create true', 'rename true', 'read true', 'list true', 'delete true',
    ]);
  });

  it('a passphrase sent with an unencrypted key is ignored (a leftover passphrase never locks the admin out)', async () => {
    const folder = userFolder(h, 'passphrase-unneeded');
    const store = storeFor({ ...h.connection('sftp-key', folder), passphrase: 'not needed' });
    expect(await store.list('')).toEqual([]);
  });

  it('an encrypted PEM key (ssh-keygen -m PEM, another wording inside ssh2) gets the same two messages', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bc-pem-key-'));
    try {
      execFileSync('ssh-keygen', ['-q', '-t', 'rsa', '-b', '2048', '-m', 'PEM', '-N', 'pem secret', '-f', join(dir, 'key')]);
      const privateKey = readFileSync(join(dir, 'key'), 'utf8');
      expect(privateKey).toContain('Proc-Type: 4,ENCRYPTED');
      const base = { ...h.connection('sftp-key', userFolder(h, 'passphrase-pem')), privateKey };
      expect(await storeError(storeFor(base).list(''))).toMatchObject({ code: 'auth-failed', message: PASSPHRASE_MISSING });
      expect(await storeError(storeFor({ ...base, passphrase: 'wrong' }).list(''))).toMatchObject({ code: 'auth-failed', message: PASSPHRASE_WRONG });
      // Decrypted with the right passphrase, the key reaches the server, which does not authorize it: the usual login refusal.
      const refused = await storeError(storeFor({ ...base, passphrase: 'pem secret' }).list(''));
      expect(refused.code).toBe('auth-failed');
      expect(refused.message).toMatch(/the server refused the user name and password or key/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
