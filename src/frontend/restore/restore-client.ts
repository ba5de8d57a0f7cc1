import type { AdminResolverKey, ResolverResult } from '../../core/admin/resolver-contract';
import { callResolver } from '../shared/resolver-client';

/** The Restore tab's resolver keys (src/entry/resolvers/restore-resolvers.ts). */
export type RestoreResolverKey =
  | 'restoreListSnapshots'
  | 'restoreListProjects'
  | 'restoreFindIssues'
  | 'restoreShowIssue'
  | 'restoreDiffProject'
  | 'restoreDiffStatus'
  | 'restorePreview'
  | 'restorePreviewStatus'
  | 'restoreStart'
  | 'restoreStatus';

/**
 * Calls a restore resolver through the shared client (same envelope, same bridge-failure handling). The shared client
 * is typed with the admin keys only; restore keys are served by the same resolver function, so the cast is safe.
 */
export function callRestore<T>(key: RestoreResolverKey, payload: Record<string, unknown> = {}): Promise<ResolverResult<T>> {
  return callResolver<T>(key as unknown as AdminResolverKey, payload);
}
