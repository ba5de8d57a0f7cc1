/**
 * The issue fields the simulator knows (system + custom), their display names and schemas,
 * and the `fields` parameter (`*all`, `*navigable`, `id`, `-name`, explicit ids).
 */
import type { SiteData } from '../model';
import { fieldSchema } from './config';

export interface FieldInfo {
  id: string;
  name: string;
  custom: boolean;
  schema: Record<string, unknown>;
  /** Fields that can be set on create/edit. */
  orderable: boolean;
}

const sys = (id: string, name: string, type: string, extra: Record<string, unknown> = {}, orderable = true): FieldInfo => ({
  id, name, custom: false, orderable, schema: { type, system: id, ...extra },
});

export const SYSTEM_FIELDS: FieldInfo[] = [
  sys('summary', 'Summary', 'string'),
  sys('description', 'Description', 'string'),
  sys('environment', 'Environment', 'string'),
  sys('issuetype', 'Issue Type', 'issuetype'),
  sys('project', 'Project', 'project'),
  sys('status', 'Status', 'status', {}, false),
  sys('priority', 'Priority', 'priority'),
  sys('resolution', 'Resolution', 'resolution'),
  sys('resolutiondate', 'Resolved', 'datetime', {}, false),
  sys('created', 'Created', 'datetime', {}, false),
  sys('updated', 'Updated', 'datetime', {}, false),
  sys('duedate', 'Due date', 'date'),
  sys('labels', 'Labels', 'array', { items: 'string' }),
  sys('components', 'Components', 'array', { items: 'component' }),
  sys('fixVersions', 'Fix versions', 'array', { items: 'version' }),
  sys('versions', 'Affects versions', 'array', { items: 'version' }),
  sys('reporter', 'Reporter', 'user'),
  sys('assignee', 'Assignee', 'user'),
  sys('creator', 'Creator', 'user', {}, false),
  sys('parent', 'Parent', 'issuelink'),
  sys('issuelinks', 'Linked Issues', 'array', { items: 'issuelinks' }),
  sys('attachment', 'Attachment', 'array', { items: 'attachment' }),
  sys('comment', 'Comment', 'comments-page'),
  sys('worklog', 'Log Work', 'array', { items: 'worklog' }),
  sys('watches', 'Watchers', 'watches', {}, false),
  sys('votes', 'Votes', 'votes', {}, false),
  sys('subtasks', 'Sub-tasks', 'array', { items: 'issuelinks' }, false),
];

export function allFields(site: SiteData): FieldInfo[] {
  return [
    ...SYSTEM_FIELDS,
    ...site.customFields.map((f) => ({ id: f.id, name: f.name, custom: true, orderable: f.kind !== 'rank', schema: fieldSchema(f) as Record<string, unknown> })),
  ];
}

export interface FieldSelection {
  /** Only `id` (and possibly `key`) requested: issues render as `{ id }` / `{ id, key }`. */
  idsOnly: boolean;
  /** The selected field ids, in the order fields are listed. */
  fieldIds: string[];
}

/**
 * Resolves a `fields` list. Unknown explicit fields are ignored, as Jira does; `-x` removes x from the set.
 */
export function selectFields(site: SiteData, requested: string[] | undefined, fallback: string[]): FieldSelection {
  const list = requested && requested.length > 0 ? requested : fallback;
  const known = allFields(site);
  const byIdOrName = (name: string) => known.find((f) => f.id === name || f.id.toLowerCase() === name.toLowerCase());
  const include = new Set<string>();
  const exclude = new Set<string>();
  let wantsIdOnly = true;
  for (const entry of list) {
    if (entry === '*all' || entry === '*navigable') {
      wantsIdOnly = false;
      known.forEach((f) => include.add(f.id));
    } else if (entry.startsWith('-')) {
      wantsIdOnly = false;
      const f = byIdOrName(entry.slice(1));
      if (f) exclude.add(f.id);
      // `-x` alone means "navigable fields except x".
      if (list.every((e) => e.startsWith('-'))) known.forEach((k) => include.add(k.id));
    } else if (entry === 'id' || entry === 'key') {
      // id and key are issue attributes, not fields.
    } else {
      wantsIdOnly = false;
      const f = byIdOrName(entry);
      if (f) include.add(f.id);
    }
  }
  const fieldIds = known.map((f) => f.id).filter((id) => include.has(id) && !exclude.has(id));
  return { idsOnly: wantsIdOnly, fieldIds };
}
