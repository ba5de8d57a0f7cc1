import type { AdminErrorCode, FieldError } from './errors';

/**
 * What crosses the bridge between the admin page and its resolvers. Resolvers never throw to the page: a thrown
 * error would reach the browser as a bare message and lose the field errors, so every answer is this envelope.
 */
export type ResolverResult<T> = { ok: true; data: T } | { ok: false; error: ResolverErrorBody };

export interface ResolverErrorBody {
  code: AdminErrorCode | 'internal';
  /** HTTP-style status (403 for a non-admin), for logs and tests. */
  status: number;
  message: string;
  /** For `invalid`: the message for each bad field, shown next to it. */
  fields: FieldError[];
}

/** The admin page's resolver keys. Restore keys are added by the restore work (src/entry/resolvers/restore-resolvers.ts). */
export const ADMIN_RESOLVER_KEYS = [
  'getControlPanel',
  'getConfiguration',
  'listProjects',
  'savePlan',
  'deletePlan',
  'saveStorage',
  'testConnection',
  'backupNow',
  'deleteBackup',
  'getDownload',
  'getAuditLog',
] as const;

export type AdminResolverKey = (typeof ADMIN_RESOLVER_KEYS)[number];
