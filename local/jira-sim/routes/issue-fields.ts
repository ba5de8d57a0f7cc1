/**
 * Applying a create/edit payload (`fields` + `update`) to an issue, with Jira's per-field error messages.
 * Returns the change items for the changelog, so restores show up in history like real edits.
 */
import type { AdfDocument, RichText, SimChangeItem, SimIssue, SimProject, SiteData } from '../model';
import { SPRINT_FIELD } from '../generate/configuration';
import { adfText, isAdfDocument } from '../render/adf';
import { findIssue } from './lookup';

export interface FieldResult {
  errors: Record<string, string>;
  changes: SimChangeItem[];
}

type Ref = { id?: unknown; key?: unknown; name?: unknown; accountId?: unknown; value?: unknown };

const asRef = (value: unknown): Ref | undefined => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Ref) : undefined);

function richText(value: unknown): RichText | null | 'invalid' {
  if (value === null) return null;
  if (isAdfDocument(value)) return value as AdfDocument;
  // API v3 takes rich text as ADF only; a plain string is Jira's most common client mistake.
  return 'invalid';
}

function text(value: RichText | null): string | null {
  return value === null ? null : typeof value === 'string' ? value : adfText(value).trimEnd();
}

/** The project and issue type named in a create payload. */
export function resolveProjectAndType(site: SiteData, fields: Record<string, unknown>): { project?: SimProject; issueTypeId?: number; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const p = asRef(fields.project);
  const project = p ? site.projects.find((x) => String(x.id) === String(p.id) || x.key === p.key) : undefined;
  if (!project) {
    errors.project = p ? 'valid project is required' : 'Specify a valid project ID or key';
    return { errors };
  }
  const t = asRef(fields.issuetype);
  const types = project.issueTypeIds.map((id) => site.issueTypes.find((x) => x.id === id)!);
  const type = t ? types.find((x) => String(x.id) === String(t.id) || x.name === t.name) : undefined;
  if (!type) errors.issuetype = t ? 'The issue type selected is invalid.' : 'Specify an issue type';
  return { project, issueTypeId: type?.id, errors };
}

function userRef(site: SiteData, value: unknown): string | null | 'invalid' {
  if (value === null) return null;
  const ref = asRef(value);
  if (!ref || typeof ref.accountId !== 'string') return 'invalid';
  return site.users.some((u) => u.accountId === ref.accountId) ? ref.accountId : 'invalid';
}

