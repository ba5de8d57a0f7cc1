import type { BackupStore } from '../../ports';
import { isStoredAttachment, listSnapshots, PackReader, readAttachment, readIndex, readSnapshot } from '../format';
import type { AttachmentMeta, IndexEntry, SnapshotManifest } from '../format/types';
import type { FieldDefinition, SnapshotAttachment, SnapshotIssue, SnapshotOpener, SnapshotProject, SnapshotSprint, SnapshotView } from './snapshot-view';

/** The snapshot format (src/core/format) seen through restore's SnapshotView: every read is hash-verified there. */
export function formatSnapshotOpener(store: BackupStore): SnapshotOpener {
  return {
    async list() {
      const { manifests } = await listSnapshots(store);
      return manifests
        .filter((m) => m.state !== 'failed')
        .map((m) => ({ snapshotId: m.id, takenAt: m.startedAt, kind: m.kind, projectKeys: m.projects.filter((p) => p.state === 'complete').map((p) => p.key) }));
    },
    async open(snapshotId) {
      return new FormatSnapshotView(store, await readSnapshot(store, snapshotId));
    },
  };
}

type Obj = Record<string, unknown>;

class FormatSnapshotView implements SnapshotView {
  readonly snapshotId: string;
  readonly takenAt: number;
  readonly kind: 'basic' | 'extended';
  private readonly reader: PackReader;
  private projectIndex = new Map<string, Promise<IndexEntry[]>>();
  private globalIndex?: Promise<IndexEntry[]>;
  /** One decode per pack even when many reads arrive at once (the executor builds payloads concurrently). */
  private readonly packLoads = new Map<string, Promise<unknown>>();
  /** Attachment metadata as the format stores it, by attachment id (needed to read the chunks back). */
  private readonly attachmentMeta = new Map<string, AttachmentMeta>();

  constructor(
    private readonly store: BackupStore,
    private readonly manifest: SnapshotManifest,
  ) {
    this.snapshotId = manifest.id;
    this.takenAt = manifest.startedAt;
    this.kind = manifest.kind;
    this.reader = new PackReader(store);
  }

  private entriesOf(projectKey: string): Promise<IndexEntry[]> {
    let entries = this.projectIndex.get(projectKey);
    if (!entries) {
      entries = readIndex(this.store, this.manifest, { project: projectKey });
      this.projectIndex.set(projectKey, entries);
    }
    return entries;
  }

  private globals(): Promise<IndexEntry[]> {
    this.globalIndex ??= readIndex(this.store, this.manifest, 'global');
    return this.globalIndex;
  }

  private async read(entry: IndexEntry) {
    let load = this.packLoads.get(entry.pack);
    if (!load) {
      // Only while loading: afterwards the reader's bounded cache holds the lines (this map must not pin them).
      load = this.reader.packLines(entry.pack).finally(() => this.packLoads.delete(entry.pack));
      this.packLoads.set(entry.pack, load);
    }
    await load;
    return this.reader.read(entry);
  }

  async projects(): Promise<SnapshotProject[]> {
    const projects: SnapshotProject[] = [];
    for (const project of this.manifest.projects) {
      const entry = (await this.entriesOf(project.key)).find((e) => e.type === 'project');
      if (!entry) {
        projects.push({ id: project.id, key: project.key, name: project.name, issueTypes: [], components: [], versions: [] });
        continue;
      }
      projects.push(toProject((await this.read(entry)).data as Obj));
    }
    return projects;
  }

  async *issues(projectKey: string): AsyncIterable<SnapshotIssue> {
    if (!this.manifest.projects.some((p) => p.key === projectKey)) return;
    const entries = (await this.entriesOf(projectKey)).filter((e) => e.type === 'issue');
    entries.sort((a, b) => Number(a.id) - Number(b.id));
    for (const entry of entries) yield this.toIssue((await this.read(entry)).data as Obj);
  }

