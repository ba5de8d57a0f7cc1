import type { JiraClient } from '../../ports';
import { jiraJson } from './jira-call';
import { liveTransitions } from './live-site';

export interface WalkResult {
  reached: boolean;
  /** Status names passed through, the start included. */
  path: string[];
  reason?: string;
}

/**
 * Moves an issue to the status named `target` along its workflow. Jira only tells us the transitions available
 * from the current status, so this walks: take a transition straight to the target when there is one, otherwise step
 * to a status not visited yet, at most `maxSteps` times. `resolution` (by name) is sent where a transition screen asks.
 */
export async function walkToStatus(jira: JiraClient, issueId: string, target: string, resolution?: string, maxSteps = 8, knownStatus?: string): Promise<WalkResult> {
  let current = knownStatus ?? (await jiraJson<{ fields: { status?: { name: string } } }>(jira, { method: 'GET', path: `/rest/api/3/issue/${issueId}`, query: { fields: 'status' } })).fields.status?.name ?? '';
  const path = [current];
  const visited = new Set([current.toLowerCase()]);
  for (let step = 0; step < maxSteps; step++) {
    if (current.toLowerCase() === target.toLowerCase()) return { reached: true, path };
    const transitions = await liveTransitions(jira, issueId);
    const next =
      transitions.find((t) => t.to.name.toLowerCase() === target.toLowerCase()) ?? transitions.find((t) => !visited.has(t.to.name.toLowerCase()));
    if (!next) {
      return { reached: false, path, reason: `no transition from "${current}" leads towards "${target}" (available: ${transitions.map((t) => `${t.name} → ${t.to.name}`).join(', ') || 'none'})` };
    }
    const fields = resolution && next.fields?.resolution ? { resolution: { name: resolution } } : undefined;
    await jiraJson(jira, { method: 'POST', path: `/rest/api/3/issue/${issueId}/transitions`, json: { transition: { id: next.id }, ...(fields ? { fields } : {}) } });
    current = next.to.name;
    path.push(current);
    visited.add(current.toLowerCase());
  }
  if (current.toLowerCase() === target.toLowerCase()) return { reached: true, path };
  return { reached: false, path, reason: `"${target}" not reached within ${maxSteps} transitions` };
}
