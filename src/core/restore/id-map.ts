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
    this.onSet?.();
  }

  delete(kind: MappedKind, sourceId: string): Promise<void> {
    return this.kv.delete(this.key(kind, sourceId));
  }
}
