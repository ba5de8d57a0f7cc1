import type { AdminHandler } from './admin-app';

/**
 * THE PLACE FOR RESTORE RESOLVERS (the restore work fills this in): e.g. `listSnapshots`, `previewRestore`,
 * `startRestore`, `getRestoreStatus`. Every handler here gets the same administrator check, 25-second deadline
 * and error envelope as the admin page's own resolvers, and should append `restore.started` to the audit log.
 */
export const restoreHandlers: Record<string, AdminHandler> = {};
