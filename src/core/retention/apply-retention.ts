import type { RetentionPolicy } from '../plans/plan';
import { checkTimeZone } from '../schedule/time-zone';
import { applyBucketRules, type CounterSetting } from './bucket-rules';
import { localStamp } from './buckets';
import { checkRetentionPolicy, GFS_COUNTERS } from './policy-check';
import type { KeptSnapshot, RemovedSnapshot, RetentionContext, RetentionResult, RetentionSnapshot } from './types';

/**
 * Decides which snapshots of ONE plan a rotation keeps and which it removes, with a reason for each (the dry run
 * shows exactly this). Objects shared between snapshots are not decided here: the format layer keeps whatever a
 * kept snapshot references.
 *
 * Rules, in order:
 * 1. Snapshots dated after `now` are kept and ignored by the rules (restic ignores future snapshots too): a clock
 *    problem must never make the rotation delete data.
 * 2. Only complete snapshots take part in the policy (use slots). The newest complete snapshot is never removed.
 * 3. Partial and failed snapshots use no slots. One that is newer than the newest complete snapshot is kept (it may
 *    be the most recent data there is); once a newer complete snapshot exists it is removed. Exception: "keep forever"
 *    also keeps superseded partial snapshots, since they hold data; superseded failed ones are still removed.
 * Throws RetentionPolicyError for a policy that cannot be applied (e.g. an all-zero GFS policy).
 */
export function applyRetention(snapshots: RetentionSnapshot[], policy: RetentionPolicy, context: RetentionContext): RetentionResult {
  checkRetentionPolicy(policy);
  checkTimeZone(context.timeZone);
  checkSnapshots(snapshots);
  const ordered = [...snapshots].sort(newestFirst);
  const past = ordered.filter((s) => s.startedAt <= context.now);
  const counted = past.filter((s) => s.state === 'complete');
  const newestComplete = counted[0];

  const decisions = new Map<string, { keep: true; reasons: string[] } | { keep: false; reason: string }>();
  for (const snapshot of ordered) {
    if (snapshot.startedAt > context.now) {
      decisions.set(snapshot.id, {
        keep: true,
        reasons: [`dated in the future (${localStamp(snapshot.startedAt, context.timeZone)}, after now): not counted and not removed; check the clock`],
      });
    }
  }
  decideCounted(counted, policy, context.timeZone).forEach((decision, index) => decisions.set(counted[index].id, decision));
  for (const snapshot of past) {
    if (snapshot.state !== 'complete') decisions.set(snapshot.id, decideIncomplete(snapshot, newestComplete, policy, context.timeZone));
  }
  if (newestComplete) {
    const decision = decisions.get(newestComplete.id)!;
    // Unreachable with a checked policy (every active rule keeps the newest snapshot); kept as the last line of defence.
    if (!decision.keep) decisions.set(newestComplete.id, { keep: true, reasons: ['newest complete snapshot: a rotation never removes it'] });
  }

  const keep: KeptSnapshot[] = [];
  const remove: RemovedSnapshot[] = [];
  for (const snapshot of ordered) {
    const decision = decisions.get(snapshot.id)!;
    if (decision.keep) keep.push({ id: snapshot.id, reasons: decision.reasons });
    else remove.push({ id: snapshot.id, reason: decision.reason });
  }
  return { keep, remove };
}

function decideCounted(counted: RetentionSnapshot[], policy: RetentionPolicy, timeZone: string) {
  if (policy.mode === 'forever') return counted.map(() => ({ keep: true as const, reasons: ['keep forever: no snapshot is ever rotated out'] }));
  const settings: CounterSetting[] =
    policy.mode === 'count' ? [{ counter: 'last', count: policy.keep }] : GFS_COUNTERS.map((counter) => ({ counter, count: policy[counter] }));
  return applyBucketRules(counted, settings, timeZone).map((decision) =>
    decision.kept ? { keep: true as const, reasons: decision.reasons } : { keep: false as const, reason: decision.reason },
  );
}

function decideIncomplete(
  snapshot: RetentionSnapshot,
  newestComplete: RetentionSnapshot | undefined,
  policy: RetentionPolicy,
  timeZone: string,
): { keep: true; reasons: string[] } | { keep: false; reason: string } {
  if (!newestComplete || newestFirst(snapshot, newestComplete) < 0) {
    return {
      keep: true,
      reasons: [`${snapshot.state} snapshot newer than any complete one: kept until a complete snapshot follows; it uses no slot`],
    };
  }
  const supersededBy = `the complete snapshot ${newestComplete.id} of ${localStamp(newestComplete.startedAt, timeZone)}`;
  if (policy.mode === 'forever' && snapshot.state === 'partial') {
    return { keep: true, reasons: [`keep forever: partial snapshots are kept too (superseded by ${supersededBy}, but they hold data)`] };
  }
  return { keep: false, reason: `${snapshot.state} snapshot superseded by ${supersededBy}; ${snapshot.state} snapshots use no slot` };
}

/** Newest first; equal times fall back to the id so the result never depends on the input order. */
function newestFirst(a: RetentionSnapshot, b: RetentionSnapshot): number {
  return b.startedAt - a.startedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

function checkSnapshots(snapshots: RetentionSnapshot[]): void {
  const seen = new Set<string>();
  for (const s of snapshots) {
    if (typeof s.id !== 'string' || s.id === '') throw new TypeError('Every snapshot needs a non-empty id.');
    if (seen.has(s.id)) throw new TypeError(`Snapshot id "${s.id}" appears twice; each snapshot must be listed once.`);
    seen.add(s.id);
    if (!Number.isFinite(s.startedAt)) throw new TypeError(`Snapshot "${s.id}" has no valid startedAt (epoch ms).`);
    if (s.state !== 'complete' && s.state !== 'partial' && s.state !== 'failed') {
      throw new TypeError(`Snapshot "${s.id}" has state "${String(s.state)}"; expected complete, partial or failed.`);
    }
  }
}
