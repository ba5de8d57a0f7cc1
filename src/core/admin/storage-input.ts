import { validateStorageSettings, type StorageSettings } from '../plans';
import type { FieldError } from './errors';
import { FieldReader } from './field-reader';
import { readPrivateKey } from './private-key-check';

export { DEFAULT_PORTS, REMOTE_PROTOCOLS } from '../plans';
export const MAX_QUOTA_GB = 100_000;
const GB = 1024 ** 3;
const PRIVATE_KEY = /-----BEGIN ([A-Z]+ )?PRIVATE KEY-----[\s\S]+-----END ([A-Z]+ )?PRIVATE KEY-----/;
const MAX_PASSWORD_LENGTH = 1024;

/** Secrets typed into the form this time. Absent means "keep what is stored". */
export interface SecretInput {
  password?: string;
  privateKey?: string;
  /** The private key's passphrase, when the key is encrypted. Only read with `auth: 'private-key'`. */
  passphrase?: string;
}

export interface StorageInputResult {
  settings?: StorageSettings;
  secrets: SecretInput;
  errors: FieldError[];
}

/**
 * Reads what the storage form sent: the settings (checked by src/core/plans' validateStorageSettings, the one set of
 * rules), the quota the form gives in GB, and the secrets typed this time, which never become part of the settings.
 */
export function readStorageInput(input: unknown, options: { requireHostKey?: boolean } = {}): StorageInputResult {
  const r = new FieldReader();
  const raw = r.object(input, 'kind', 'Storage') ?? {};
  const { password, privateKey, passphrase, quotaGb, ...rest } = raw;
  const candidate: Record<string, unknown> = { ...rest };
  if (raw.kind === 'managed' && quotaGb !== undefined) {
    const gb = r.integer(quotaGb, 'quotaGb', 'Quota in GB', { min: 1, max: MAX_QUOTA_GB });
    if (gb !== undefined) candidate.quotaBytes = gb * GB;
  }
  const secrets = readSecrets(r, raw.kind === 'remote' ? raw.auth ?? 'password' : undefined, { password, privateKey, passphrase });
  const result = validateStorageSettings(candidate, { requireHostKey: options.requireHostKey === true });
  const errors = [...r.errors, ...(result.ok ? [] : result.errors.map((e) => (e.field === 'quotaBytes' ? { ...e, field: 'quotaGb' } : e)))];
  if (!result.ok || errors.length > 0) return { secrets: {}, errors: dedupe(errors) };
  return { settings: result.settings, secrets, errors: [] };
}

function readSecrets(r: FieldReader, auth: unknown, { password, privateKey, passphrase }: Record<keyof SecretInput, unknown>): SecretInput {
  const secrets: SecretInput = {};
  if (auth === 'password' && password !== undefined && password !== '') {
    if (typeof password !== 'string' || password.length > MAX_PASSWORD_LENGTH) {
      r.fail('password', `The password must be text of at most ${MAX_PASSWORD_LENGTH} characters.`);
    } else secrets.password = password;
  }
  if (auth === 'private-key' && privateKey !== undefined && privateKey !== '') {
    if (typeof privateKey !== 'string' || !PRIVATE_KEY.test(privateKey)) {
      r.fail('privateKey', 'Paste the whole private key, from -----BEGIN … PRIVATE KEY----- to -----END … PRIVATE KEY-----.');
    } else {
      // Its format and contents too (private-key-check.ts): a key the relay cannot read is refused here, not at backup time.
      const key = readPrivateKey(privateKey);
      if ('error' in key) r.fail('privateKey', key.error);
      else secrets.privateKey = privateKey.trim() + '\n';
    }
  }
  // Kept exactly as typed (no trimming): spaces are part of a passphrase.
  if (auth === 'private-key' && passphrase !== undefined && passphrase !== '') {
    if (typeof passphrase !== 'string' || passphrase.length > MAX_PASSWORD_LENGTH) {
      r.fail('passphrase', `The key passphrase must be text of at most ${MAX_PASSWORD_LENGTH} characters.`);
    } else secrets.passphrase = passphrase;
  }
  return secrets;
}

/** One message per field: the first one found is the one to fix first. */
function dedupe(errors: FieldError[]): FieldError[] {
  return errors.filter((e, i) => errors.findIndex((o) => o.field === e.field) === i);
}
