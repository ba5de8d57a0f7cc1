/**
 * Snapshot manifests: checking a draft before commit, sealing it with its own SHA-256, and parsing it back.
 * The manifest is pretty-printed JSON for people; its hash is over its canonical JSON without `manifestSha256`.
 */
import { canonicalJson } from './canonical-json';
import { FORMAT_NAME, FORMAT_VERSION } from './constants';
import { FormatError } from './errors';
import { fromUtf8, utf8 } from './gzip';
import { isSha256Hex, sha256Hex } from './hashing';
import { isSnapshotId, parseObjectPath } from './layout';
import { isRecordType } from './records';
import type { IndexPartRef, SnapshotDraft, StoredManifest } from './types';
import { MAX_LISTED_SKIPPED_ATTACHMENTS } from './types';

/** A one-line explanation; bounded so a manifest never carries an error dump in it. */
const MAX_MODE_REASON_LENGTH = 500;

export function validateDraft(draft: SnapshotDraft): void {
  const problem = (what: string): FormatError => new FormatError('invalid', `Snapshot ${String(draft?.id)}: ${what}`);
  if (typeof draft.id !== 'string' || !isSnapshotId(draft.id)) throw problem('the id must look like 20261126T164045Z-<plan> (see snapshotIdFor).');
  if (typeof draft.planId !== 'string' || typeof draft.planName !== 'string') throw problem('planId and planName must be strings.');
  if (draft.kind !== 'basic' && draft.kind !== 'extended') throw problem(`kind must be basic or extended, not ${String(draft.kind)}.`);
  if (!['complete', 'partial', 'failed'].includes(draft.state)) throw problem(`state must be complete, partial or failed, not ${String(draft.state)}.`);
  for (const field of ['startedAt', 'finishedAt'] as const) {
    if (!Number.isSafeInteger(draft[field])) throw problem(`${field} must be epoch milliseconds.`);
  }
  if (draft.finishedAt < draft.startedAt) throw problem('finishedAt is before startedAt.');
  if (draft.incrementalFrom !== undefined && !isSnapshotId(draft.incrementalFrom)) throw problem('incrementalFrom must be a snapshot id.');
  if (draft.modeReason !== undefined && (typeof draft.modeReason !== 'string' || draft.modeReason === '' || draft.modeReason.length > MAX_MODE_REASON_LENGTH)) {
    throw problem(`modeReason, when present, must be a text of 1 to ${MAX_MODE_REASON_LENGTH} characters.`);
  }
  for (const list of ['projects', 'globalIndexParts', 'skippedAttachments'] as const) {
    if (!Array.isArray(draft[list])) throw problem(`${list} must be an array.`);
  }
  if (!Number.isSafeInteger(draft.bytesWritten) || draft.bytesWritten < 0) throw problem('bytesWritten must be a whole number of bytes.');
  const keys = new Set<string>();
  for (const project of draft.projects) {
    if (keys.has(project.key)) throw problem(`project ${project.key} is listed twice.`);
    keys.add(project.key);
    if (project.state !== 'complete' && project.state !== 'failed') throw problem(`project ${project.key} has state ${String(project.state)}.`);
    if (project.state === 'complete' && project.error) throw problem(`project ${project.key} is complete but has an error.`);
    project.indexParts.forEach((part) => checkPartRef(part, `project ${project.key}`, problem));
  }
  draft.globalIndexParts.forEach((part) => checkPartRef(part, 'global index', problem));
  if (draft.skippedAttachments.length > MAX_LISTED_SKIPPED_ATTACHMENTS) {
    throw problem(`lists ${draft.skippedAttachments.length} skipped attachments; list at most ${MAX_LISTED_SKIPPED_ATTACHMENTS} and count the rest in skippedAttachmentCount.`);
  }
  if (draft.skippedAttachmentCount < draft.skippedAttachments.length) throw problem('skippedAttachmentCount is smaller than the list.');
  checkFailedSiteSections(draft, problem);
}

