/**
 * Where each kind of object lives in the repository (FORMAT.md §Layout). Content-addressed objects are fanned
 * out by the first two hex digits, like restic and borg, so no directory on an FTP server gets huge.
 */
import { FormatError } from './errors';
import { isSha256Hex } from './hashing';

export const CONFIG_PATH = 'config.json';
export const README_PATH = 'README.txt';
export const SNAPSHOTS_PREFIX = 'snapshots/';

export type ObjectKind = 'pack' | 'blob' | 'index' | 'checksums' | 'projects';

const KIND_DIR: Record<ObjectKind, string> = { pack: 'packs', blob: 'blobs', index: 'indexes', checksums: 'checksums', projects: 'projects' };
const KIND_SUFFIX: Record<ObjectKind, string> = { pack: '.jsonl.gz', blob: '', index: '.jsonl.gz', checksums: '.sha256', projects: '.jsonl.gz' };

export function objectPath(kind: ObjectKind, sha256: string): string {
  if (!isSha256Hex(sha256)) throw new FormatError('invalid', `"${sha256}" is not a lower-case SHA-256 hex digest.`);
  return `${KIND_DIR[kind]}/${sha256.slice(0, 2)}/${sha256}${KIND_SUFFIX[kind]}`;
}

export const packPath = (sha256: string): string => objectPath('pack', sha256);
export const blobPath = (sha256: string): string => objectPath('blob', sha256);
export const indexPartPath = (sha256: string): string => objectPath('index', sha256);
export const checksumPartPath = (sha256: string): string => objectPath('checksums', sha256);
export const projectListPath = (sha256: string): string => objectPath('projects', sha256);

const CONTENT_PATH = /^(packs|blobs|indexes|checksums|projects)\/([0-9a-f]{2})\/([0-9a-f]{64})(\.jsonl\.gz|\.sha256)?$/;

/** The kind and SHA-256 a content-addressed path names, or undefined for other paths. */
export function parseObjectPath(path: string | undefined): { kind: ObjectKind; sha256: string } | undefined {
  if (typeof path !== 'string') return undefined;
  const match = CONTENT_PATH.exec(path);
  if (!match || match[2] !== match[3].slice(0, 2)) return undefined;
  const kind = (Object.keys(KIND_DIR) as ObjectKind[]).find((k) => KIND_DIR[k] === match[1])!;
  if ((match[4] ?? '') !== KIND_SUFFIX[kind]) return undefined;
  return { kind, sha256: match[3] };
}

/** The SHA-256 a content-addressed path promises; throws for anything else. */
export function sha256OfPath(path: string): string {
  const parsed = parseObjectPath(path);
  if (!parsed) throw new FormatError('invalid', `"${path}" is not a content-addressed object path of this format.`, path);
  return parsed.sha256;
}

/**
 * Snapshot ids sort by time: `20261126T164045Z-<plan>`; letters, digits, `-`, `_` and `.` only, so an id is
 * safe as a file name on every backend and as part of a KVS key.
 */
const SNAPSHOT_ID = /^\d{8}T\d{6}Z(-[A-Za-z0-9._-]{1,64})?$/;

export function isSnapshotId(id: string): boolean {
  return SNAPSHOT_ID.test(id);
}

export function snapshotManifestPath(id: string): string {
  if (!isSnapshotId(id)) throw new FormatError('invalid', `"${id}" is not a snapshot id (expected e.g. 20261126T164045Z-daily).`);
  return `${SNAPSHOTS_PREFIX}${id}.json`;
}

/**
 * The id for a snapshot started at `startedAt` (epoch ms, from the Clock) by plan `planId`. Characters a file
 * name cannot safely hold are replaced by `_`; pass `suffix` to tell apart two snapshots of one plan in one second.
 */
export function snapshotIdFor(startedAt: number, planId: string, suffix?: string): string {
  if (!Number.isFinite(startedAt)) throw new FormatError('invalid', `startedAt must be epoch milliseconds, got ${startedAt}.`);
  const iso = new Date(startedAt).toISOString(); // 2026-11-26T16:40:45.123Z
  const stamp = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  const tail = [planId, suffix].filter((part) => part !== undefined && part !== '').join('-');
  const safe = tail.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 64);
  return safe ? `${stamp}-${safe}` : stamp;
}
