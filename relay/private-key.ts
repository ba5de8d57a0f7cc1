/**
 * The two passphrase problems of an SFTP private key, told apart from "the key could not be read" so the admin
 * knows what to fix. ssh2 parses (and decrypts) the key in `connect` before it opens a socket, so these surface
 * before anything reaches the server, and its error text is all there is to go on.
 */
import { RelayError } from './relay-error';

export const PASSPHRASE_MISSING = 'The private key is protected by a passphrase: enter it in Storage settings.';
export const PASSPHRASE_WRONG = 'The key passphrase is wrong (the private key could not be decrypted).';

/**
 * The passphrase problem ssh2's key parser reported, if that is what `text` says. Its wording differs per key format:
 * "… key detected, but no passphrase given" (OpenSSH, PEM, PuTTY), "integrity check failed -- bad passphrase?"
 * (OpenSSH, PuTTY), "Malformed OpenSSH private key. Bad passphrase?" (encrypted PEM). Both are credential
 * problems: `auth-failed` (Test connection shows them at its login step), never retried.
 */
export function passphraseError(text: string): RelayError | undefined {
  if (/key detected, but no passphrase given/i.test(text)) return new RelayError('auth-failed', PASSPHRASE_MISSING, false);
  if (/bad passphrase|Failed to generate information to decrypt key/i.test(text)) return new RelayError('auth-failed', PASSPHRASE_WRONG, false);
  return undefined;
}