/** Optional (older manifests lack it); when present, each entry must say what failed, why, and where kept records come from. */
function checkFailedSiteSections(draft: SnapshotDraft, problem: (what: string) => FormatError): void {
  const sections = draft.failedSiteSections;
  if (sections === undefined) return;
  if (!Array.isArray(sections)) throw problem('failedSiteSections must be an array.');
  // The records of a failed section are missing or older than the snapshot: calling it complete would hide that.
  if (sections.length > 0 && draft.state === 'complete') throw problem('lists failed site sections, so its state cannot be complete (use partial).');
  const names = new Set<string>();
  for (const section of sections) {
    const name = typeof section?.name === 'string' && section.name !== '' ? section.name : undefined;
    if (!name) throw problem('a failed site section has no name.');
    if (names.has(name)) throw problem(`site section ${name} is listed as failed twice.`);
    names.add(name);
    if (typeof section.error !== 'string' || section.error === '') throw problem(`failed site section ${name} must say why it failed (error).`);
    if (!Array.isArray(section.recordTypes) || !section.recordTypes.every(isRecordType)) {
      throw problem(`failed site section ${name}: recordTypes must be a list of record types.`);
    }
    const kept = section.keptFrom;
    if (kept === undefined) continue;
    if (typeof kept.snapshotId !== 'string' || !isSnapshotId(kept.snapshotId) || kept.snapshotId === draft.id) {
      throw problem(`failed site section ${name}: keptFrom.snapshotId must be the id of another snapshot.`);
    }
    if (!Number.isSafeInteger(kept.startedAt) || kept.startedAt > draft.startedAt) {
      throw problem(`failed site section ${name}: keptFrom.startedAt must be epoch milliseconds before this snapshot started.`);
    }
    if (!Number.isSafeInteger(kept.records) || kept.records < 0) throw problem(`failed site section ${name}: keptFrom.records must be a count.`);
  }
}

function checkPartRef(part: IndexPartRef, where: string, problem: (what: string) => FormatError): void {
  const parsed = parseObjectPath(part?.path);
  if (!parsed || parsed.kind !== 'index' || parsed.sha256 !== part.sha256 || !isSha256Hex(part.sha256)) {
    throw problem(`${where} refers to "${part?.path}", which is not an index part path matching its sha256.`);
  }
  const sums = parseObjectPath(part.sums?.path);
  if (!sums || sums.kind !== 'checksums' || sums.sha256 !== part.sums.sha256) {
    throw problem(`${where}: index part ${part.path} has no valid checksum list reference (sums).`);
  }
}

/** The manifest with its self-hash filled in. */
export function sealManifest(manifest: Omit<StoredManifest, 'manifestSha256'>): StoredManifest {
  return { ...manifest, manifestSha256: sha256Hex(canonicalJson(manifest)) };
}

export function encodeManifest(manifest: StoredManifest): Uint8Array {
  return utf8(`${JSON.stringify(manifest, null, 2)}\n`);
}

/**
 * Parses and checks a manifest read from `path`; throws 'corrupt' when its self-hash does not match. Its projects may
 * still be in project list objects (withProjects reads them).
 */
export function decodeManifest(bytes: Uint8Array, path: string): StoredManifest {
  let manifest: StoredManifest;
  try {
    manifest = JSON.parse(fromUtf8(bytes)) as StoredManifest;
  } catch (error) {
    if (error instanceof FormatError) throw error;
    throw new FormatError('corrupt', `${path} is not JSON; this snapshot cannot be used. Run verify on the other snapshots.`, path);
  }
  if (manifest?.format !== FORMAT_NAME) throw new FormatError('corrupt', `${path} is not a ${FORMAT_NAME} snapshot manifest.`, path);
  if (!Number.isInteger(manifest.formatVersion) || manifest.formatVersion > FORMAT_VERSION) {
    throw new FormatError('incompatible', `${path} uses format version ${manifest.formatVersion}; this app reads up to ${FORMAT_VERSION}. Update the app.`, path);
  }
  const { manifestSha256, ...rest } = manifest;
  const actual = sha256Hex(canonicalJson(rest));
  if (actual !== manifestSha256) {
    throw new FormatError('corrupt', `${path} has been altered: its content hashes to ${actual}, but it says ${String(manifestSha256)}. Do not restore from this snapshot.`, path);
  }
  // Version 1 lists projects inline; version 2 names the objects that do. Exactly one, or readers would guess.
  const lists = manifest.projectLists;
  const validLists = Array.isArray(lists) && lists.every(isProjectListRef);
  if (Array.isArray(manifest.projects) === (lists !== undefined) || (lists !== undefined && !validLists)) {
    throw new FormatError('corrupt', `${path} must either list its projects or name valid project lists (projectLists), not both or neither.`, path);
  }
  return manifest;
}

function isProjectListRef(ref: unknown): boolean {
  const candidate = ref as { path?: string; sha256?: string; count?: number } | undefined;
  const parsed = parseObjectPath(candidate?.path);
  return parsed?.kind === 'projects' && parsed.sha256 === candidate?.sha256 && Number.isSafeInteger(candidate?.count);
}
