import type { KeyValue } from '../../ports';
import { loadChunks, saveChunks } from './chunked-list';
import type { IssuePlan, RestorePlan } from './plan-types';

/**
 * Plans live in KVS: a header plus the issue entries in chunks (chunked-list.ts), because one KVS value holds at most
 * 240 KiB and a 1,000-issue plan is larger.
 */
type PlanHeader = Omit<RestorePlan, 'issues'> & { issueChunks: number };

const headerKey = (planId: string) => `restore-plan:${planId}`;
const chunkPrefix = (planId: string) => `restore-plan:${planId}:issues`;

export async function savePlan(kv: KeyValue, plan: RestorePlan): Promise<void> {
  const { issues, ...rest } = plan;
  const issueChunks = await saveChunks<IssuePlan>(kv, chunkPrefix(plan.id), issues, (issue, bytes) => `The plan entry for ${issue.sourceKey} is too large to store (${bytes} bytes); restore that issue on its own.`);
  // The header goes last: a plan is visible only once all of it is stored.
  await kv.set<PlanHeader>(headerKey(plan.id), { ...rest, issueChunks });
}

export async function loadPlan(kv: KeyValue, planId: string): Promise<RestorePlan | undefined> {
  const header = await kv.get<PlanHeader>(headerKey(planId));
  if (!header) return undefined;
  const issues = await loadChunks<IssuePlan>(kv, chunkPrefix(planId), header.issueChunks);
  if (!issues) throw new Error(`Restore plan ${planId} is incomplete in storage (an issue chunk is missing); plan the restore again.`);
  const { issueChunks: _chunks, ...plan } = header;
  return { ...plan, issues };
}

/** A stored plan's keys, for housekeeping (src/core/housekeeping): its header, and the prefix of its issue chunks. */
export const planKeys = { header: headerKey, chunkPrefix: (planId: string) => `${chunkPrefix(planId)}:` };
