import type { JiraClient } from '../../ports';
import { approximateCount, searchIssueIds } from './read-issues';

/**
 * Which issues of the base snapshot are gone, without listing the whole project. Jira has no tombstones, and
 * listing ids costs a point per id (100,000 points for a 100,000-issue project). Instead, count by id range:
 * a range of the base's ids should now hold those ids plus the new issues read this run that fall in it. A range
 * whose count matches has lost nothing and is done; one that does not is halved, down to ranges of LEAF_SIZE ids,
 * which are listed. Issue ids only grow, so issues created while the run reads (ids above the base's) never
 * fall in a range. Cost: ~2 counts per halving per deleted issue plus a small listing, instead of a full sweep.
 */
export const LEAF_SIZE = 16;

export async function findDeletedIssueIds(
  jira: JiraClient,
  projectId: string,
  previousIds: readonly number[],
  /** Ids of issues read this run that the base did not have (created, or moved into the project); undefined when not
   *  tracked (too many): then every count mismatches down to the leaves, which are exact. */
  newIds: readonly number[] | undefined,
  concurrency = 4,
): Promise<number[]> {
  const sorted = [...previousIds].sort((a, b) => a - b);
  const added = [...(newIds ?? [])].sort((a, b) => a - b);
  const deleted: number[] = [];
  let pending: number[][] = sorted.length > 0 ? [sorted] : [];
  while (pending.length > 0) {
    const next: number[][] = [];
    // One level of the bisection at a time, its ranges in parallel (bounded).
    for (let i = 0; i < pending.length; i += concurrency) {
      await Promise.all(
        pending.slice(i, i + concurrency).map(async (range) => {
          const lo = range[0];
          const hi = range[range.length - 1];
          const jql = `project = ${projectId} AND id >= ${lo} AND id <= ${hi}`;
          if (range.length <= LEAF_SIZE) {
            const present = new Set((await searchIssueIds(jira, jql)).map(Number));
            deleted.push(...range.filter((id) => !present.has(id)));
            return;
          }
          const expected = range.length + countBetween(added, lo, hi);
          if (newIds !== undefined && (await approximateCount(jira, jql)) === expected) return;
          const half = Math.ceil(range.length / 2);
          next.push(range.slice(0, half), range.slice(half));
        }),
      );
    }
    pending = next;
  }
  return deleted.sort((a, b) => a - b);
}

/** How many of the sorted `ids` lie in [lo, hi]. */
function countBetween(ids: readonly number[], lo: number, hi: number): number {
  return lowerBound(ids, hi + 1) - lowerBound(ids, lo);
}

function lowerBound(ids: readonly number[], value: number): number {
  let low = 0;
  let high = ids.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (ids[mid] < value) low = mid + 1;
    else high = mid;
  }
  return low;
}