  async issue(idOrKey: string): Promise<SnapshotIssue | undefined> {
    const projectKey = /^[A-Z][A-Z0-9_]*-\d+$/.test(idOrKey) ? idOrKey.split('-')[0] : undefined;
    const keys = projectKey && this.manifest.projects.some((p) => p.key === projectKey) ? [projectKey] : this.manifest.projects.map((p) => p.key);
    for (const key of keys) {
      const entry = (await this.entriesOf(key)).find((e) => e.type === 'issue' && (e.id === idOrKey || e.key === idOrKey));
      if (entry) return this.toIssue((await this.read(entry)).data as Obj);
    }
    return undefined;
  }

  async fields(): Promise<FieldDefinition[]> {
    return this.globalRecords<FieldDefinition>('field');
  }

  async sprints(): Promise<SnapshotSprint[]> {
    return this.globalRecords<SnapshotSprint>('sprint');
  }

  async attachmentBytes(attachment: SnapshotAttachment): Promise<Uint8Array> {
    const meta = this.attachmentMeta.get(attachment.id);
    if (!meta || !isStoredAttachment(meta)) {
      throw new Error(`Snapshot ${this.snapshotId} holds no bytes for attachment ${attachment.filename} (${attachment.id})${meta && !isStoredAttachment(meta) ? `: ${meta.skipped}` : ''}.`);
    }
    return readAttachment(this.store, meta);
  }

  private async globalRecords<T>(type: string): Promise<T[]> {
    const entries = (await this.globals()).filter((e) => e.type === type);
    const records: T[] = [];
    for (const entry of entries) records.push((await this.read(entry)).data as T);
    return records;
  }

  private toIssue(data: Obj): SnapshotIssue {
    const attachments = ((data.attachments as AttachmentMeta[] | undefined) ?? []).map((meta) => {
      this.attachmentMeta.set(String(meta.id), meta);
      return toAttachment(meta);
    });
    return {
      id: String(data.id),
      key: String(data.key),
      fields: (data.fields as Obj) ?? {},
      comments: (data.comments as SnapshotIssue['comments']) ?? [],
      worklogs: (data.worklogs as SnapshotIssue['worklogs']) ?? [],
      attachments,
      remoteLinks: (data.remoteLinks as SnapshotIssue['remoteLinks']) ?? [],
      watchers: (data.watchers as string[]) ?? [],
      voters: (data.voters as string[]) ?? [],
      properties: (data.properties as Obj) ?? {},
      changelog: (data.changelog as unknown[]) ?? [],
    };
  }
}

function toAttachment(meta: AttachmentMeta): SnapshotAttachment {
  const base = { id: String(meta.id), filename: meta.filename, mimeType: meta.mimeType, size: meta.size ?? 0, created: meta.created, author: meta.author as SnapshotAttachment['author'] };
  if (isStoredAttachment(meta)) return { ...base, sha256: meta.sha256 };
  if ('skipped' in meta) return { ...base, skippedReason: meta.skipped };
  // Jira's own metadata without bytes (the engine did not process it, e.g. a Basic snapshot).
  return { ...base, skippedReason: 'the snapshot holds no bytes for it (a Basic snapshot keeps metadata only)' };
}

function toProject(data: Obj): SnapshotProject {
  const project = (data.project as Obj) ?? {};
  const lead = project.lead as { accountId?: string } | undefined;
  return {
    id: String(project.id),
    key: String(project.key),
    name: String(project.name ?? project.key),
    projectTypeKey: project.projectTypeKey as string | undefined,
    description: project.description as string | undefined,
    leadAccountId: lead?.accountId,
    issueTypes: ((project.issueTypes as Obj[] | undefined) ?? []).map((t) => ({ id: String(t.id), name: String(t.name), subtask: t.subtask as boolean | undefined, hierarchyLevel: t.hierarchyLevel as number | undefined })),
    components: ((data.components as Obj[] | undefined) ?? []).map((c) => ({ id: String(c.id), name: String(c.name), description: c.description as string | undefined, leadAccountId: (c.lead as { accountId?: string } | undefined)?.accountId })),
    versions: ((data.versions as Obj[] | undefined) ?? []).map((v) => ({
      id: String(v.id),
      name: String(v.name),
      description: v.description as string | undefined,
      released: v.released as boolean | undefined,
      archived: v.archived as boolean | undefined,
      releaseDate: v.releaseDate as string | undefined,
      startDate: v.startDate as string | undefined,
    })),
  };
}
