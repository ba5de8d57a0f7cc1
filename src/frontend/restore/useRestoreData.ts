import { useCallback, useEffect, useRef, useState } from 'react';
import type { ResolverErrorBody } from '../../core/admin/resolver-contract';
import { callRestore, type RestoreResolverKey } from './restore-client';

export interface RestoreData<T> {
  data?: T;
  error?: ResolverErrorBody;
  loading: boolean;
  reload: () => Promise<void>;
}

/**
 * Loads a restore resolver's answer for `payload`, again whenever the payload changes; nothing while it is undefined
 * (the step before is not chosen yet). An answer to an older payload is dropped, so picking quickly never shows stale data.
 */
export function useRestoreData<T>(key: RestoreResolverKey, payload: Record<string, unknown> | undefined): RestoreData<T> {
  const payloadText = payload ? JSON.stringify(payload) : undefined;
  const [state, setState] = useState<{ data?: T; error?: ResolverErrorBody; loading: boolean }>({ loading: !!payloadText });
  const latest = useRef(0);
  const reload = useCallback(async () => {
    if (!payloadText) return;
    const request = ++latest.current;
    const result = await callRestore<T>(key, JSON.parse(payloadText) as Record<string, unknown>);
    if (request !== latest.current) return;
    setState(result.ok ? { data: result.data, loading: false } : { error: result.error, loading: false });
  }, [key, payloadText]);
  useEffect(() => {
    setState({ loading: !!payloadText });
    void reload();
  }, [reload, payloadText]);
  return { ...state, reload };
}
