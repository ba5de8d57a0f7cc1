import type { AdminResolverKey } from '../../core/admin';
import type { AdminHandler } from './admin-app';

/** One line per resolver key: which service method answers it, with which payload fields. */
export const adminHandlers: Record<AdminResolverKey, AdminHandler> = {
  getControlPanel: (app) => app.panel.view(),
  getConfiguration: (app) => app.config.view(),
  listProjects: (app) => app.config.listProjects(),
  savePlan: (app, payload, actor) => app.config.savePlan(payload.plan, actor),
  deletePlan: async (app, payload, actor) => {
    await app.config.deletePlan(payload.planId, actor);
    return { deleted: true };
  },
  saveStorage: (app, payload, actor) => app.config.saveStorage(payload.storage, actor),
  testConnection: (app, payload, actor) => app.config.testConnection(payload.storage, actor),
  backupNow: (app, payload, actor) => app.panel.backUpNow(payload.planId, actor),
  deleteBackup: async (app, payload, actor) => {
    await app.panel.deleteBackup(payload.fileId, payload.confirmed, actor);
    return { deleted: true };
  },
  getDownload: (app, payload) => app.panel.download(payload.fileId),
  getAuditLog: (app, payload) =>
    app.audit.read({
      cursor: typeof payload.cursor === 'string' ? payload.cursor : undefined,
      limit: typeof payload.limit === 'number' ? payload.limit : undefined,
    }),
};
