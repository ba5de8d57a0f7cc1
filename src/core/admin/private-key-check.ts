/**
 * Checks a pasted SFTP private key when it is saved, so a key the relay cannot use is refused at the form instead of
 * failing at "Test connection" or, worse, at the next backup. The relay signs in with ssh2, which reads OpenSSH-format
 * keys and the traditional PEM keys (BEGIN RSA / DSA / EC PRIVATE KEY); those are the formats accepted here.
 * Only node:crypto is used (src/core stays pure; ssh2 is the relay's dependency, not the app's).
 */
import { Buffer } from 'node:buffer';
import { createPrivateKey } from 'node:crypto';
import type { FieldError } from './errors';

const BLOCK = /^-----BEGIN ([A-Z0-9 ]*?) ?PRIVATE KEY-----\r?\n([\s\S]*?)\r?\n?-----END \1 ?PRIVATE KEY-----$/;
const OPENSSH_MAGIC = 'openssh-key-v1\0';

export const KEY_DAMAGED = 'This private key could not be read (it is damaged or incomplete): paste the whole key file again, from -----BEGIN … PRIVATE KEY----- to -----END … PRIVATE KEY-----.';
export const KEY_PKCS8 = 'This private key is in PKCS#8 format (BEGIN PRIVATE KEY), which SFTP sign-in cannot read: convert it with "ssh-keygen -p -f <key file>" and paste the result.';
export const KEY_UNKNOWN = 'This is not an SSH private key: paste an OpenSSH key (BEGIN OPENSSH PRIVATE KEY) or a PEM key (BEGIN RSA, DSA or EC PRIVATE KEY).';
export const KEY_PASSPHRASE_NEEDED = 'This private key is protected by a passphrase: type it here.';
export const KEY_PASSPHRASE_WRONG = 'This passphrase does not unlock the private key: check it and type it again.';

export interface KeyFacts {
  format: 'openssh' | 'pem';
  encrypted: boolean;
}

/** What the key is, or the message saying why it cannot be used. `text` is the whole pasted key (trimmed). */
export function readPrivateKey(text: string): KeyFacts | { error: string } {
  const block = BLOCK.exec(text.trim());
  if (!block) return { error: KEY_DAMAGED };
  const [, label, body] = block;
  if (label === 'OPENSSH') return readOpenSsh(body);
  if (label === 'RSA' || label === 'DSA' || label === 'EC') return readPem(text.trim(), body);
  if (label === '' || label === 'ENCRYPTED') return { error: KEY_PKCS8 };
  return { error: KEY_UNKNOWN };
}

/**
 * The passphrase problem of the key that would be saved, as a field error for `passphrase`, if any.
 * PEM keys are decrypted with node:crypto, so a wrong passphrase is caught here. OpenSSH-format keys are encrypted
 * with bcrypt-pbkdf, which node:crypto lacks (and the app takes no new dependency for it): for them only a missing
 * passphrase is caught here, and a wrong one is reported by "Test connection" (the relay's login step).
 */
export function passphraseProblem(key: string, passphrase: string | undefined): FieldError | undefined {
  const facts = readPrivateKey(key);
  if ('error' in facts || !facts.encrypted) return undefined;
  if (!passphrase) return { field: 'passphrase', message: KEY_PASSPHRASE_NEEDED };
  if (facts.format === 'pem' && !decrypts(key.trim(), passphrase)) return { field: 'passphrase', message: KEY_PASSPHRASE_WRONG };
  return undefined;
}

/**
 * The OpenSSH header (PROTOCOL.key): magic, cipher name ("none" when unencrypted), kdf name, kdf options, key count,
 * public keys, private section. Readable without decrypting; an unencrypted private section starts with two equal
 * check numbers, which a truncated or mangled paste rarely keeps.
 */
function readOpenSsh(body: string): KeyFacts | { error: string } {
  if (!/^[A-Za-z0-9+/=\s]+$/.test(body)) return { error: KEY_DAMAGED };
  const data = Buffer.from(body.replace(/\s+/g, ''), 'base64');
  if (data.subarray(0, OPENSSH_MAGIC.length).toString('latin1') !== OPENSSH_MAGIC) return { error: KEY_DAMAGED };
  let at = OPENSSH_MAGIC.length;
  const field = (): Buffer | undefined => {
    if (at + 4 > data.length) return undefined;
    const length = data.readUInt32BE(at);
    if (at + 4 + length > data.length) return undefined;
    at += 4 + length;
    return data.subarray(at - length, at);
  };
  const cipher = field()?.toString('latin1');
  const kdf = field();
  const kdfOptions = field();
  if (cipher === undefined || !kdf || !kdfOptions || at + 4 > data.length) return { error: KEY_DAMAGED };
  const keys = data.readUInt32BE(at);
  at += 4;
  if (keys < 1 || keys > 16) return { error: KEY_DAMAGED };
  for (let i = 0; i < keys; i++) if (!field()) return { error: KEY_DAMAGED };
  const secret = field();
  if (!secret || secret.length < 8) return { error: KEY_DAMAGED };
  if (cipher !== 'none') return { format: 'openssh', encrypted: true };
  if (secret.readUInt32BE(0) !== secret.readUInt32BE(4)) return { error: KEY_DAMAGED };
  return { format: 'openssh', encrypted: false };
}

/** Traditional PEM: "Proc-Type: 4,ENCRYPTED" marks an encrypted one; an unencrypted one must parse as it is. */
function readPem(whole: string, body: string): KeyFacts | { error: string } {
  const encrypted = /^Proc-Type:\s*4,ENCRYPTED\s*$/m.test(body);
  if (encrypted) return /^DEK-Info:/m.test(body) ? { format: 'pem', encrypted } : { error: KEY_DAMAGED };
  return decrypts(whole, undefined) ? { format: 'pem', encrypted } : { error: KEY_DAMAGED };
}

function decrypts(key: string, passphrase: string | undefined): boolean {
  try {
    createPrivateKey(passphrase === undefined ? { key } : { key, passphrase });
    return true;
  } catch {
    return false;
  }
}
