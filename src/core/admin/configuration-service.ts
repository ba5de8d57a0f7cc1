import type { Secrets } from '../../ports';
import type { BackupPlan, StorageSettings } from '../plans/plan';
import { DEFAULT_QUOTA_BYTES } from '../plans/plan';
import type { AuditLog } from './audit-log';
import type { ConnectionReport, ConnectionTester, SiteProjects, SiteTimeZone } from './collaborators';
import {
  ConfigurationStore,
  STORAGE_KEY_PASSPHRASE_SECRET,
  STORAGE_PASSWORD_SECRET,
  STORAGE_PRIVATE_KEY_SECRET,
} from './configuration-store';
import { AdminError, invalid } from './errors';
import { readPlanInput } from './plan-input';
import { passphraseProblem } from './private-key-check';
import { describeStorage } from './storage-description';
import { readStorageInput, type SecretInput } from './storage-input';

/** Storage as the page may see it: settings plus whether each secret is set, never the secret itself. */
export interface StorageView {
  settings: StorageSettings;
  /** False until an admin saves storage; the settings are then the managed default. */
  configured: boolean;
  passwordSet: boolean;
  privateKeySet: boolean;
  /** Whether a passphrase for the private key is stored (the passphrase itself never leaves secret storage). */
  passphraseSet: boolean;
  description: string;
}

export interface ConfigurationView {
  plans: BackupPlan[];
  storage: StorageView;
  /** The site's time zone: plan times are in this zone, and the page says so. */
  timeZone: string;
}

export interface ConfigurationServiceDeps {
  store: ConfigurationStore;
  secrets: Secrets;
  audit: AuditLog;
  tester: ConnectionTester;
  siteTimeZone: SiteTimeZone;
  siteProjects: SiteProjects;
  newId: () => string;
}

/**
 * Plans and storage settings: every field is checked here (the page's own checks are a convenience only),
 * every change is written to the audit log, and secrets go to secret storage and never come back out.
 */
export class ConfigurationService {
  constructor(private readonly deps: ConfigurationServiceDeps) {}

  async view(): Promise<ConfigurationView> {
    const [plans, storage, timeZone] = await Promise.all([this.deps.store.plans(), this.storageView(), this.deps.siteTimeZone()]);
    return { plans, storage, timeZone };
  }

  /** The site's projects, for picking "Selected projects" (keys can still be typed when this fails). */
  listProjects(): Promise<{ key: string; name: string }[]> {
    return this.deps.siteProjects();
  }

  /** Creates a plan (no `id` in the input) or replaces one (with `id`). */
  async savePlan(input: unknown, actor: string): Promise<BackupPlan> {
    const id = (input as { id?: unknown } | null)?.id;
    if (id !== undefined && (typeof id !== 'string' || id === '')) throw new AdminError('invalid', 'The plan id is not valid; reload the page.');
    const existing = await this.deps.store.plans();
    const previous = id ? existing.find((p) => p.id === id) : undefined;
    if (id && !previous) throw new AdminError('not-found', 'This plan no longer exists (another admin may have deleted it). Reload the page.');
    const { plan, errors } = readPlanInput(input, previous?.id ?? this.deps.newId());
    if (plan && existing.some((p) => p.id !== plan.id && p.name.toLowerCase() === plan.name.toLowerCase())) {
      errors.push({ field: 'name', message: `Another plan is already called "${plan.name}". Choose a different name.` });
    }
    if (errors.length > 0 || !plan) throw invalid(errors);
    await this.deps.store.savePlan(plan);
    await this.deps.audit.append({ actor, action: previous ? 'plan.updated' : 'plan.created', subject: plan.name, details: { planId: plan.id } });
    return plan;
  }

  async deletePlan(id: unknown, actor: string): Promise<void> {
    const plan = typeof id === 'string' ? await this.deps.store.plan(id) : undefined;
    if (!plan) throw new AdminError('not-found', 'This plan no longer exists. Reload the page.');
    await this.deps.store.deletePlan(plan.id);
    await this.deps.audit.append({ actor, action: 'plan.deleted', subject: plan.name, details: { planId: plan.id } });
  }

  async storageView(): Promise<StorageView> {
    const [saved, secrets] = await Promise.all([this.deps.store.storage(), this.deps.store.secretsSet()]);
    const settings: StorageSettings = saved ?? { kind: 'managed', quotaBytes: DEFAULT_QUOTA_BYTES };
    return { settings, configured: !!saved, ...secrets, description: describeStorage(settings) };
  }

