/**
 * Checksum lists: plain text in `sha256sum` format (`<hex>  <path>`), one line per object a snapshot references,
 * so that `cat <lists> | sha256sum -c` run in the repository folder checks a whole snapshot without the app.
 * They are content-addressed like everything else, and they are what rotation reads to learn which objects a
 * snapshot needs (cheaper than opening its index).
 */
import type { BackupStore } from '../../ports/backup-store';
import { DEFAULT_CHECKSUM_PART_TARGET_BYTES } from './constants';
import { FormatError } from './errors';
import { fromUtf8, splitLines, utf8 } from './gzip';
import { isSha256Hex } from './hashing';
import { getVerified, putContentObject } from './object-io';
import type { ChecksumPartRef } from './types';

export interface ChecksumLine {
  sha256: string;
  path: string;
}

export async function writeChecksumParts(
  store: BackupStore,
  objects: readonly ChecksumLine[],
  options: { partTargetBytes?: number } = {},
): Promise<{ parts: ChecksumPartRef[]; bytesWritten: number }> {
  const sorted = [...objects].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const target = Math.max(1, Math.min(options.partTargetBytes ?? DEFAULT_CHECKSUM_PART_TARGET_BYTES, store.properties.maxObjectBytes));
  const parts: ChecksumPartRef[] = [];
  let bytesWritten = 0;
  let text = '';
  let lines = 0;
  const flush = async (): Promise<void> => {
    if (lines === 0) return;
    const written = await putContentObject(store, 'checksums', utf8(text));
    bytesWritten += written.bytesWritten;
    parts.push({ path: written.path, sha256: written.sha256, size: written.size, lines });
    text = '';
    lines = 0;
  };
  for (const object of sorted) {
    const line = `${object.sha256}  ${object.path}\n`;
    if (lines > 0 && text.length + line.length > target) await flush();
    text += line;
    lines++;
  }
  await flush();
  return { parts, bytesWritten };
}

export async function readChecksumPart(store: BackupStore, part: ChecksumPartRef): Promise<ChecksumLine[]> {
  const text = fromUtf8(await getVerified(store, part.path, part.sha256, 'checksum list'), part.path);
  return splitLines(text).map((line, i) => {
    const match = /^([0-9a-f]{64}) {2}(\S+)$/.exec(line);
    if (!match || !isSha256Hex(match[1])) {
      throw new FormatError('corrupt', `Line ${i + 1} of ${part.path} is not "<sha256>  <path>".`, part.path);
    }
    return { sha256: match[1], path: match[2] };
  });
}

export async function readChecksumParts(store: BackupStore, parts: readonly ChecksumPartRef[]): Promise<ChecksumLine[]> {
  const all: ChecksumLine[] = [];
  for (const part of parts) for (const line of await readChecksumPart(store, part)) all.push(line);
  return all;
}
