/**
 * Checksum lists: plain text in `sha256sum` format (`<hex>  <path>`), one per index part, naming every pack and
 * attachment chunk that part's entries use. `cat` them (plus the index parts named in the manifest) into
 * `sha256sum -c` in the repository folder and a whole snapshot is checked without the app. Rotation reads them
 * to learn what a snapshot needs without opening packs.
 */
import type { BackupStore } from '../../ports/backup-store';
import { FormatError } from './errors';
import { fromUtf8, splitLines } from './gzip';
import { getVerified } from './object-io';
import type { ObjectRef } from './types';

export interface ChecksumLine {
  sha256: string;
  path: string;
}

export function checksumLine(object: ChecksumLine): string {
  return `${object.sha256}  ${object.path}\n`;
}

/** The list's text: one line per object, sorted by path, no duplicates. */
export function checksumListText(objects: Iterable<ChecksumLine>): string {
  const byPath = new Map<string, ChecksumLine>();
  for (const object of objects) byPath.set(object.path, object);
  return [...byPath.keys()].sort().map((path) => checksumLine(byPath.get(path)!)).join('');
}

export async function readChecksumList(store: BackupStore, list: ObjectRef): Promise<ChecksumLine[]> {
  const text = fromUtf8(await getVerified(store, list.path, list.sha256, 'checksum list'));
  return splitLines(text).map((line, i) => {
    const match = /^([0-9a-f]{64}) {2}(\S+)$/.exec(line);
    if (!match) throw new FormatError('corrupt', `Line ${i + 1} of ${list.path} is not "<sha256>  <path>".`, list.path);
    return { sha256: match[1], path: match[2] };
  });
}
