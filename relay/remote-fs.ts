/**
 * The few file operations the relay needs, with one implementation per protocol family
 * (ftp-fs.ts for FTP/FTPS, sftp-fs.ts for SFTP). Paths here are absolute server paths; the object
 * layer (object-operations.ts) maps object paths onto them. One instance = one connection, used by
 * one request at a time, closed when the request ends.
 */
import type { Readable, Writable } from 'node:stream';
import type { RelayError } from './relay-error';

export interface RemoteEntry {
  name: string;
  type: 'file' | 'dir' | 'other';
  size: number;
  modifiedAt?: number;
}

export interface RemoteFileSystem {
  /** The absolute folder the connection settings name (the repository root), resolved after login. */
  readonly root: string;
  /** Writes `source` to `path` (its folder exists); resolves once the server confirmed the transfer. */
  upload(source: Readable, path: string): Promise<void>;
  /** Streams the file into `sink` (which is not ended on failure). */
  download(path: string, sink: Writable): Promise<void>;
  /** undefined when there is no such file. */
  stat(path: string): Promise<RemoteEntry | undefined>;
  /** Entries of a folder, [] when the folder does not exist. Never includes '.' or '..'. */
  list(dir: string): Promise<RemoteEntry[]>;
  /** Moves `from` to `to`, replacing `to` if it exists. */
  rename(from: string, to: string): Promise<void>;
  /** Deletes a file; succeeds when it is already gone. */
  remove(path: string): Promise<void>;
  /** Creates the folder and its parents if missing. */
  ensureDir(dir: string): Promise<void>;
  /** Lower-case hex SHA-256 computed by the server, where it offers that (FTP HASH); undefined otherwise. */
  serverSha256(path: string): Promise<string | undefined>;
  close(): Promise<void>;
  /** False once the server or the network closed the session (a pooled connection is then discarded). */
  isAlive(): boolean;
  /** This protocol's translation of a raw failure into a RelayError (SFTP status numbers are not FTP replies). */
  classify(error: unknown, where: string): RelayError;
}

/** What the connection learned about the server, for test-connection. */
export interface ConnectionFacts {
  hostKeyFingerprint?: string;
  certificate?: { subject: string; issuer: string; validTo: string; fingerprint256: string };
}

export interface OpenedRemote {
  fs: RemoteFileSystem;
  facts: ConnectionFacts;
}
