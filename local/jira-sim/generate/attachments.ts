/**
 * Spreads the attachment byte budget over issues: one big file (tens of MB) when the budget allows, the rest
 * small to medium, with hostile file names. Only metadata is stored; bytes come from attachment-bytes.ts.
 */
import { Rng, Salt, mix32 } from '../random';
import type { SimAttachment, SimIssue } from '../model';
import { HOSTILE_FILENAMES } from './hostile';

const MIB = 1024 * 1024;
const KINDS: Array<{ ext: string; mimeType: string }> = [
  { ext: 'txt', mimeType: 'text/plain' },
  { ext: 'png', mimeType: 'image/png' },
  { ext: 'pdf', mimeType: 'application/pdf' },
  { ext: 'json', mimeType: 'application/json' },
  { ext: 'zip', mimeType: 'application/zip' },
];

function mimeFor(filename: string): string {
  const ext = filename.includes('.') ? filename.slice(filename.lastIndexOf('.') + 1).toLowerCase() : '';
  return KINDS.find((k) => k.ext === ext)?.mimeType ?? 'application/octet-stream';
}

export function generateAttachments(seed: number, attachmentsMb: number, issues: SimIssue[], firstId: number): Map<number, SimAttachment> {
  const out = new Map<number, SimAttachment>();
  let budget = Math.floor(attachmentsMb * MIB);
  if (budget <= 0 || issues.length === 0) return out;
  const rng = Rng.for(seed, Salt.attachment, 0);
  const sizes: number[] = [];
  if (budget >= 40 * MIB) {
    const big = Math.min(30 * MIB, Math.floor(budget / 2));
    sizes.push(big);
    budget -= big;
  }
  // Medium files up to 2 MiB, plus the odd empty file, until the budget is spent.
  while (budget > 0) {
    const size = sizes.length % 11 === 5 ? 0 : Math.min(budget, rng.int(1, 2 * MIB));
    sizes.push(size);
    budget -= Math.max(size, 1);
  }
  sizes.forEach((size, n) => {
    const id = firstId + n;
    const issue = n < issues.length ? issues[(n * 7919) % issues.length] : rng.pick(issues);
    const filename = n < HOSTILE_FILENAMES.length && n % 2 === 1
      ? HOSTILE_FILENAMES[(n >> 1) % HOSTILE_FILENAMES.length]
      : `attachment-${id}.${rng.pick(KINDS).ext}`;
    out.set(id, {
      id,
      issueId: issue.id,
      filename,
      mimeType: mimeFor(filename),
      size,
      created: Math.min(issue.updated, issue.created + n),
      authorId: issue.creatorId,
      contentSeed: mix32(seed, Salt.attachmentBytes, id),
    });
    issue.attachmentIds.push(id);
  });
  return out;
}
