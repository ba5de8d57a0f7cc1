import type { AdminResolverKey } from '../../core/admin/resolver-contract';
import { useResolverData, type ResolverData } from '../shared/useResolverData';
import type { RestoreResolverKey } from './restore-client';

export type RestoreData<T> = ResolverData<T>;

/**
 * useResolverData for the restore keys. They are served by the same resolver function as the admin keys, so the
 * cast is safe (as in restore-client.ts); only the key's type differs.
 */
export function useRestoreData<T>(key: RestoreResolverKey, payload: Record<string, unknown> | null): RestoreData<T> {
  return useResolverData<T>(key as unknown as AdminResolverKey, payload);
}