export function applyFields(site: SiteData, issue: SimIssue, fields: Record<string, unknown>, project: SimProject): FieldResult {
  const errors: Record<string, string> = {};
  const changes: SimChangeItem[] = [];
  const change = (field: string, fieldId: string, from: string | null, to: string | null, fromString: string | null, toString: string | null, custom = false) => {
    if (fromString !== toString || from !== to) changes.push({ field, fieldtype: custom ? 'custom' : 'jira', fieldId, from, fromString, to, toString });
  };
  for (const [fieldId, value] of Object.entries(fields)) {
    switch (fieldId) {
      case 'project': case 'issuetype':
        break; // handled by the caller (create) or ignored (edit: moves are not supported)
      case 'summary':
        if (typeof value !== 'string' || value.trim() === '') errors.summary = 'You must specify a summary of the issue.';
        else if (value.length > 255) errors.summary = 'Summary must be less than 255 characters.';
        else { change('summary', 'summary', null, null, issue.summary, value); issue.summary = value; }
        break;
      case 'description': case 'environment': {
        const v = richText(value);
        if (v === 'invalid') { errors[fieldId] = 'Operation value must be an Atlassian Document (see the Atlassian Document Format).'; break; }
        change(fieldId, fieldId, null, null, text(issue[fieldId]), text(v));
        issue[fieldId] = v;
        break;
      }
      case 'priority': {
        const ref = asRef(value);
        const p = ref ? site.priorities.find((x) => String(x.id) === String(ref.id) || x.name === ref.name) : undefined;
        if (!p) { errors.priority = 'The priority selected is invalid.'; break; }
        change('priority', 'priority', String(issue.priorityId), String(p.id), null, p.name);
        issue.priorityId = p.id;
        break;
      }
      case 'resolution': {
        if (value === null) { issue.resolutionId = null; issue.resolutionDate = null; break; }
        const ref = asRef(value);
        const r = ref ? site.resolutions.find((x) => String(x.id) === String(ref.id) || x.name === ref.name) : undefined;
        if (!r) { errors.resolution = 'The resolution selected is invalid.'; break; }
        issue.resolutionId = r.id;
        break;
      }
      case 'labels':
        if (!Array.isArray(value) || value.some((l) => typeof l !== 'string' || /\s/.test(l))) { errors.labels = 'Labels must be strings without spaces.'; break; }
        change('labels', 'labels', null, null, issue.labels.join(' '), value.join(' '));
        issue.labels = [...value];
        break;
      case 'components': case 'fixVersions': case 'versions': {
        const pool: Array<{ id: number; name: string }> = fieldId === 'components' ? project.components : project.versions;
        if (!Array.isArray(value)) { errors[fieldId] = `${fieldId} must be a list.`; break; }
        const ids: number[] = [];
        for (const item of value) {
          const ref = asRef(item);
          const found = ref ? pool.find((x) => String(x.id) === String(ref.id) || x.name === ref.name) : undefined;
          if (!found) { errors[fieldId] = `${fieldId === 'components' ? 'Component' : 'Version'} name '${ref?.name ?? ref?.id}' is not valid`; break; }
          ids.push(found.id);
        }
        if (errors[fieldId]) break;
        if (fieldId === 'components') issue.componentIds = ids;
        else if (fieldId === 'fixVersions') issue.fixVersionIds = ids;
        else issue.affectsVersionIds = ids;
        break;
      }
      case 'reporter': case 'assignee': {
        const id = userRef(site, value);
        if (id === 'invalid') { errors[fieldId] = `Specify a valid value for ${fieldId}`; break; }
        const key = fieldId === 'reporter' ? 'reporterId' : 'assigneeId';
        change(fieldId, fieldId, issue[key], id, null, null);
        issue[key] = id;
        break;
      }
      case 'duedate':
        if (value !== null && (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value))) { errors.duedate = "Error parsing date string: use 'yyyy-MM-dd'."; break; }
        issue.dueDate = value as string | null;
        break;
      case 'parent': {
        if (value === null) { issue.parentId = null; break; }
        const ref = asRef(value);
        const parent = ref ? findIssue(site, String(ref.id ?? ref.key ?? '')) : undefined;
        if (!parent) { errors.parent = 'Given parent issue does not exist.'; break; }
        issue.parentId = parent.id;
        break;
      }
      default: {
        const field = site.customFields.find((f) => f.id === fieldId);
        if (!field) { errors[fieldId] = `Field '${fieldId}' cannot be set. It is not on the appropriate screen, or unknown.`; break; }
        if (value === null) { delete issue.custom[fieldId]; break; }
        const bad = () => { errors[fieldId] = `Invalid value for ${field.name}.`; };
        switch (field.kind) {
          case 'text': if (typeof value === 'string') issue.custom[fieldId] = value; else bad(); break;
          case 'textarea': { const v = richText(value); if (v === 'invalid' || v === null) bad(); else issue.custom[fieldId] = v; break; }
          case 'number': if (typeof value === 'number') issue.custom[fieldId] = value; else bad(); break;
          case 'date': if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) issue.custom[fieldId] = value; else bad(); break;
          case 'datetime': { const ms = typeof value === 'string' ? Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')) : NaN; if (Number.isNaN(ms)) bad(); else issue.custom[fieldId] = ms; break; }
          case 'labels': if (Array.isArray(value) && value.every((v) => typeof v === 'string')) issue.custom[fieldId] = [...value]; else bad(); break;
          case 'user': { const id = userRef(site, value); if (id === 'invalid' || id === null) bad(); else issue.custom[fieldId] = id; break; }
          case 'select': {
            const ref = asRef(value);
            const opt = ref ? field.options.find((o) => String(o.id) === String(ref.id) || o.value === ref.value) : undefined;
            if (opt) issue.custom[fieldId] = opt.id; else bad();
            break;
          }
          case 'multiselect': {
            const opts = Array.isArray(value) ? value.map((v) => { const ref = asRef(v); return ref ? field.options.find((o) => String(o.id) === String(ref.id) || o.value === ref.value) : undefined; }) : [undefined];
            if (opts.every((o) => o !== undefined)) issue.custom[fieldId] = opts.map((o) => o!.id); else bad();
            break;
          }
          case 'sprint': {
            // Jira takes one sprint id here (the issue moves to that sprint).
            const sprint = typeof value === 'number' ? site.sprints.find((s) => s.id === value) : undefined;
            if (!sprint) bad(); else issue.custom[SPRINT_FIELD] = [...new Set([...((issue.custom[SPRINT_FIELD] as number[] | undefined) ?? []), sprint.id])];
            break;
          }
          case 'rank': errors[fieldId] = 'Rank cannot be set directly: use PUT /rest/agile/1.0/issue/rank.'; break;
        }
      }
    }
  }
  return { errors, changes };
}

/** The `update` verbs the app uses: labels add/remove/set (other fields: set). */
export function applyUpdate(site: SiteData, issue: SimIssue, update: Record<string, unknown>, project: SimProject): FieldResult {
  const errors: Record<string, string> = {};
  const changes: SimChangeItem[] = [];
  for (const [fieldId, operations] of Object.entries(update)) {
    if (!Array.isArray(operations)) { errors[fieldId] = 'Update operations must be a list.'; continue; }
    for (const op of operations as Array<Record<string, unknown>>) {
      if (fieldId === 'labels' && ('add' in op || 'remove' in op)) {
        const before = issue.labels.join(' ');
        if (typeof op.add === 'string') issue.labels = [...new Set([...issue.labels, op.add])];
        if (typeof op.remove === 'string') issue.labels = issue.labels.filter((l) => l !== op.remove);
        changes.push({ field: 'labels', fieldtype: 'jira', fieldId: 'labels', from: null, fromString: before, to: null, toString: issue.labels.join(' ') });
      } else if ('set' in op) {
        const result = applyFields(site, issue, { [fieldId]: op.set }, project);
        Object.assign(errors, result.errors);
        changes.push(...result.changes);
      } else {
        errors[fieldId] = `The operation '${Object.keys(op)[0]}' is not supported for '${fieldId}' by the Jira simulator.`;
      }
    }
  }
  return { errors, changes };
}
