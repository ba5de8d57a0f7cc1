/**
 * Records: validation, their canonical line and its hash, and the attachment chunks a record references.
 */
import { canonicalJson } from './canonical-json';
import { FormatError } from './errors';
import { sha256Hex, isSha256Hex } from './hashing';
import type { BlobRef, SnapshotRecord } from './types';

const RECORD_TYPE = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;

export function isRecordType(type: unknown): type is string {
  return typeof type === 'string' && RECORD_TYPE.test(type);
}

/** `type/id`: how a record is identified across snapshots (ids are unique per type). */
export function recordKey(record: { type: string; id: string }): string {
  return `${record.type}/${record.id}`;
}

export interface EncodedRecord {
  record: SnapshotRecord;
  /** The canonical JSON line, without the newline. */
  line: string;
  /** SHA-256 of `line` in UTF-8. */
  sha256: string;
}

export function encodeRecord(record: SnapshotRecord): EncodedRecord {
  validateRecord(record);
  const canonical: SnapshotRecord = { type: record.type, id: record.id, data: record.data };
  if (record.key !== undefined) canonical.key = record.key;
  if (record.project !== undefined) canonical.project = record.project;
  if (record.updated !== undefined) canonical.updated = record.updated;
  const line = canonicalJson(canonical);
  return { record: canonical, line, sha256: sha256Hex(line) };
}

function validateRecord(record: SnapshotRecord): void {
  const name = `record ${JSON.stringify(record?.type)}/${JSON.stringify(record?.id)}`;
  if (typeof record !== 'object' || record === null) throw new FormatError('invalid', 'A record must be an object {type, id, data}.');
  if (typeof record.type !== 'string' || !RECORD_TYPE.test(record.type)) {
    throw new FormatError('invalid', `${name}: type must match ${RECORD_TYPE} (e.g. "issue").`);
  }
  if (typeof record.id !== 'string' || record.id === '') throw new FormatError('invalid', `${name}: id must be a non-empty string.`);
  for (const optional of ['key', 'project', 'updated'] as const) {
    if (record[optional] !== undefined && typeof record[optional] !== 'string') {
      throw new FormatError('invalid', `${name}: ${optional} must be a string when present.`);
    }
  }
  if (typeof record.data !== 'object' || record.data === null || Array.isArray(record.data)) {
    throw new FormatError('invalid', `${name}: data must be a JSON object.`);
  }
}

/**
 * The attachment chunks a record references: every `data.attachments[].chunks[]` entry. They are copied into
 * the index entry so that rotation and verify learn them without opening packs.
 */
export function blobRefsOf(record: SnapshotRecord): BlobRef[] {
  const attachments = record.data.attachments;
  if (!Array.isArray(attachments)) return [];
  const refs: BlobRef[] = [];
  for (const attachment of attachments) {
    if (typeof attachment !== 'object' || attachment === null || Array.isArray(attachment)) continue;
    const chunks = attachment.chunks;
    if (!Array.isArray(chunks)) continue;
    for (const chunk of chunks) {
      const ref = chunk as unknown as BlobRef;
      if (typeof ref !== 'object' || ref === null || !isSha256Hex(ref.sha256) || !Number.isSafeInteger(ref.size) || ref.size < 0) {
        throw new FormatError('invalid', `record ${recordKey(record)}: attachment ${String(attachment.id)} has a chunk that is not {sha256, size}.`);
      }
      refs.push({ sha256: ref.sha256, size: ref.size });
    }
  }
  return refs;
}
