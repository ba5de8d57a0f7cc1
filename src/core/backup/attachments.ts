import type { BackupStore, JiraClient } from '../../ports';
import { AttachmentWriter, attachmentChunkBytes } from '../format/attachments';
import { isStoredAttachment, readRecords, type AttachmentMeta, type IndexEntry, type SkippedAttachmentNote, type SnapshotKind } from '../format';
import { jiraPath } from './jira-routes';
import { mapLimited } from './paging';
import type { IssueBundle } from './read-issues';

/**
 * Attachment bytes. An attachment already in the previous snapshot is reused as it is (never downloaded again:
 * attachments are immutable in Jira, an id always means the same bytes). New ones are downloaded in Range
 * chunks of the store's chunk size (Extended only), each chunk stored once by content. An attachment Jira
 * cannot serve (missing, wrong size) is skipped with the reason, recorded in the issue and the manifest.
 */

export const BASIC_SKIP_REASON = 'not included: Basic snapshots keep attachment metadata only';

export interface AttachmentOutcome {
  skipped: SkippedAttachmentNote[];
  bytesWritten: number;
  downloaded: number;
  reused: number;
}

export async function settleAttachments(
  jira: JiraClient,
  store: BackupStore,
  bundles: IssueBundle[],
  kind: SnapshotKind,
  previous: ReadonlyMap<string, IndexEntry> | undefined,
): Promise<AttachmentOutcome> {
  const outcome: AttachmentOutcome = { skipped: [], bytesWritten: 0, downloaded: 0, reused: 0 };
  const known = await previouslyStored(store, bundles, previous);
  await mapLimited(bundles, 4, async (bundle) => {
    const settled: AttachmentMeta[] = [];
    for (const meta of bundle.attachments) {
      const id = String(meta.id);
      const reused = known.get(id);
      if (reused) {
        outcome.reused++;
        settled.push(reused);
        continue;
      }
      const base = describe(meta);
      if (kind === 'basic') {
        settled.push({ ...base, skipped: BASIC_SKIP_REASON });
        continue;
      }
      const result = await download(jira, store, base);
      outcome.bytesWritten += result.bytesWritten;
      if ('skipped' in result.meta) {
        outcome.skipped.push({ issueKey: bundle.key, attachmentId: id, filename: base.filename, reason: result.meta.skipped });
      } else {
        outcome.downloaded++;
      }
      settled.push(result.meta);
    }
    bundle.attachments = settled as unknown as Record<string, unknown>[];
  });
  return outcome;
}

type BaseMeta = { id: string; filename: string; size?: number; mimeType?: string; created?: string; author?: never };

function describe(meta: Record<string, unknown>): BaseMeta {
  const base: Record<string, unknown> = { id: String(meta.id), filename: String(meta.filename ?? `attachment-${String(meta.id)}`) };
  if (typeof meta.size === 'number') base.size = meta.size;
  if (typeof meta.mimeType === 'string') base.mimeType = meta.mimeType;
  if (typeof meta.created === 'string') base.created = meta.created;
  if (meta.author !== undefined) base.author = meta.author;
  return base as BaseMeta;
}

/** Stored attachments of the previous versions of these issues (only issues whose index entry lists chunks). */
async function previouslyStored(
  store: BackupStore,
  bundles: IssueBundle[],
  previous: ReadonlyMap<string, IndexEntry> | undefined,
): Promise<Map<string, AttachmentMeta>> {
  const found = new Map<string, AttachmentMeta>();
  if (!previous) return found;
  const entries = bundles
    .filter((b) => b.attachments.length > 0)
    .map((b) => previous.get(`issue/${b.id}`))
    .filter((entry): entry is IndexEntry => entry !== undefined && (entry.blobs?.length ?? 0) > 0);
  for await (const { record } of readRecords(store, entries)) {
    const attachments = (record.data.attachments ?? []) as unknown as AttachmentMeta[];
    for (const attachment of attachments) if (isStoredAttachment(attachment)) found.set(String(attachment.id), attachment);
  }
  return found;
}

async function download(jira: JiraClient, store: BackupStore, meta: BaseMeta): Promise<{ meta: AttachmentMeta; bytesWritten: number }> {
  const chunkBytes = attachmentChunkBytes(store);
  const writer = new AttachmentWriter(store);
  const declared = meta.size;
  const skip = (reason: string) => ({ meta: { ...meta, skipped: reason } as AttachmentMeta, bytesWritten: writer.bytesWritten });
  let received = 0;
  for (let offset = 0; declared === undefined || offset < declared; ) {
    const end = declared === undefined ? offset + chunkBytes - 1 : Math.min(offset + chunkBytes, declared) - 1;
    const response = await jira.request({
      method: 'GET',
      path: jiraPath('attachmentContent', { id: meta.id }),
      query: { redirect: false },
      headers: { Range: `bytes=${offset}-${end}` },
    });
    if (response.status === 404) return skip('missing: Jira no longer has this attachment (404)');
    if (response.status === 416) break; // asked past the end: the file is shorter than its metadata (checked below)
    if (response.status !== 200 && response.status !== 206) return skip(`unreadable: Jira answered ${response.status} when downloading it`);
    const bytes = await response.bytes();
    await writer.append(bytes);
    received += bytes.byteLength;
    if (response.status === 200) break; // Range ignored: that was the whole file
    if (bytes.byteLength === 0) break;
    if (declared === undefined && bytes.byteLength < chunkBytes) break;
    offset += bytes.byteLength;
  }
  if (declared !== undefined && received !== declared) {
    return skip(`corrupted: Jira sent ${received} bytes but the attachment's metadata says ${declared}`);
  }
  const stored = await writer.finish({ id: meta.id, filename: meta.filename, mimeType: meta.mimeType, created: meta.created, author: meta.author });
  return { meta: stripUndefined(stored), bytesWritten: writer.bytesWritten };
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