  async saveStorage(input: unknown, actor: string): Promise<StorageView> {
    // Saving pins the SFTP host key shown by "Test connection": without one the relay would refuse every backup.
    const { settings, typed: secrets, credentials } = await this.readStorageWithSecrets(input, { requireHostKey: true });
    // The key and passphrase that would be stored must go together, checked before anything is written. Only here:
    // "Test connection" lets the relay report them at its login step, as the admin will see them at backup time.
    const problem = credentials.privateKey ? passphraseProblem(credentials.privateKey, credentials.passphrase) : undefined;
    if (problem) throw invalid([problem]);
    if (settings.kind === 'remote') {
      // Store the typed secret, and drop the other method's secret so a stale credential is never used by mistake.
      if (settings.auth === 'password') {
        if (secrets.password !== undefined) await this.deps.secrets.set(STORAGE_PASSWORD_SECRET, secrets.password);
        await Promise.all([this.deps.secrets.delete(STORAGE_PRIVATE_KEY_SECRET), this.deps.secrets.delete(STORAGE_KEY_PASSPHRASE_SECRET)]);
      } else {
        if (secrets.privateKey !== undefined) await this.deps.secrets.set(STORAGE_PRIVATE_KEY_SECRET, secrets.privateKey);
        // The passphrase belongs to the key: a typed one replaces it; a new key without one drops the old key's.
        if (secrets.passphrase !== undefined) await this.deps.secrets.set(STORAGE_KEY_PASSPHRASE_SECRET, secrets.passphrase);
        else if (secrets.privateKey !== undefined) await this.deps.secrets.delete(STORAGE_KEY_PASSPHRASE_SECRET);
        await this.deps.secrets.delete(STORAGE_PASSWORD_SECRET);
      }
    } else {
      await Promise.all([
        this.deps.secrets.delete(STORAGE_PASSWORD_SECRET),
        this.deps.secrets.delete(STORAGE_PRIVATE_KEY_SECRET),
        this.deps.secrets.delete(STORAGE_KEY_PASSPHRASE_SECRET),
      ]);
    }
    await this.deps.store.saveStorage(settings);
    const details: Record<string, string | boolean> = { kind: settings.kind };
    if (settings.kind === 'remote' && (secrets.password || secrets.privateKey || secrets.passphrase)) details.credentialsChanged = true;
    await this.deps.audit.append({ actor, action: 'storage.changed', subject: describeStorage(settings), details });
    return this.storageView();
  }

  /** Tries the settings in the form (not yet saved) with the typed secret, or the stored one when none was typed. */
  async testConnection(input: unknown, actor: string): Promise<ConnectionReport> {
    const { settings, credentials } = await this.readStorageWithSecrets(input);
    const report = await this.deps.tester.test(settings, credentials);
    await this.deps.audit.append({ actor, action: 'storage.tested', subject: describeStorage(settings), details: { ok: report.ok } });
    return report;
  }

  /**
   * Validates the form; `typed` holds the secrets typed this time, `credentials` completes them from secret storage.
   * A remote server needs a password or key from one of the two.
   */
  private async readStorageWithSecrets(
    input: unknown,
    options: { requireHostKey?: boolean } = {},
  ): Promise<{ settings: StorageSettings; typed: SecretInput; credentials: SecretInput }> {
    const { settings, secrets: typed, errors } = readStorageInput(input, options);
    if (!settings) throw invalid(errors);
    if (settings.kind !== 'remote') return { settings, typed, credentials: {} };
    // A saved secret is only ever sent to the server (and through the relay) it was saved for: changing the host,
    // port, user, protocol or relay in the form and pressing "Test connection" must not hand it to another machine.
    const saved = await this.deps.store.storage();
    const sameServer = saved?.kind === 'remote' && saved.protocol === settings.protocol && saved.host === settings.host
      && saved.port === settings.port && saved.user === settings.user && saved.relayUrl === settings.relayUrl;
    const stored = sameServer ? await this.deps.store.credentials() : {};
    const again = saved?.kind === 'remote' && !sameServer ? ' The saved one is only used for the server it was saved for.' : '';
    if (settings.auth === 'password') {
      const password = typed.password ?? stored.password;
      if (!password) throw invalid([{ field: 'password', message: `Enter the password for this server.${again}` }]);
      return { settings, typed, credentials: { password } };
    }
    const privateKey = typed.privateKey ?? stored.privateKey;
    if (!privateKey) throw invalid([{ field: 'privateKey', message: `Paste the private key for this server.${again}` }]);
    // As saving would: the stored passphrase goes with the stored key only, never with a newly pasted one.
    const passphrase = typed.passphrase ?? (typed.privateKey === undefined ? stored.passphrase : undefined);
    return { settings, typed, credentials: { privateKey, ...(passphrase ? { passphrase } : {}) } };
  }
}
