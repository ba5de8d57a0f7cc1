/**
 * Attachment content that is never stored: byte i of a generated attachment is a pure function of
 * (content seed, i), so any range can be produced on demand and a 30 MB file costs no memory until read.
 * Text-like files get printable ASCII lines; everything else gets noise (incompressible, like real media).
 */
import { mix32 } from '../random';
import type { SimAttachment } from '../model';

function isText(mimeType: string): boolean {
  return mimeType.startsWith('text/') || mimeType === 'application/json';
}

/** Bytes [start, end) of the attachment's content (end exclusive, clamped to the size). */
export function attachmentBytes(attachment: SimAttachment, start = 0, end = attachment.size): Uint8Array {
  if (attachment.bytes) return attachment.bytes.subarray(start, end);
  const from = Math.max(0, start);
  const to = Math.min(attachment.size, end);
  const out = new Uint8Array(Math.max(0, to - from));
  const text = isText(attachment.mimeType);
  const seed = attachment.contentSeed;
  let wordIndex = -1;
  let word = 0;
  for (let i = from; i < to; i++) {
    const w = i >>> 2;
    if (w !== wordIndex) {
      wordIndex = w;
      word = mix32(seed, w);
    }
    const b = (word >>> ((i & 3) * 8)) & 0xff;
    out[i - from] = text ? (i % 64 === 63 ? 0x0a : 0x20 + (b % 95)) : b;
  }
  return out;
}
