/**
 * `restore-audited:<restoreId>`: set once a finished restore was written to the audit log (`restore.finished`, by the
 * first status read that sees it end: resolvers/restore-resolvers.ts). Housekeeping reads it too: a finished restore's
 * record is only removed once its end is audited.
 */
export const FINISHED_AUDIT_PREFIX = 'restore-audited:';
