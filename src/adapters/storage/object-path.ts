/**
 * The one rule every backend applies to object paths, so a path that works on memory also works on
 * an FTP server, an SFTP server and the Object Store: relative, '/'-separated, no empty, '.' or '..'
 * segments, no segment starting with '.' (upload temporaries are dot-names), only [A-Za-z0-9_.-] in names.
 */
import { StoreError } from '../../ports/backup-store';

// The intersection of what FTP/SFTP servers on every OS, the Object Store and KVS keys accept ('/' maps to '#' in KVS).
const SEGMENT = /^[A-Za-z0-9_\-][A-Za-z0-9_.\-]*$/;
export const MAX_PATH_LENGTH = 400;

/** Throws StoreError('invalid') unless `path` is a safe object path; returns it unchanged. */
export function checkObjectPath(path: string): string {
  if (typeof path !== 'string' || path.length === 0) {
    throw new StoreError('invalid', 'Object path is empty: pass a relative path such as "data/ab/ab12.jsonl.gz".');
  }
  if (path.length > MAX_PATH_LENGTH) {
    throw new StoreError('invalid', `Object path is ${path.length} characters; the limit is ${MAX_PATH_LENGTH}.`);
  }
  for (const segment of path.split('/')) {
    // A leading dot is refused because temporaries are named ".<name>.tmp-<random>" and hidden from list().
    if (!SEGMENT.test(segment)) {
      throw new StoreError(
        'invalid',
        `Object path "${path}" has an unusable segment "${segment}": use letters, digits and _ - . ` +
          'separated by single "/", not starting with "." or "/".',
      );
    }
  }
  return path;
}

/** Throws StoreError('invalid') unless `prefix` is '' or a path prefix without '..' or a leading '/'. */
export function checkListPrefix(prefix: string): string {
  if (typeof prefix !== 'string') throw new StoreError('invalid', 'List prefix must be a string ("" lists everything).');
  if (prefix.startsWith('/') || prefix.split('/').some((s) => s === '..' || s === '.')) {
    throw new StoreError('invalid', `List prefix "${prefix}" must be relative and must not contain "." or ".." segments.`);
  }
  return prefix;
}

/** True for the names atomic uploads use while a file is in flight (".<name>.tmp-<random>"). */
export function isTemporaryName(name: string): boolean {
  return /^\..+\.tmp-[A-Za-z0-9]+$/.test(name);
}

/** Lower-case 64-hex SHA-256, or StoreError('invalid'). */
export function checkSha256Hex(sha256: string): string {
  if (typeof sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(sha256)) {
    throw new StoreError('invalid', `Checksum "${String(sha256).slice(0, 80)}" is not a lower-case hex SHA-256 (64 characters).`);
  }
  return sha256;
}
