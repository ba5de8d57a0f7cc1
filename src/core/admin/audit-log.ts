import type { Clock, KeyValue } from '../../ports';
import { AdminError } from './errors';

/** What happened. Restore work appends `restore.*` entries through the same log. */
export type AuditAction =
  | 'plan.created'
  | 'plan.updated'
  | 'plan.deleted'
  | 'storage.changed'
  | 'storage.tested'
  | 'backup.started'
  | 'backup.deleted'
  /** Garbage collection removed objects no snapshot referenced (count and bytes in details). */
  | 'storage.cleaned'
  /** Housekeeping removed the app's own stale records from KVS (finished jobs' working keys, old dry runs; count in details). */
  | 'storage.tidied'
  | 'restore.started'
  | 'restore.finished';

export interface AuditEntry {
  /** Epoch ms. */
  at: number;
  /** Atlassian account id of the admin, or `scheduler` / `system` for the app's own runs. */
  actor: string;
  action: AuditAction;
  /** What it happened to, in words: the plan's name, the backup file, the storage description. */
  subject: string;
  /** Small facts worth keeping (never secrets). */
  details?: Record<string, string | number | boolean>;
}

export interface AuditPage {
  entries: AuditEntry[];
  /** Pass back to read the next (older) page; absent on the last page. */
  nextCursor?: string;
}

export const AUDIT_KEY_PREFIX = 'audit:';
/** Keys sort ascending; storing (MAX − time) makes the newest entry come first without reading the whole log. */
const MAX_TIME = 9_999_999_999_999;
const MAX_PAGE = 100;

/**
 * Append-only record of every configuration change, backup, deletion and restore, with who and when.
 * One KVS key per entry (no read-modify-write), so concurrent resolvers and workers never lose each other's entries.
 */
export class AuditLog {
  constructor(
    private readonly kv: KeyValue,
    private readonly clock: Clock,
    /** A short random suffix so two entries in the same millisecond get distinct keys. */
    private readonly uniqueSuffix: () => string,
  ) {}

  async append(entry: Omit<AuditEntry, 'at'>): Promise<AuditEntry> {
    const stored: AuditEntry = { at: this.clock.now(), ...entry };
    const key = `${AUDIT_KEY_PREFIX}${String(MAX_TIME - stored.at).padStart(13, '0')}:${this.uniqueSuffix()}`;
    await this.kv.set(key, stored);
    return stored;
  }

  /** Newest first. */
  async read(options: { cursor?: string; limit?: number } = {}): Promise<AuditPage> {
    const limit = options.limit ?? 25;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
      throw new AdminError('invalid', `Audit log pages hold 1 to ${MAX_PAGE} entries (asked for ${limit}).`);
    }
    const page = await this.kv.list<AuditEntry>(AUDIT_KEY_PREFIX, { cursor: options.cursor, limit });
    return { entries: page.entries.map((e) => e.value), nextCursor: page.nextCursor };
  }
}
