/**
 * One error type for everything the relay answers with, and the translation of raw FTP / SSH / TLS /
 * socket failures into codes and messages an admin can act on. The raw server text is kept short and
 * appended, because "550 Permission denied" next to our advice helps more than either alone.
 */
import type { RelayErrorCode } from './protocol';

export class RelayError extends Error {
  constructor(
    readonly code: RelayErrorCode,
    message: string,
    readonly retryable = code === 'transient' || code === 'unreachable',
  ) {
    super(message);
    this.name = 'RelayError';
  }
}

export const HTTP_STATUS: Record<RelayErrorCode, number> = {
  unauthorized: 401,
  invalid: 400,
  'not-found': 404,
  'checksum-mismatch': 422,
  'too-large': 413,
  'auth-failed': 502,
  'permission-denied': 502,
  'disk-full': 507,
  unreachable: 504,
  'tls-failed': 502,
  'host-key-mismatch': 502,
  transient: 503,
};

interface RawError {
  code?: unknown;
  message?: unknown;
  level?: unknown;
}

function shortServerText(error: RawError): string {
  const text = typeof error.message === 'string' ? error.message.replace(/\s+/g, ' ').trim() : String(error);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/** Certificate problems: the admin must fix settings (CA, host name). */
const CERTIFICATE_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/**
 * Classifies anything thrown while talking to the server. `where` says what we were doing
 * ("connecting to ftp.example.com:21", "uploading data/ab/x") and starts every message.
 */
export function classifyServerError(error: unknown, where: string): RelayError {
  if (error instanceof RelayError) return error;
  const raw = (error ?? {}) as RawError;
  const code = raw.code;
  const text = shortServerText(raw);

  if (typeof code === 'number') return classifyFtpReply(code, text, where);
  if (typeof code === 'string') {
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
      return new RelayError('unreachable', `${where}: the host name does not resolve (DNS). Check the host name. (${text})`, code === 'EAI_AGAIN');
    }
    if (code === 'ECONNREFUSED') {
      return new RelayError('unreachable', `${where}: the connection was refused. Check the host and port, and that the server is running and lets the relay in. (${text})`);
    }
    if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') {
      return new RelayError('unreachable', `${where}: the host cannot be reached from the relay (network/firewall). (${text})`);
    }
    if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'ETIMEDOUT' || code === 'ECONNABORTED') {
      return new RelayError('transient', `${where}: the connection broke (${code}); it will be retried. (${text})`);
    }
    if (CERTIFICATE_CODES.has(code)) {
      return new RelayError(
        'tls-failed',
        `${where}: the server's TLS certificate could not be verified (${code}). If the server uses a private or self-signed certificate, paste its CA certificate (PEM) into the connection settings; also check that the host name matches the certificate. (${text})`,
        false,
      );
    }
    if (code === 'EPROTO' || code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL')) {
      // While connecting this means the two sides share no TLS mode (e.g. implicit FTPS against an explicit port);
      // later in a session it is a broken record on a live connection, worth retrying.
      if (where.startsWith('connecting')) {
        return new RelayError('tls-failed', `${where}: the TLS handshake failed (${code}). Check the FTPS mode (explicit on port 21, implicit usually on 990) and the port. (${text})`, false);
      }
      return new RelayError('transient', `${where}: the TLS session broke (${code}); it will be retried. (${text})`);
    }
  }
  // ssh2 reports failures through `level` ('client-authentication', 'client-timeout', 'client-socket', 'protocol', …).
  if (raw.level === 'client-authentication' || /All configured authentication methods failed/i.test(text)) {
    return new RelayError('auth-failed', `${where}: the server refused the user name and password or key. Check the user, the password or the private key (and its passphrase). (${text})`, false);
  }
  if (raw.level === 'client-timeout' || /timed out|timeout/i.test(text)) {
    return new RelayError('transient', `${where}: the server did not answer in time; it will be retried. (${text})`);
  }
  if (/Permission denied/i.test(text)) {
    return new RelayError('permission-denied', `${where}: permission denied. Give the user read, write, rename and delete rights on the backup folder. (${text})`, false);
  }
  if (/No such file/i.test(text) || /ENOENT/.test(String(code))) {
    return new RelayError('not-found', `${where}: no such file or folder. (${text})`, false);
  }
  if (/(No space|quota|disk full|Failure.*space)/i.test(text)) {
    return new RelayError('disk-full', `${where}: the server is out of disk space or over the user's quota. Free space or raise the quota. (${text})`, false);
  }
  if (/closed|reset|socket hang up|Connection lost|ECONNRESET|not connected/i.test(text)) {
    return new RelayError('transient', `${where}: the connection broke; it will be retried. (${text})`);
  }
  return new RelayError('transient', `${where}: unexpected failure; it will be retried. (${text})`);
}

/** FTP reply codes (RFC 959 / 3659 / 4217) to relay codes. */
export function classifyFtpReply(reply: number, text: string, where: string): RelayError {
  if (reply === 530 || reply === 332) {
    return new RelayError('auth-failed', `${where}: the server refused the login (${reply}). Check the user name and password. (${text})`, false);
  }
  if (reply === 552 || reply === 452) {
    return new RelayError('disk-full', `${where}: the server is out of space or over the user's quota (${reply}). Free space on the server or raise the quota. (${text})`, false);
  }
  if (reply === 553 || reply === 532) {
    return new RelayError('permission-denied', `${where}: the server does not allow this file name or lacks write permission (${reply}). Give the user write rights on the backup folder. (${text})`, false);
  }
  if (reply === 550) {
    // 550 means "no such file" or "permission denied"; the server text tells which.
    if (/no such|not found|not exist|can't find|cannot find|failed to open file/i.test(text) && !/denied|permission/i.test(text)) {
      return new RelayError('not-found', `${where}: no such file or folder on the server (550). (${text})`, false);
    }
    return new RelayError('permission-denied', `${where}: the server refused the operation (550). Give the user read, write, rename and delete rights on the backup folder. (${text})`, false);
  }
  if (reply === 421 || reply === 425 || reply === 426 || reply === 450 || reply === 451) {
    return new RelayError('transient', `${where}: the server reported a temporary failure (${reply}); it will be retried. (${text})`);
  }
  if (reply === 534 || reply === 522 || reply === 536) {
    return new RelayError('tls-failed', `${where}: the server refused the requested TLS protection (${reply}). Choose the FTPS mode the server supports. (${text})`, false);
  }
  if (reply >= 500) return new RelayError('invalid', `${where}: the server refused the command (${reply}). (${text})`, false);
  return new RelayError('transient', `${where}: unexpected reply ${reply}; it will be retried. (${text})`);
}
