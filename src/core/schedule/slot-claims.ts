import type { KeyValue } from '../../ports';

/**
 * "Start this slot at most once", kept in KeyValue under one key per slot.
 *
 * The KeyValue port has no create-if-absent, so the fallback claim is get → set(own token) → get again, and only
 * the tick that reads its own token back starts the slot. Ticks that fire one after the other (Forge's duplicate
 * deliveries are usually seconds apart) always see the first claim. The race that remains: tick B reads "absent",
 * then tick A writes AND reads back its token, then B writes and reads back its own — both start. That needs B to
 * stall between its read and its write while A completes two calls. To close it, pass `createIfAbsent` (Forge KVS
 * `kvs.set(key, value, { keyPolicy: 'FAIL_IF_EXISTS' })` is atomic); the backup engine should also key its job on
 * the slot id so a second start of the same slot is a no-op.
 */
export const SLOT_CLAIM_PREFIX = 'scheduler:slot:';
/** A failed start is retried on the next ticks, this many attempts in all, then the slot is given up. */
export const MAX_START_ATTEMPTS = 3;

export type SlotClaimState = 'claimed' | 'started' | 'failed';

export interface SlotClaim {
  slotId: string;
  planId: string;
  /** When the slot was due, epoch ms. */
  slotAt: number;
  state: SlotClaimState;
  /** Unique per tick, to tell our own write from a concurrent tick's. */
  token: string;
  attempts: number;
  claimedAt: number;
  error?: string;
}

/** Atomic "write only if the key does not exist"; resolves false when it already existed. */
export type CreateIfAbsent = (key: string, value: SlotClaim) => Promise<boolean>;

export type ClaimOutcome =
  | { claimed: true; claim: SlotClaim }
  | { claimed: false; reason: 'already-started' | 'claimed-elsewhere' | 'gave-up'; existing?: SlotClaim };

/** KVS keys allow [a-zA-Z0-9:._\s-#]; anything else in a plan id is written as #xx (and # itself), so keys stay distinct. */
export function slotClaimKey(slotId: string): string {
  const encoded = [...slotId]
    .map((ch) => (/^[a-zA-Z0-9:._-]$/.test(ch) ? ch : [...new TextEncoder().encode(ch)].map((b) => `#${b.toString(16).padStart(2, '0')}`).join('')))
    .join('');
  return SLOT_CLAIM_PREFIX + encoded;
}

export async function claimSlot(
  kv: KeyValue,
  fresh: Omit<SlotClaim, 'attempts' | 'state'>,
  createIfAbsent?: CreateIfAbsent,
): Promise<ClaimOutcome> {
  const key = slotClaimKey(fresh.slotId);
  const existing = await kv.get<SlotClaim>(key);
  if (existing) {
    if (existing.state !== 'failed') {
      return { claimed: false, reason: existing.state === 'started' ? 'already-started' : 'claimed-elsewhere', existing };
    }
    if (existing.attempts >= MAX_START_ATTEMPTS) return { claimed: false, reason: 'gave-up', existing };
    return writeAndConfirm(kv, key, { ...fresh, state: 'claimed', attempts: existing.attempts + 1 });
  }
  const claim: SlotClaim = { ...fresh, state: 'claimed', attempts: 1 };
  if (createIfAbsent) {
    return (await createIfAbsent(key, claim)) ? { claimed: true, claim } : { claimed: false, reason: 'claimed-elsewhere' };
  }
  return writeAndConfirm(kv, key, claim);
}

async function writeAndConfirm(kv: KeyValue, key: string, claim: SlotClaim): Promise<ClaimOutcome> {
  await kv.set(key, claim);
  const readBack = await kv.get<SlotClaim>(key);
  if (readBack?.token === claim.token) return { claimed: true, claim };
  return { claimed: false, reason: 'claimed-elsewhere', existing: readBack };
}

export async function recordStarted(kv: KeyValue, claim: SlotClaim): Promise<void> {
  await kv.set(slotClaimKey(claim.slotId), { ...claim, state: 'started' } satisfies SlotClaim);
}

export async function recordFailed(kv: KeyValue, claim: SlotClaim, error: string): Promise<void> {
  await kv.set(slotClaimKey(claim.slotId), { ...claim, state: 'failed', error } satisfies SlotClaim);
}

/** Claims are only needed while their slot could still be re-examined; older ones are deleted so keys don't pile up. */
export async function pruneSlotClaims(kv: KeyValue, olderThan: number, maxPages = 5): Promise<number> {
  let removed = 0;
  let cursor: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const result = await kv.list<SlotClaim>(SLOT_CLAIM_PREFIX, { cursor, limit: 100 });
    for (const entry of result.entries) {
      if (entry.value.slotAt < olderThan) {
        await kv.delete(entry.key);
        removed++;
      }
    }
    cursor = result.nextCursor;
    if (!cursor) break;
  }
  return removed;
}
