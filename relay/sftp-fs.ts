/**
 * SFTP with ssh2-sftp-client: password or private key. The host key is hashed as OpenSSH shows it
 * (`SHA256:<base64 without padding>`); the settings' pinned fingerprint is required, and any other key is
 * refused during the handshake, before credentials are sent. Only Test connection may connect without a
 * pin (`learnHostKey`), so that it can show the admin the key to trust. A missing or wrong key passphrase is reported
 * as such (private-key.ts); ssh2 finds out before it opens the connection.
 */
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { pipeline, Transform, type Readable, type Writable } from 'node:stream';
import SftpClient from 'ssh2-sftp-client';
import type { RelayConnection } from './protocol';
import { passphraseError } from './private-key';
import { classifyServerError, RelayError } from './relay-error';
import type { OpenedRemote, RemoteEntry, RemoteFileSystem } from './remote-fs';

const READY_TIMEOUT_MS = 20_000;
/** OpenSSH advertises 255 KiB as its largest read/write (limits@openssh.com); ssh2 splits anything larger. */
const SFTP_WRITE_BYTES = 255 * 1024;

/** Re-chunks a stream into pieces of at least `size` bytes (the last may be smaller). */
class Batcher extends Transform {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  constructor(private readonly size: number) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes >= this.size) this.flushPending();
    done();
  }
  override _flush(done: () => void): void {
    this.flushPending();
    done();
  }
  private flushPending(): void {
    if (this.pendingBytes === 0) return;
    this.push(Buffer.concat(this.pending, this.pendingBytes));
    this.pending = [];
    this.pendingBytes = 0;
  }
}

export function sshFingerprint(hostKey: Buffer): string {
  return `SHA256:${createHash('sha256').update(hostKey).digest('base64').replace(/=+$/, '')}`;
}

function sameFingerprint(a: string, b: string): boolean {
  const normalize = (f: string) => f.trim().replace(/^SHA256:/i, '').replace(/=+$/, '');
  return normalize(a) === normalize(b);
}

export interface SftpOpenOptions {
  /** Test connection only: connect without a pinned fingerprint so the server's key can be shown for pinning. */
  learnHostKey?: boolean;
}

export async function openSftp(connection: RelayConnection, options: SftpOpenOptions = {}): Promise<OpenedRemote> {
  if (!connection.hostKeyFingerprint && !options.learnHostKey) {
    // Without a pin any server (or anyone in between) could receive the backups: refuse before connecting.
    throw new RelayError(
      'invalid',
      `The SFTP host key of ${connection.host}:${connection.port} is not pinned (hostKeyFingerprint is missing). ` +
        'Run Test connection, check the host key fingerprint it shows, and save the settings to pin it.',
      false,
    );
  }
  const client = new SftpClient('delivery-relay');
  let seen: string | undefined;
  try {
    await client.connect({
      host: connection.host,
      port: connection.port,
      username: connection.user,
      password: connection.privateKey ? undefined : connection.password,
      privateKey: connection.privateKey,
      passphrase: connection.passphrase,
      readyTimeout: READY_TIMEOUT_MS,
      hostVerifier: (key: Buffer) => {
        seen = sshFingerprint(key);
        if (!connection.hostKeyFingerprint) return options.learnHostKey === true;
        return sameFingerprint(seen, connection.hostKeyFingerprint);
      },
    });
  } catch (error) {
    await client.end().catch(() => undefined);
    if (seen && connection.hostKeyFingerprint && !sameFingerprint(seen, connection.hostKeyFingerprint)) {
      throw new RelayError(
        'host-key-mismatch',
        `connecting to ${connection.host}:${connection.port}: the server's host key is ${seen}, but ${connection.hostKeyFingerprint} is pinned. ` +
          'If the server was re-installed on purpose, test the connection again and save to pin the new key; otherwise someone may be intercepting the connection.',
        false,
      );
    }
    throw classifySftpError(error, `connecting to ${connection.host}:${connection.port}`);
  }
  try {
    const root = posix.resolve(await client.realPath('.'), connection.folder || '.');
    return { fs: new SftpFileSystem(client, root), facts: { hostKeyFingerprint: seen } };
  } catch (error) {
    await client.end().catch(() => undefined);
    throw classifySftpError(error, `reading the login folder on ${connection.host}`);
  }
}

