import { useCallback, useEffect, useRef, useState } from 'react';
import type { AdminResolverKey, ResolverErrorBody } from '../../core/admin/resolver-contract';
import { callResolver } from './resolver-client';

export interface ResolverData<T> {
  data?: T;
  /** The last call's error. A failed reload keeps the data it had, so a page can say "could not refresh" under it. */
  error?: ResolverErrorBody;
  /** True only for the first load of a payload; reloads keep showing the old data (no flicker while progress refreshes). */
  loading: boolean;
  reload: () => Promise<void>;
}

/**
 * Loads a resolver's answer for `payload` when the component mounts, again whenever the payload changes, and on
 * `reload()`. A `null` payload loads nothing (the step before is not chosen yet). An answer to an older request is
 * dropped, so picking quickly never shows stale data; data for another payload is never shown for this one.
 */
export function useResolverData<T>(key: AdminResolverKey, payload: Record<string, unknown> | null = {}): ResolverData<T> {
  const payloadText = payload ? JSON.stringify(payload) : undefined;
  const [state, setState] = useState<{ data?: T; error?: ResolverErrorBody; loading: boolean }>({ loading: !!payloadText });
  const latest = useRef(0);
  const reload = useCallback(async () => {
    if (!payloadText) return;
    const request = ++latest.current;
    const result = await callResolver<T>(key, JSON.parse(payloadText) as Record<string, unknown>);
    if (request !== latest.current) return;
    setState((previous) => (result.ok ? { data: result.data, loading: false } : { data: previous.data, error: result.error, loading: false }));
  }, [key, payloadText]);
  useEffect(() => {
    // A new payload starts from nothing: the previous payload's data is not this one's.
    setState({ loading: !!payloadText });
    void reload();
  }, [reload, payloadText]);
  return { ...state, reload };
}
