/**
 * A snapshot's projects live outside its manifest, in content-addressed gzip'd JSON Lines objects
 * (`projects/<aa>/<sha256>.jsonl.gz`, one project per line) that the manifest names in `projectLists`. Inline, a site
 * with 6,000+ projects made the manifest exceed 4 MiB, the largest object the relay (FTP/SFTP) store accepts, and
 * every control-panel, rotation and restore path parsed that multi-MB JSON. Lists are written before the manifest,
 * so the manifest stays the commit point. Manifests written before (formatVersion 1) keep `projects` inline.
 */
import type { BackupStore } from '../../ports/backup-store';
import { canonicalJson } from './canonical-json';
import { FormatError } from './errors';
import { fromUtf8, gunzip, gzip, splitLines } from './gzip';
import { decodeManifest } from './manifest';
import { getExisting, getVerified, putContentObject } from './object-io';
import type { ProjectListRef, ProjectSnapshot, SnapshotManifest, StoredManifest } from './types';

/**
 * Uncompressed bytes per list object (~1,500 projects of ~675 bytes). Small enough that a reader holds one at a
 * time cheaply and far under any store's limit; halved stores (tests) get at most half their limit, and gzip never
 * doubles JSON, so a list always fits.
 */
export const PROJECT_LIST_TARGET_BYTES = 1024 * 1024;

export interface WrittenProjectLists {
  refs: ProjectListRef[];
  bytesWritten: number;
}

/** Writes the projects, in order, as list objects. Same projects → same bytes → same names (a retried commit rewrites nothing new). */
export async function writeProjectLists(store: BackupStore, projects: readonly ProjectSnapshot[]): Promise<WrittenProjectLists> {
  const target = Math.max(1, Math.min(PROJECT_LIST_TARGET_BYTES, Math.floor(store.properties.maxObjectBytes / 2)));
  const result: WrittenProjectLists = { refs: [], bytesWritten: 0 };
  let lines: string[] = [];
  let bytes = 0;
  const flush = async (): Promise<void> => {
    if (lines.length === 0) return;
    // Unchanged projects give the list the previous snapshot already stored: a stat instead of an upload.
    const written = await putContentObject(store, 'projects', gzip(lines.join('')), { skipIfPresent: true });
    result.refs.push({ path: written.path, sha256: written.sha256, size: written.size, count: lines.length });
    result.bytesWritten += written.bytesWritten;
    lines = [];
    bytes = 0;
  };
  for (const project of projects) {
    const line = `${canonicalJson(project)}\n`;
    if (bytes > 0 && bytes + line.length > target) await flush();
    lines.push(line);
    bytes += line.length;
  }
  await flush();
  return result;
}

/** The projects the lists hold, in order; every list is checked against its SHA-256 and its count. */
export async function readProjectLists(store: BackupStore, refs: readonly ProjectListRef[], snapshotId: string): Promise<ProjectSnapshot[]> {
  const projects: ProjectSnapshot[] = [];
  for (const ref of refs) {
    const context = `project list of snapshot ${snapshotId}`;
    const lines = splitLines(fromUtf8(gunzip(await getVerified(store, ref.path, ref.sha256, context), ref.path)));
    if (lines.length !== ref.count) {
      throw new FormatError('corrupt', `${ref.path} (${context}) holds ${lines.length} projects, but the manifest says ${ref.count}.`, ref.path);
    }
    for (const [i, line] of lines.entries()) {
      const project = parseProject(line);
      if (!project) throw new FormatError('corrupt', `Line ${i + 1} of ${ref.path} (${context}) is not a project.`, ref.path);
      projects.push(project);
    }
  }
  return projects;
}

function parseProject(line: string): ProjectSnapshot | undefined {
  try {
    const value = JSON.parse(line) as ProjectSnapshot;
    return typeof value?.key === 'string' && Array.isArray(value.indexParts) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** A stored manifest with its projects in `projects`, wherever they were stored: what every reader gets. */
export async function withProjects(store: BackupStore, stored: StoredManifest): Promise<SnapshotManifest> {
  if (stored.projectLists === undefined) return stored as SnapshotManifest;
  return { ...stored, projects: await readProjectLists(store, stored.projectLists, stored.id) };
}

/** Reads, checks and completes the manifest at `path`. */
export async function readManifestFile(store: BackupStore, path: string, context?: string): Promise<SnapshotManifest> {
  return withProjects(store, decodeManifest(await getExisting(store, path, context), path));
}