/** SFTP status codes (draft-ietf-secsh-filexfer): 2 no such file, 3 permission denied, 4 failure. */
export function classifySftpError(error: unknown, where: string): RelayError {
  if (error instanceof RelayError) return error;
  const raw = (error ?? {}) as { code?: unknown; message?: unknown };
  const text = typeof raw.message === 'string' ? raw.message : String(error);
  if (raw.code === 2 || raw.code === 'ENOENT' || /No such file/i.test(text)) {
    return new RelayError('not-found', `${where}: no such file or folder. (${text})`, false);
  }
  if (raw.code === 3 || raw.code === 'EACCES' || /Permission denied/i.test(text)) {
    return new RelayError('permission-denied', `${where}: permission denied. Give the user read, write, rename and delete rights on the backup folder. (${text})`, false);
  }
  if (raw.code === 'ERR_BAD_AUTH' || /authentication methods failed/i.test(text)) {
    return new RelayError('auth-failed', `${where}: the server refused the user name and password or key. Check the user, the password or the private key (and its passphrase). (${text})`, false);
  }
  const passphraseProblem = passphraseError(text);
  if (passphraseProblem) return passphraseProblem;
  if (/Cannot parse privateKey|Unsupported key format/i.test(text)) {
    return new RelayError('invalid', `${where}: the private key could not be read. Paste the whole key (OpenSSH or PEM), and its passphrase if it has one. (${text})`, false);
  }
  if (typeof raw.code === 'number') return classifyServerError({ message: text }, where);
  return classifyServerError(error, where);
}

class SftpFileSystem implements RemoteFileSystem {
  constructor(
    private readonly client: SftpClient,
    readonly root: string,
  ) {}

  async upload(source: Readable, path: string): Promise<void> {
    // ssh2 waits for the server's reply to each SFTP WRITE before sending the next, so the number of
    // round trips, not bandwidth, bounds throughput: send few large writes instead of many small HTTP chunks.
    const batched = new Batcher(SFTP_WRITE_BYTES);
    pipeline(source, batched, () => undefined);
    await this.client.put(batched, path);
  }

  async download(path: string, sink: Writable): Promise<void> {
    await this.client.get(path, sink, { pipeOptions: { end: false }, readStreamOptions: { highWaterMark: SFTP_WRITE_BYTES } as Record<string, unknown> });
  }

  async stat(path: string): Promise<RemoteEntry | undefined> {
    try {
      const stats = await this.client.stat(path);
      if (!stats.isFile) return undefined;
      return { name: posix.basename(path), type: 'file', size: stats.size, modifiedAt: stats.modifyTime };
    } catch (error) {
      if (classifySftpError(error, '').code === 'not-found') return undefined;
      throw error;
    }
  }

  async list(dir: string): Promise<RemoteEntry[]> {
    try {
      const infos = await this.client.list(dir);
      return infos
        .filter((info) => info.name !== '.' && info.name !== '..')
        .map((info) => ({
          name: info.name,
          type: info.type === 'd' ? 'dir' : info.type === '-' ? 'file' : 'other',
          size: info.size,
          modifiedAt: info.modifyTime,
        }));
    } catch (error) {
      if (classifySftpError(error, '').code === 'not-found') return [];
      throw error;
    }
  }

  async rename(from: string, to: string): Promise<void> {
    // OpenSSH's posix-rename replaces the target atomically; plain SFTP rename refuses an existing target.
    try {
      await this.client.posixRename(from, to);
    } catch (error) {
      if (!/posix-rename|not supported|Server does not support/i.test(String((error as Error).message))) throw error;
      if (await this.stat(to)) await this.client.delete(to);
      await this.client.rename(from, to);
    }
  }

  async remove(path: string): Promise<void> {
    try {
      await this.client.delete(path);
    } catch (error) {
      if (classifySftpError(error, '').code === 'not-found') return;
      throw error;
    }
  }

  async ensureDir(dir: string): Promise<void> {
    if ((await this.client.exists(dir)) === 'd') return;
    try {
      await this.client.mkdir(dir, true);
    } catch (error) {
      // Another request may have created it in between (parallel uploads into a new folder).
      if ((await this.client.exists(dir)) === 'd') return;
      throw error;
    }
  }

  async serverSha256(): Promise<string | undefined> {
    return undefined; // OpenSSH offers no hash extension; the relay's streamed hash plus the size check stand.
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => undefined);
  }

  isAlive(): boolean {
    // ssh2-sftp-client drops its channel on 'end' / 'close' / ECONNRESET.
    return Boolean((this.client as unknown as { sftp?: unknown }).sftp);
  }

  classify(error: unknown, where: string): RelayError {
    return classifySftpError(error, where);
  }
}
