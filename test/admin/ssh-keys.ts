/**
 * Real private keys for the storage-settings tests, made by ssh-keygen (OpenSSH's own tool, as an admin would), in
 * the formats an admin may paste. Cached per kind: RSA generation is slow, and the tests only read the keys.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface KeyOptions {
  type?: 'ed25519' | 'rsa' | 'ecdsa';
  /** openssh: ssh-keygen's default format; pem: BEGIN RSA/EC PRIVATE KEY; pkcs8: BEGIN (ENCRYPTED) PRIVATE KEY. */
  format?: 'openssh' | 'pem' | 'pkcs8';
  /** Empty for an unencrypted key; ssh-keygen wants at least five characters otherwise. */
  passphrase?: string;
  /** Tells apart keys that are otherwise alike (a "new" key replacing a saved one). */
  name?: string;
}

const cache = new Map<string, string>();

export function sshKey({ type = 'ed25519', format = 'openssh', passphrase = '', name = '' }: KeyOptions = {}): string {
  const id = JSON.stringify([type, format, passphrase, name]);
  const cached = cache.get(id);
  if (cached) return cached;
  const dir = mkdtempSync(join(tmpdir(), 'bc-ssh-key-'));
  try {
    const file = join(dir, 'key');
    const formatArgs = format === 'pem' ? ['-m', 'PEM'] : format === 'pkcs8' ? ['-m', 'PKCS8'] : [];
    execFileSync('ssh-keygen', ['-q', '-t', type, ...(type === 'rsa' ? ['-b', '2048'] : []), ...formatArgs, '-N', passphrase, '-C', name, '-f', file]);
    const key = readFileSync(file, 'utf8');
    cache.set(id, key);
    return key;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
