/** SHA-256 helpers shared by the storage adapters (Node's crypto; available in the Forge runtime). */
import { createHash } from 'node:crypto';

export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The Object Store takes checksums base64-encoded. */
export function hexToBase64(hex: string): string {
  return Buffer.from(hex, 'hex').toString('base64');
}
