/**
 * Gzip with fixed settings so the same content always compresses to the same bytes: a retried step then
 * produces the same object name, and the store's idempotent put makes the retry harmless.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { FormatError } from './errors';

export function gzip(data: Uint8Array | string): Uint8Array {
  return gzipSync(data, { level: 6 });
}

export function gunzip(data: Uint8Array, path: string): Uint8Array {
  try {
    return gunzipSync(data);
  } catch (error) {
    throw new FormatError('corrupt', `${path} is not valid gzip (${(error as Error).message}); run verify on the snapshots that use it.`, path);
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

export function fromUtf8(bytes: Uint8Array, path: string): string {
  try {
    return decoder.decode(bytes);
  } catch {
    throw new FormatError('corrupt', `${path} is not valid UTF-8; run verify on the snapshots that use it.`, path);
  }
}

/** JSON Lines: one value per line, each line ends with "\n" (so `cat`-ing parts together stays valid). */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}
