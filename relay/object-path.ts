/**
 * The relay's own check of object paths: it is the last line before a server file system, so it
 * refuses anything that could leave the configured folder, whatever the app sent. The rule matches
 * the app's (src/adapters/storage/object-path.ts): relative, '/'-separated, [A-Za-z0-9_.-], no
 * segment starting with '.', which is what keeps temporaries (".<name>.tmp-<random>") out of reach.
 */
import { posix } from 'node:path';
import { RelayError } from './relay-error';

const SEGMENT = /^[A-Za-z0-9_\-][A-Za-z0-9_.\-]*$/;

export function checkObjectPath(path: unknown, field = 'path'): string {
  if (typeof path !== 'string' || path.length === 0 || path.length > 400 || !path.split('/').every((s) => SEGMENT.test(s))) {
    throw new RelayError('invalid', `The ${field} "${String(path).slice(0, 100)}" is not a relative object path of [A-Za-z0-9_.-] segments.`, false);
  }
  return path;
}

export function checkPrefix(prefix: unknown): string {
  if (typeof prefix !== 'string' || prefix.startsWith('/') || prefix.length > 400 || prefix.split('/').some((s) => s === '.' || s === '..' || /[^A-Za-z0-9_.\-]/.test(s))) {
    throw new RelayError('invalid', `The prefix "${String(prefix).slice(0, 100)}" must be relative and contain only [A-Za-z0-9_.-] and "/".`, false);
  }
  return prefix;
}

/** Absolute server path of an object under the repository root. */
export function serverPath(root: string, objectPath: string): string {
  return posix.join(root, objectPath);
}

export const TEMPORARY_NAME = /^\..+\.tmp-[A-Za-z0-9]+$/;

export function temporaryNameFor(name: string, random: string): string {
  return `.${name}.tmp-${random}`;
}
