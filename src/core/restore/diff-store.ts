import type { KeyValue } from '../../ports';
import type { ProjectDiff } from './browse';
import { loadChunks, saveChunks } from './chunked-list';

/**
 * A project diff as the page reads it, kept in KVS until the page asks for it. The changed fields keep their names
 * only: their values (whole descriptions, on thousands of issues) are not shown, and without them a large diff stays
 * well inside KVS's and the resolver answer's limits.
 */
export interface StoredProjectDiff extends Omit<ProjectDiff, 'changedIssues'> {
  changedIssues: { key: string; id: string; summary: string; fields: { id: string; name: string }[] }[];
}

const LISTS = ['deletedIssues', 'changedIssues', 'deletedComments', 'deletedAttachments'] as const;
type ListName = (typeof LISTS)[number];
type DiffHeader = Pick<StoredProjectDiff, 'snapshotId' | 'projectKey' | 'newIssueCount'> & { chunks: Record<ListName, number> };

const headerKey = (diffId: string) => `restore-diff:${diffId}`;
const listPrefix = (diffId: string, list: ListName) => `restore-diff:${diffId}:${list}`;

export function storedDiffOf(diff: ProjectDiff): StoredProjectDiff {
  return {
    ...diff,
    changedIssues: diff.changedIssues.map((issue) => ({ key: issue.key, id: issue.id, summary: issue.summary, fields: issue.fields.map((f) => ({ id: f.id, name: f.name })) })),
  };
}

export async function saveDiff(kv: KeyValue, diffId: string, diff: StoredProjectDiff): Promise<void> {
  const chunks = {} as Record<ListName, number>;
  for (const list of LISTS) {
    chunks[list] = await saveChunks<unknown>(kv, listPrefix(diffId, list), diff[list], (_item, bytes) => `One entry of the diff's ${list} is too large to store (${bytes} bytes).`);
  }
  // The header goes last: a diff is visible only once all of it is stored.
  await kv.set<DiffHeader>(headerKey(diffId), { snapshotId: diff.snapshotId, projectKey: diff.projectKey, newIssueCount: diff.newIssueCount, chunks });
}

export async function loadDiff(kv: KeyValue, diffId: string): Promise<StoredProjectDiff | undefined> {
  const header = await kv.get<DiffHeader>(headerKey(diffId));
  if (!header) return undefined;
  const lists = {} as Record<ListName, unknown[]>;
  for (const list of LISTS) {
    const items = await loadChunks<unknown>(kv, listPrefix(diffId, list), header.chunks[list]);
    if (!items) throw new Error(`The comparison ${diffId} is incomplete in storage; compare again.`);
    lists[list] = items;
  }
  return { snapshotId: header.snapshotId, projectKey: header.projectKey, newIssueCount: header.newIssueCount, ...(lists as Pick<StoredProjectDiff, ListName>) };
}

/** A stored diff's keys, for housekeeping (src/core/housekeeping): its header, and the prefix of all its lists' chunks. */
export const diffKeys = { header: headerKey, chunkPrefix: (diffId: string) => `${headerKey(diffId)}:` };
