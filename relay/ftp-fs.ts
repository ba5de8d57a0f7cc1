/**
 * FTP, explicit FTPS (AUTH TLS on the control port) and implicit FTPS (TLS from the first byte) with
 * basic-ftp. Certificates are always verified; a custom CA from the settings is trusted in addition
 * to the system store (Node uses only the given CA list when `ca` is set, so we append the defaults).
 */
import { posix } from 'node:path';
import { rootCertificates, type ConnectionOptions, type TLSSocket } from 'node:tls';
import { pipeline, Transform, type Readable, type Writable } from 'node:stream';
import { Client, FTPError, type FileInfo } from 'basic-ftp';
import type { RelayConnection } from './protocol';
import { classifyServerError, type RelayError } from './relay-error';
import type { ConnectionFacts, OpenedRemote, RemoteEntry, RemoteFileSystem } from './remote-fs';

const FTP_TIMEOUT_MS = 30_000;
const EMPTY_UPLOAD_GRACE_MS = 250;

export async function openFtp(connection: RelayConnection): Promise<OpenedRemote> {
  const client = new Client(FTP_TIMEOUT_MS);
  const where = `connecting to ${connection.host}:${connection.port}`;
  const secure = connection.protocol === 'ftp' ? false : connection.protocol === 'ftps-implicit' ? 'implicit' : true;
  const secureOptions: ConnectionOptions = { rejectUnauthorized: true };
  if (connection.caCertificate) secureOptions.ca = [...rootCertificates, connection.caCertificate];
  try {
    await client.access({ host: connection.host, port: connection.port, user: connection.user, password: connection.password ?? '', secure, secureOptions });
  } catch (error) {
    client.close();
    throw classifyServerError(error, where);
  }
  const facts: ConnectionFacts = {};
  const socket = client.ftp.socket as Partial<TLSSocket>;
  if (typeof socket.getPeerCertificate === 'function') {
    const cert = socket.getPeerCertificate();
    if (cert && cert.subject) {
      facts.certificate = {
        subject: formatName(cert.subject),
        issuer: formatName(cert.issuer),
        validTo: cert.valid_to,
        fingerprint256: cert.fingerprint256,
      };
    }
  }
  try {
    const home = await client.pwd();
    const root = posix.resolve(home, connection.folder || '.');
    return { fs: new FtpFileSystem(client, root), facts };
  } catch (error) {
    client.close();
    throw classifyServerError(error, `reading the login folder on ${connection.host}`);
  }
}

function formatName(name: object | undefined): string {
  if (!name) return '';
  return Object.entries(name)
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join('+') : String(value)}`)
    .join(', ');
}

class FtpFileSystem implements RemoteFileSystem {
  private features?: Map<string, string>;

  constructor(
    private readonly client: Client,
    readonly root: string,
  ) {}

  async upload(source: Readable, path: string): Promise<void> {
    // An empty upload closes the TLS data channel right after the client's side of the handshake; vsftpd
    // (TLS 1.3) is then still finishing its side and kills the session with a TLS alert on the control
    // channel. Seen with every empty upload here; a short pause after the handshake avoids it.
    let bytes = 0;
    const gate = new Transform({
      transform: (chunk: Buffer, _encoding, done) => {
        bytes += chunk.length;
        done(null, chunk);
      },
      flush: (done) => {
        if (bytes > 0) return done();
        void this.dataChannelReady()
          .then(() => new Promise((resolve) => setTimeout(resolve, EMPTY_UPLOAD_GRACE_MS)))
          .then(() => done(), done);
      },
    });
    pipeline(source, gate, () => undefined);
    await this.client.uploadFrom(gate, path);
  }

  private async dataChannelReady(): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const socket = this.client.ftp.dataSocket as Partial<TLSSocket> | undefined;
      if (socket && (typeof socket.getCipher !== 'function' || socket.getCipher())) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  async download(path: string, sink: Writable): Promise<void> {
    await this.client.downloadTo(sink, path);
  }

  async stat(path: string): Promise<RemoteEntry | undefined> {
    // Listing the parent works on every server (SIZE answers 550 for both "missing" and "denied").
    const entries = await this.list(posix.dirname(path));
    return entries.find((entry) => entry.name === posix.basename(path) && entry.type === 'file');
  }

  async list(dir: string): Promise<RemoteEntry[]> {
    let infos: FileInfo[];
    try {
      infos = await this.client.list(dir);
    } catch (error) {
      // Servers differ: vsftpd lists a missing folder as empty, others answer 450/550.
      if (error instanceof FTPError && (error.code === 550 || error.code === 450)) return [];
      throw error;
    }
    return infos
      .filter((info) => info.name !== '.' && info.name !== '..')
      .map((info) => ({
        name: posix.basename(info.name),
        type: info.isDirectory ? 'dir' : info.isFile ? 'file' : 'other',
        size: info.size,
        modifiedAt: info.modifiedAt?.getTime(),
      }));
  }

  async rename(from: string, to: string): Promise<void> {
    try {
      await this.client.rename(from, to);
    } catch (error) {
      // Some servers (IIS, some Pure-FTPd setups) refuse to rename over an existing file.
      if (!(error instanceof FTPError) || error.code !== 550 || !(await this.stat(to))) throw error;
      await this.client.remove(to);
      await this.client.rename(from, to);
    }
  }

  async remove(path: string): Promise<void> {
    try {
      await this.client.remove(path);
    } catch (error) {
      if (error instanceof FTPError && error.code === 550 && !(await this.stat(path))) return;
      throw error;
    }
  }

  async ensureDir(dir: string): Promise<void> {
    await this.client.ensureDir(dir);
  }

  async serverSha256(path: string): Promise<string | undefined> {
    // draft-bryan-ftpext-hash: FEAT lists "HASH SHA-256;SHA-1…"; the reply is "213 SHA-256 0-<n> <hex> <name>".
    this.features ??= await this.client.features();
    const offered = this.features.get('HASH');
    if (offered === undefined || !/SHA-256/i.test(offered)) return undefined;
    await this.client.send('OPTS HASH SHA-256');
    const reply = await this.client.send(`HASH ${path}`);
    const hex = /\b([0-9a-fA-F]{64})\b/.exec(reply.message)?.[1];
    return hex?.toLowerCase();
  }

  async close(): Promise<void> {
    this.client.close();
  }

  isAlive(): boolean {
    return !this.client.closed;
  }

  classify(error: unknown, where: string): RelayError {
    return classifyServerError(error, where);
  }
}

