import type { KeyValue, Secrets } from '../../ports';
import type { BackupPlan, StorageSettings } from '../plans/plan';

/**
 * Where configuration lives in KVS and secret storage. Shared with the scheduler and the engine (they read plans and
 * storage through this class), so the key layout is written down once.
 */
export const PLAN_KEY_PREFIX = 'config:plan:';
export const STORAGE_SETTINGS_KEY = 'config:storage';
/** Secret storage keys for the remote server's credentials (never in KVS, never sent to the browser). */
export const STORAGE_PASSWORD_SECRET = 'storage:password';
export const STORAGE_PRIVATE_KEY_SECRET = 'storage:private-key';
/** The private key's passphrase: belongs to the stored key, so it goes whenever the key is replaced or removed. */
export const STORAGE_KEY_PASSPHRASE_SECRET = 'storage:key-passphrase';

export class ConfigurationStore {
  constructor(
    private readonly kv: KeyValue,
    private readonly secrets: Secrets,
  ) {}

  async plans(): Promise<BackupPlan[]> {
    const plans: BackupPlan[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.kv.list<BackupPlan>(PLAN_KEY_PREFIX, { cursor, limit: 100 });
      plans.push(...page.entries.map((e) => e.value));
      cursor = page.nextCursor;
    } while (cursor);
    return plans.sort((a, b) => a.name.localeCompare(b.name));
  }

  plan(id: string): Promise<BackupPlan | undefined> {
    return this.kv.get<BackupPlan>(PLAN_KEY_PREFIX + id);
  }

  savePlan(plan: BackupPlan): Promise<void> {
    return this.kv.set(PLAN_KEY_PREFIX + plan.id, plan);
  }

  deletePlan(id: string): Promise<void> {
    return this.kv.delete(PLAN_KEY_PREFIX + id);
  }

  /** Undefined until an admin saves storage settings (the page then offers managed storage as the default). */
  storage(): Promise<StorageSettings | undefined> {
    return this.kv.get<StorageSettings>(STORAGE_SETTINGS_KEY);
  }

  saveStorage(settings: StorageSettings): Promise<void> {
    return this.kv.set(STORAGE_SETTINGS_KEY, settings);
  }

  async secretsSet(): Promise<{ passwordSet: boolean; privateKeySet: boolean; passphraseSet: boolean }> {
    const { password, privateKey, passphrase } = await this.credentials();
    return { passwordSet: !!password, privateKeySet: !!privateKey, passphraseSet: !!passphrase };
  }

  /** Credentials for the storage adapter (server side only). */
  async credentials(): Promise<{ password?: string; privateKey?: string; passphrase?: string }> {
    const [password, privateKey, passphrase] = await Promise.all([
      this.secrets.get(STORAGE_PASSWORD_SECRET),
      this.secrets.get(STORAGE_PRIVATE_KEY_SECRET),
      this.secrets.get(STORAGE_KEY_PASSPHRASE_SECRET),
    ]);
    return { password, privateKey, passphrase };
  }
}
