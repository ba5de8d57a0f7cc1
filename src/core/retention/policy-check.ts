import type { RetentionPolicy } from '../plans/plan';
import { RetentionPolicyError } from './types';

export const GFS_COUNTERS = ['last', 'daily', 'weekly', 'monthly', 'yearly'] as const;
export type GfsCounter = (typeof GFS_COUNTERS)[number];

/**
 * Refuses policies that cannot be applied safely. Like restic's `forget`, an all-zero GFS policy is refused rather
 * than read as "keep nothing"; -1 means unlimited.
 */
export function checkRetentionPolicy(policy: RetentionPolicy): void {
  switch (policy?.mode) {
    case 'forever':
      return;
    case 'count':
      if (!Number.isInteger(policy.keep) || policy.keep < 1) {
        throw new RetentionPolicyError(`Keep count must be a whole number of at least 1 (got ${String(policy.keep)}); a rotation never deletes every snapshot.`);
      }
      return;
    case 'gfs': {
      for (const counter of GFS_COUNTERS) {
        const value = policy[counter];
        if (!Number.isInteger(value) || value < -1) {
          throw new RetentionPolicyError(`GFS "${counter}" must be a whole number, 0 or more, or -1 for unlimited (got ${String(value)}).`);
        }
      }
      if (GFS_COUNTERS.every((counter) => policy[counter] === 0)) {
        throw new RetentionPolicyError(
          'This Grandfather-Father-Son policy keeps nothing (last, daily, weekly, monthly and yearly are all 0). Set at least one of them, or -1 for unlimited.',
        );
      }
      return;
    }
    default:
      throw new RetentionPolicyError(`Unknown retention mode "${String((policy as { mode?: unknown })?.mode)}": use count, gfs or forever.`);
  }
}
