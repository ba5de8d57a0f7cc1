import { useCallback, useEffect, useState } from 'react';
import type { AdminResolverKey, ResolverErrorBody } from '../../core/admin/resolver-contract';
import { callResolver } from './resolver-client';

export interface ResolverData<T> {
  data?: T;
  error?: ResolverErrorBody;
  /** True only for the first load; reloads keep showing the old data (no flicker while a backup's progress refreshes). */
  loading: boolean;
  reload: () => Promise<void>;
}

/** Loads a resolver's answer when the component mounts, and again on `reload()`. */
export function useResolverData<T>(key: AdminResolverKey, payload: Record<string, unknown> = {}): ResolverData<T> {
  const [state, setState] = useState<{ data?: T; error?: ResolverErrorBody; loading: boolean }>({ loading: true });
  const payloadText = JSON.stringify(payload);
  const reload = useCallback(async () => {
    const result = await callResolver<T>(key, JSON.parse(payloadText) as Record<string, unknown>);
    setState((previous) => (result.ok ? { data: result.data, loading: false } : { data: previous.data, error: result.error, loading: false }));
  }, [key, payloadText]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { ...state, reload };
}
