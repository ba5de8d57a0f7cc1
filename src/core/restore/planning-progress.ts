/**
 * What a long read (a dry run, a project diff) reports as it goes, so the page can show how far it is, and where it
 * stops when its time is up: each call may throw to end a planning that has outrun its invocation's budget.
 */
export interface PlanningProgress {
  /** `count` more issues were read from the backup. */
  readFromBackup(count?: number): Promise<void>;
  /** `count` more issues were read from (compared with) the live site. */
  readFromSite(count?: number): Promise<void>;
}

/** For callers that plan in one go and want no reports (tests, the benchmarks). */
export const NO_PROGRESS: PlanningProgress = { readFromBackup: async () => {}, readFromSite: async () => {} };
