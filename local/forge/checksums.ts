import { createHash, Hash } from 'node:crypto';
import * as zlib from 'node:zlib';

/** The checksum types Forge's `createUploadUrl` accepts. */
export type ChecksumType = 'SHA1' | 'SHA256' | 'CRC32' | 'CRC32C';
export const CHECKSUM_TYPES: readonly ChecksumType[] = ['SHA1', 'SHA256', 'CRC32', 'CRC32C'];

/** Incremental digest over uploaded chunks. */
export interface Digest {
  update(chunk: Uint8Array): void;
  /** The raw digest bytes (big-endian for the CRCs, as S3 encodes them). */
  bytes(): Buffer;
}

export function newDigest(type: ChecksumType): Digest {
  if (type === 'SHA1' || type === 'SHA256') {
    const hash: Hash = createHash(type === 'SHA1' ? 'sha1' : 'sha256');
    let digest: Buffer | undefined; // a Hash can be finalised once; bytes() may be asked for again
    return { update: (c) => void hash.update(c), bytes: () => (digest ??= hash.digest()) };
  }
  let crc = 0;
  const step = type === 'CRC32' ? crc32 : crc32c;
  return {
    update: (c) => void (crc = step(c, crc)),
    bytes: () => {
      const out = Buffer.alloc(4);
      out.writeUInt32BE(crc >>> 0);
      return out;
    },
  };
}

/**
 * Does `declared` name this digest? Forge stores objects in S3, whose checksums are base64 of the digest
 * bytes; lower-case hex is accepted too, because which spelling Forge wants is not documented.
 */
export function checksumMatches(declared: string, digest: Buffer): boolean {
  return declared === digest.toString('base64') || declared.toLowerCase() === digest.toString('hex');
}

function crc32(chunk: Uint8Array, previous: number): number {
  return zlib.crc32(chunk, previous);
}

let crc32cTable: Uint32Array | undefined;

/** CRC-32C (Castagnoli), which Node does not ship: the reflected table algorithm. */
function crc32c(chunk: Uint8Array, previous: number): number {
  if (!crc32cTable) {
    crc32cTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
      crc32cTable[n] = c >>> 0;
    }
  }
  let crc = ~previous >>> 0;
  for (let i = 0; i < chunk.length; i++) crc = crc32cTable[(crc ^ chunk[i]) & 0xff] ^ (crc >>> 8);
  return ~crc >>> 0;
}
