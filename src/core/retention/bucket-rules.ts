import { periodsOf, type CalendarCounter, type Period } from './buckets';
import type { GfsCounter } from './policy-check';
import type { RetentionSnapshot } from './types';

export interface CounterSetting {
  counter: GfsCounter;
  /** Slots; -1 = unlimited. */
  count: number;
}

export type BucketDecision = { kept: true; reasons: string[] } | { kept: false; reason: string };

/**
 * restic's `ApplyPolicy` bucket algorithm (internal/data/snapshot_policy.go), exactly:
 * walk the snapshots newest first; every counter with slots left (or -1) looks at the snapshot's period; when the
 * period differs from the last period that counter kept — or the snapshot is the oldest of all and slots remain —
 * the snapshot is kept, the counter remembers the period and uses up a slot. Counters are independent, so one
 * snapshot can use a slot in several of them (restic's {daily 3, weekly 4} keeps 4 snapshots, not 7).
 * Periods without snapshots are never visited, so they use no slots. `last` treats every snapshot as its own period.
 *
 * `snapshots` must be sorted newest first and hold only what counts (complete, not in the future).
 */
export function applyBucketRules(snapshots: RetentionSnapshot[], settings: CounterSetting[], timeZone: string): BucketDecision[] {
  const active = settings.filter((s) => s.count !== 0);
  const state = active.map((s) => ({ ...s, remaining: s.count, lastKey: undefined as string | undefined, lastKeptBy: '' }));
  return snapshots.map((snapshot, index) => {
    const isOldest = index === snapshots.length - 1;
    const reasons: string[] = [];
    const whyNot: string[] = [];
    let periods: Record<CalendarCounter, Period> | undefined;
    for (const rule of state) {
      if (rule.remaining === 0) {
        whyNot.push(rule.counter === 'last' ? `not among the newest ${rule.count}` : `all ${rule.count} ${rule.counter} slots are used by newer snapshots`);
        continue;
      }
      const period =
        rule.counter === 'last' ? { key: `#${index}`, label: '' } : (periods ??= periodsOf(snapshot.startedAt, timeZone))[rule.counter];
      const newPeriod = period.key !== rule.lastKey;
      if (!newPeriod && !isOldest) {
        whyNot.push(`${rule.counter}: ${period.label} is already kept by the newer snapshot ${rule.lastKeptBy}`);
        continue;
      }
      const used = rule.count === -1 ? index + 1 : rule.count - rule.remaining + 1;
      const slot = rule.count === -1 ? 'unlimited' : `${used} of ${rule.count}`;
      reasons.push(rule.counter === 'last' ? describeLast(rule.count, used) : describeKeep(rule.counter, period.label, slot, newPeriod));
      rule.lastKey = period.key;
      rule.lastKeptBy = snapshot.id;
      if (rule.remaining > 0) rule.remaining--;
    }
    return reasons.length > 0 ? { kept: true, reasons } : { kept: false, reason: `no rule keeps it: ${whyNot.join('; ')}` };
  });
}

function describeLast(count: number, position: number): string {
  return count === -1 ? `last: every complete snapshot is kept (#${position})` : `one of the newest ${count} complete snapshots (#${position})`;
}

function describeKeep(counter: GfsCounter, periodLabel: string, slot: string, newPeriod: boolean): string {
  if (newPeriod) return `${counter} snapshot for ${periodLabel} (${counter} ${slot})`;
  // restic's "oldest" rule: slots are left over, so the oldest snapshot stretches the history as far back as it goes.
  return `oldest ${counter} snapshot: ${counter} slots remain, so the oldest snapshot is kept to reach furthest back (${counter} ${slot})`;
}
