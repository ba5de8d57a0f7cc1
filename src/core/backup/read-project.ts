import type { JiraClient } from '../../ports';
import type { SnapshotRecord } from '../format/types';
import { callJson, callJsonOrMissing } from './jira-json';
import { mapLimited, readAllValues } from './paging';
import { record } from './records';

/** A project as /project/search returns it (with expand=description,lead,issueTypes). */
export interface JiraProject {
  id: string;
  key: string;
  name: string;
  projectCategory?: { id: string; name?: string };
  [field: string]: unknown;
}

/** Every project the app can see, with what a restore needs to recreate it. */
export async function listProjects(jira: JiraClient): Promise<JiraProject[]> {
  return readAllValues<JiraProject>(jira, 'projectSearch', { query: { expand: 'description,lead,issueTypes,url,projectKeys,insight' } }, 50);
}

/**
 * One record per project holding its configuration: components, versions, roles with actors and properties. One record (not one per component) keeps a project's configuration
 * consistent in one place and carries no ordering problems on restore.
 */
export async function readProjectConfiguration(jira: JiraClient, project: JiraProject): Promise<SnapshotRecord> {
  const params = { projectIdOrKey: project.key };
  const [components, versions, roleLinks, propertyKeys] = await Promise.all([
    readAllValues<Record<string, unknown>>(jira, 'projectComponents', { params }, 50),
    readAllValues<Record<string, unknown>>(jira, 'projectVersions', { params }, 50),
    callJson<Record<string, string>>(jira, 'projectRoles', { params }),
    callJson<{ keys?: { key: string }[] }>(jira, 'projectPropertyKeys', { params }),
  ]);
  const roles = await mapLimited(Object.entries(roleLinks).sort(([a], [b]) => a.localeCompare(b)), 4, async ([, url]) => {
    const roleId = /\/role\/(\d+)\/?$/.exec(url)?.[1];
    if (!roleId) throw new Error(`Jira listed project role URL "${url}" for ${project.key}, which has no role id; cannot back up that role.`);
    return callJson<Record<string, unknown>>(jira, 'projectRole', { params: { ...params, id: roleId } });
  });
  const properties: Record<string, unknown> = {};
  for (const { key } of propertyKeys.keys ?? []) {
    const property = await callJsonOrMissing<{ value?: unknown }>(jira, 'projectProperty', { params: { ...params, propertyKey: key } });
    if (property) properties[key] = property.value ?? null;
  }
  return record(
    'project',
    project.id,
    {
      project,
      components,
      versions,
      roles,
      properties,
    },
    { key: project.key, project: project.key },
  );
}
