import { kvs } from '@forge/kvs';
import type { Secrets } from '../../ports';

/** The Secrets port on Forge's encrypted secret storage (kvs.setSecret / getSecret / deleteSecret). */
export function forgeSecrets(): Secrets {
  return {
    async get(key: string): Promise<string | undefined> {
      const value = await kvs.getSecret<string>(key);
      return value ?? undefined;
    },
    async set(key: string, value: string): Promise<void> {
      await kvs.setSecret(key, value);
    },
    async delete(key: string): Promise<void> {
      await kvs.deleteSecret(key);
    },
  };
}
