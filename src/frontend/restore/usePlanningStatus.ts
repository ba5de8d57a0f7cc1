import { useEffect } from 'react';
import type { RestoreResolverKey } from './restore-client';
import type { PlanningStatusView } from './restore-types';
import { useRestoreData, type RestoreData } from './useRestoreData';

/**
 * Follows a queued dry run or comparison: asks `key` for its status every `pollIntervalMs` until it is done or has
 * failed. A failed poll keeps the last status and asks again (the planning goes on in the worker regardless).
 * With `pollIntervalMs` ≤ 0 it asks once; `reload()` asks again (the page offers a "Refresh" button then).
 */
export function usePlanningStatus<T extends PlanningStatusView>(key: RestoreResolverKey, payload: Record<string, unknown> | null, pollIntervalMs: number): RestoreData<T> & { finished: boolean } {
  const status = useRestoreData<T>(key, payload);
  const finished = status.data?.state === 'done' || status.data?.state === 'failed';
  useEffect(() => {
    if (!payload || finished || pollIntervalMs <= 0 || status.loading) return undefined;
    const timer = setTimeout(() => void status.reload(), pollIntervalMs);
    return () => clearTimeout(timer);
  }, [payload === null, finished, pollIntervalMs, status.data, status.error, status.loading, status.reload]);
  return { ...status, finished };
}
