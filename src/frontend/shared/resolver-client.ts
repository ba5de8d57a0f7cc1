import { invoke } from '@forge/bridge';
import type { FieldError } from '../../core/admin/errors';
import type { AdminResolverKey, ResolverErrorBody, ResolverResult } from '../../core/admin/resolver-contract';

/**
 * Calls a resolver and hands back its envelope. A failure of the bridge itself (network, Forge timeout) becomes an
 * envelope too, so every screen handles one shape of error.
 */
export async function callResolver<T>(key: AdminResolverKey, payload: Record<string, unknown> = {}): Promise<ResolverResult<T>> {
  try {
    const result = (await invoke(key, payload)) as ResolverResult<T> | undefined;
    if (result && typeof result === 'object' && 'ok' in result) return result;
    return failure(`The app answered ${key} in an unexpected way. Reload the page.`);
  } catch (error) {
    return failure(`Could not reach Backup Center (${(error as Error)?.message ?? String(error)}). Check your connection and try again.`);
  }
}

function failure(message: string): { ok: false; error: ResolverErrorBody } {
  return { ok: false, error: { code: 'internal', status: 0, message, fields: [] } };
}

/** Field errors keyed by field path, for the forms. */
export type FieldErrors = Record<string, string>;

export function fieldErrorMap(fields: FieldError[]): FieldErrors {
  return Object.fromEntries(fields.map((f) => [f.field, f.message]));
}
