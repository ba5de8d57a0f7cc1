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

export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/**
 * Text of bytes whose SHA-256 has already been checked (every caller verifies first), so they are exactly what
 * the writer encoded; Buffer's decoder is several times faster than a validating TextDecoder.
 */
export function fromUtf8(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

/** JSON Lines: one value per line, each line ends with "\n" (so `cat`-ing parts together stays valid). */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}
