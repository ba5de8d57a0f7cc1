/**
 * Opens one connection for one request. Transient connect failures (a 421 "too many users", a reset,
 * a timeout) are retried with backoff here, before the request body is read, so a put's stream is
 * still untouched when the connection is finally up.
 */
import { openFtp } from './ftp-fs';
import type { RelayConnection } from './protocol';
import type { OpenedRemote } from './remote-fs';
import { RelayError } from './relay-error';
import { openSftp, type SftpOpenOptions } from './sftp-fs';

export interface RetryPolicy {
  attempts: number;
  /** Delay before retry n (1-based). */
  delayMs: (retry: number) => number;
}

export const DEFAULT_CONNECT_RETRY: RetryPolicy = { attempts: 3, delayMs: (retry) => 300 * 3 ** (retry - 1) };

/** `options` matter for SFTP only; test-connection passes `learnHostKey`, nothing else does. */
export function openRemoteOnce(connection: RelayConnection, options: SftpOpenOptions = {}): Promise<OpenedRemote> {
  return connection.protocol === 'sftp' ? openSftp(connection, options) : openFtp(connection);
}

export async function openRemote(connection: RelayConnection, policy: RetryPolicy = DEFAULT_CONNECT_RETRY): Promise<OpenedRemote> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await openRemoteOnce(connection);
    } catch (error) {
      const retryable = error instanceof RelayError && error.retryable;
      if (!retryable || attempt >= policy.attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, policy.delayMs(attempt)));
    }
  }
}
