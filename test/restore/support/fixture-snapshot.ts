import { createHash } from 'node:crypto';
import type { FieldDefinition, SnapshotAttachment, SnapshotIssue, SnapshotOpener, SnapshotProject, SnapshotSprint, SnapshotView } from '../../../src/core/restore/snapshot-view';

/** A snapshot held in memory, built from Jira-shaped literals (the format adapter has its own test). */
export class FixtureSnapshot implements SnapshotView {
  readonly kind = 'extended' as const;
  readonly bytes = new Map<string, Uint8Array>();

  constructor(
    readonly snapshotId: string,
    readonly takenAt: number,
    readonly projectList: SnapshotProject[],
    readonly issueList: SnapshotIssue[],
    readonly fieldList: FieldDefinition[],
    readonly sprintList: SnapshotSprint[] = [],
  ) {}

  addBytes(attachment: SnapshotAttachment, bytes: Uint8Array): SnapshotAttachment {
    this.bytes.set(attachment.id, bytes);
    return { ...attachment, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
  }

  async projects() {
    return this.projectList;
  }
  async *issues(projectKey: string) {
    for (const issue of this.issueList) if ((issue.fields.project as { key: string }).key === projectKey) yield issue;
  }
  async issue(idOrKey: string) {
    return this.issueList.find((i) => i.id === idOrKey || i.key === idOrKey);
  }
  async fields() {
    return this.fieldList;
  }
  async sprints() {
    return this.sprintList;
  }
  async attachmentBytes(attachment: SnapshotAttachment) {
    const bytes = this.bytes.get(attachment.id);
    if (!bytes) throw new Error(`no bytes for ${attachment.id}`);
    return bytes;
  }
}

export function openerFor(...views: FixtureSnapshot[]): SnapshotOpener {
  return {
    async list() {
      return views.map((v) => ({ snapshotId: v.snapshotId, takenAt: v.takenAt, kind: v.kind, projectKeys: v.projectList.map((p) => p.key) }));
    },
    async open(id) {
      const view = views.find((v) => v.snapshotId === id);
      if (!view) throw new Error(`no snapshot ${id}`);
      return view;
    },
  };
}
