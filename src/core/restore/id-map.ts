import type { KeyValue } from '../../ports';

/**
 * The old-id → new-id map that makes restore idempotent: written right after each create, read before each create.
 * Scoped by target project, so restoring the same snapshot into two different new projects yields two copies on purpose.
 * Keys use only KVS-safe characters (`restore-map:PROJ:comment:10001`).
 */
export type MappedKind = 'issue' | 'comment' | 'worklog' | 'attachment' | 'link' | 'remotelink' | 'watcher' | 'property' | 'sprint' | 'status';

export interface MappedEntity {
  targetId: string;
  targetKey?: string;
  /** The restore job that created it (for the report and for support). */
  jobId: string;
}

const globalIssueKey = (sourceId: string) => `restore-map-any:issue:${sourceId.replace(/[^a-zA-Z0-9:._\s#-]/g, '_')}`;

/** Where any restore (into any project) last re-created a snapshot issue. */
export function restoredAnywhere(kv: KeyValue, sourceId: string): Promise<(MappedEntity & { projectKey: string }) | undefined> {
  return kv.get(globalIssueKey(sourceId));
}

export class IdMap {
  constructor(
    private readonly kv: KeyValue,
    private readonly targetProjectKey: string,
    /** Called after every mapping write (the executor counts them as progress). */
    private readonly onSet?: () => void,
  ) {}

  private key(kind: MappedKind, sourceId: string): string {
    return `restore-map:${this.targetProjectKey}:${kind}:${sourceId.replace(/[^a-zA-Z0-9:._\s#-]/g, '_')}`;
  }

  get(kind: MappedKind, sourceId: string): Promise<MappedEntity | undefined> {
    return this.kv.get<MappedEntity>(this.key(kind, sourceId));
  }

  async set(kind: MappedKind, sourceId: string, entity: MappedEntity): Promise<void> {
    await this.kv.set(this.key(kind, sourceId), entity);
    // Issues are also indexed site-wide, so a later restore of another project links to them (cross-project links).
    if (kind === 'issue') await this.kv.set(globalIssueKey(sourceId), { ...entity, projectKey: this.targetProjectKey });
    this.onSet?.();
  }

  delete(kind: MappedKind, sourceId: string): Promise<void> {
    return this.kv.delete(this.key(kind, sourceId));
  }
}
