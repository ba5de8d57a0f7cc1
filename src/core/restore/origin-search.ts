import type { JiraClient } from '../../ports';
import { JiraCallError } from './jira-call';
import { liveIssueIds, liveIssues } from './live-site';
import { ORIGIN_PROPERTY_KEY, type IssueOrigin } from './origin';

/**
 * Finds issues a crashed step created but never recorded in the id map: they carry the origin property (it is set
 * in the same create request, so it cannot be missing). JQL on the property first; if the site rejects that JQL
 * (the property is not indexed), scan the target project's issues and read the property from each.
 */
export async function findByOrigin(jira: JiraClient, projectKey: string, sourceIds: string[]): Promise<Map<string, { id: string; key: string }>> {
  const found = new Map<string, { id: string; key: string }>();
  if (sourceIds.length === 0) return found;
  let candidateIds: string[];
  try {
    candidateIds = await liveIssueIds(
      jira,
      `project = "${projectKey}" AND issue.property[${ORIGIN_PROPERTY_KEY}].originalId in (${sourceIds.map((id) => `"${id}"`).join(', ')})`,
    );
  } catch (error) {
    if (!(error instanceof JiraCallError) || error.status !== 400) throw error;
    candidateIds = await liveIssueIds(jira, `project = "${projectKey}"`);
  }
  const wanted = new Set(sourceIds);
  for (const issue of await liveIssues(jira, candidateIds, ['summary'], [ORIGIN_PROPERTY_KEY])) {
    const origin = issue.properties?.[ORIGIN_PROPERTY_KEY] as IssueOrigin | undefined;
    if (origin && wanted.has(origin.originalId) && !found.has(origin.originalId)) found.set(origin.originalId, { id: issue.id, key: issue.key });
  }
  return found;
}
