import type { JiraClient } from '../../ports';
import { mapFields, type FieldMapping } from './field-mapping';
import type { TargetFieldMeta } from './field-values';
import { createMeta, liveFields, type LiveProject } from './live-site';
import type { FieldDefinition, SnapshotProject } from './snapshot-view';

/** Everything about the target project that turning a snapshot issue into a create/edit payload needs. */
export interface TargetContext {
  projectKey: string;
  projectId?: string;
  snapshotFields: Map<string, FieldDefinition>;
  fieldMap: Map<string, FieldMapping>;
  /** Snapshot issue type id → live issue type id (same id, else same name). */
  issueTypeMap: Map<string, string>;
  /**
   * For snapshot types with no live counterpart of that name: a live type of the same level (sub-task or not) the
   * issue can be restored as, with the reason the report gives. Absent when the project has no such level at all.
   */
  issueTypeFallbacks: Map<string, { targetId: string; reason: string }>;
  componentIdByName: Map<string, string>;
  versionIdByName: Map<string, string>;
  /** createmeta of the target project for a live issue type id (cached); undefined when the project does not exist yet. */
  createMeta(issueTypeId: string): Promise<Map<string, TargetFieldMeta> | undefined>;
}

/**
 * Builds the context from the live site. `liveTarget` is the target project as it is now (undefined while a new project
 * is still to be created: issue types are then matched against the snapshot project's own, by name).
 */
export async function buildTargetContext(
  jira: JiraClient,
  snapshotFields: FieldDefinition[],
  snapshotProject: SnapshotProject,
  liveTarget: LiveProject | undefined,
  targetKey: string,
  /** Issue types to match against while the target project does not exist yet (the site's global list). */
  fallbackIssueTypes: { id: string; name: string }[] = [],
): Promise<TargetContext> {
  const live = await liveFields(jira);
  const metaCache = new Map<string, Promise<Map<string, TargetFieldMeta> | undefined>>();
  const issueTypeMap = new Map<string, string>();
  const issueTypeFallbacks = new Map<string, { targetId: string; reason: string }>();
  const candidates: { id: string; name: string; subtask?: boolean }[] = liveTarget?.issueTypes ?? fallbackIssueTypes;
  for (const type of snapshotProject.issueTypes) {
    const match = candidates.find((c) => c.id === type.id && c.name === type.name) ?? candidates.find((c) => c.name.toLowerCase() === type.name.toLowerCase());
    if (match) {
      issueTypeMap.set(type.id, match.id);
      continue;
    }
    const sameLevel = candidates.filter((c) => !!c.subtask === !!type.subtask);
    const fallback = sameLevel.find((c) => /^(task|sub-?task)$/i.test(c.name)) ?? sameLevel[0];
    if (fallback) {
      issueTypeFallbacks.set(type.id, {
        targetId: fallback.id,
        reason: `project ${targetKey} has no issue type "${type.name}"; restored as "${fallback.name}" (add "${type.name}" to the project's issue type scheme and change the type to keep it)`,
      });
    }
  }
  return {
    projectKey: targetKey,
    projectId: liveTarget?.id,
    snapshotFields: new Map(snapshotFields.map((field) => [field.id, field])),
    fieldMap: mapFields(snapshotFields, live),
    issueTypeMap,
    issueTypeFallbacks,
    componentIdByName: new Map((liveTarget?.components ?? []).map((c) => [c.name, c.id])),
    versionIdByName: new Map((liveTarget?.versions ?? []).map((v) => [v.name, v.id])),
    createMeta(issueTypeId) {
      if (!liveTarget) return Promise.resolve(undefined);
      let cached = metaCache.get(issueTypeId);
      if (!cached) {
        cached = createMeta(jira, liveTarget.key, issueTypeId);
        metaCache.set(issueTypeId, cached);
      }
      return cached;
    },
  };
}
