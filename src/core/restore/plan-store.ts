import type { KeyValue } from '../../ports';
import type { IssuePlan, RestorePlan } from './plan-types';

/**
 * Plans live in KVS: a header plus the issue entries in chunks, because one KVS value holds at most 240 KiB and a
 * 1,000-issue plan is larger. Chunks are cut by size, so a few issues with long field lists still fit.
 */
const CHUNK_BYTES = 180 * 1024;

type PlanHeader = Omit<RestorePlan, 'issues'> & { issueChunks: number };

const headerKey = (planId: string) => `restore-plan:${planId}`;
const chunkKey = (planId: string, index: number) => `restore-plan:${planId}:issues:${index}`;

export async function savePlan(kv: KeyValue, plan: RestorePlan): Promise<void> {
  const chunks: IssuePlan[][] = [];
  let current: IssuePlan[] = [];
  let size = 0;
  for (const issue of plan.issues) {
    const bytes = JSON.stringify(issue).length * 2; // UTF-16 upper bound of UTF-8 size for safety with non-ASCII
    if (current.length > 0 && size + bytes > CHUNK_BYTES) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    if (bytes > CHUNK_BYTES) throw new Error(`The plan entry for ${issue.sourceKey} is too large to store (${bytes} bytes); restore that issue on its own.`);
    current.push(issue);
    size += bytes;
  }
  if (current.length > 0) chunks.push(current);
  const { issues: _issues, ...rest } = plan;
  for (let index = 0; index < chunks.length; index++) await kv.set(chunkKey(plan.id, index), chunks[index]);
  // The header goes last: a plan is visible only once all of it is stored.
  await kv.set<PlanHeader>(headerKey(plan.id), { ...rest, issueChunks: chunks.length });
}

export async function loadPlan(kv: KeyValue, planId: string): Promise<RestorePlan | undefined> {
  const header = await kv.get<PlanHeader>(headerKey(planId));
  if (!header) return undefined;
  const issues: IssuePlan[] = [];
  for (let index = 0; index < header.issueChunks; index++) {
    const chunk = await kv.get<IssuePlan[]>(chunkKey(planId, index));
    if (!chunk) throw new Error(`Restore plan ${planId} is incomplete in storage (chunk ${index} missing); plan the restore again.`);
    issues.push(...chunk);
  }
  const { issueChunks: _chunks, ...plan } = header;
  return { ...plan, issues };
}
