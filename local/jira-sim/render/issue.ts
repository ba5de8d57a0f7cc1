/**
 * The IssueBean: the issue as /search/jql, /issue/bulkfetch and /issue/{id} return it.
 * Embedded lists are truncated as Jira does (comment: first 50 with `total`; worklog: first 20 with `total`;
 * changelog expand: first 40 histories), so a client must page the per-issue endpoints for the rest.
 */
import type { SimAttachment, SimChange, SimComment, SimIssue, SimIssueLink, SimWorklog, SiteData } from '../model';
import { formatJiraTime } from '../time';
import { adfText, escapeHtml, toAdf } from './adf';
import { componentRef, issueTypeDetails, priorityBean, projectRef, resolutionBean, statusDetails, versionBean } from './config';
import { allFields, type FieldSelection } from './fields';
import { userDetails } from './users';

export const EMBEDDED_COMMENT_LIMIT = 50;
export const EMBEDDED_WORKLOG_LIMIT = 20;
export const EMBEDDED_CHANGELOG_LIMIT = 40;

export interface RenderOptions {
  site: SiteData;
  timeZone: string;
  fields: FieldSelection;
  /** Lower-cased expand names: renderedfields, names, schema, changelog, transitions, operations, editmeta. */
  expand: Set<string>;
  /** Property keys to include (`*all` for all). */
  properties: string[];
  /** Include `key` when only ids are requested. */
  withKey?: boolean;
  /** Parent id → sub-task ids, built once per request on first use (a full scan of the site). */
  subtaskIndex?: Map<number, number[]>;
  /** Issue id → its links, built once per request on first use. */
  linkIndex?: Map<number, SimIssueLink[]>;
}

function linksOf(o: RenderOptions, issueId: number): SimIssueLink[] {
  if (!o.linkIndex) {
    const index = new Map<number, SimIssueLink[]>();
    const add = (id: number, link: SimIssueLink) => {
      const list = index.get(id);
      if (list) list.push(link);
      else index.set(id, [link]);
    };
    for (const link of o.site.links) {
      add(link.inwardIssueId, link);
      if (link.outwardIssueId !== link.inwardIssueId) add(link.outwardIssueId, link);
    }
    o.linkIndex = index;
  }
  return o.linkIndex.get(issueId) ?? [];
}

function subtasksOf(o: RenderOptions, issueId: number): number[] {
  if (!o.subtaskIndex) {
    const index = new Map<number, number[]>();
    const subtaskTypes = new Set(o.site.issueTypes.filter((t) => t.subtask).map((t) => t.id));
    for (const other of o.site.issues.values()) {
      if (other.parentId === null || !subtaskTypes.has(other.issueTypeId)) continue;
      const list = index.get(other.parentId);
      if (list) list.push(other.id);
      else index.set(other.parentId, [other.id]);
    }
    o.subtaskIndex = index;
  }
  return o.subtaskIndex.get(issueId) ?? [];
}

const time = (o: RenderOptions, ms: number) => formatJiraTime(ms, o.timeZone);

export function issueSelf(site: SiteData, issue: SimIssue): string {
  return `${site.baseUrl}/rest/api/3/issue/${issue.id}`;
}

export function timeSpent(seconds: number): string {
  const parts: string[] = [];
  const units: Array<[string, number]> = [['w', 5 * 8 * 3600], ['d', 8 * 3600], ['h', 3600], ['m', 60]];
  let rest = seconds;
  for (const [unit, size] of units) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return parts.length > 0 ? parts.join(' ') : '0m';
}

export function commentBean(site: SiteData, issue: SimIssue, c: SimComment, timeZone: string, withProperties = false) {
  return {
    self: `${site.baseUrl}/rest/api/3/issue/${issue.id}/comment/${c.id}`,
    id: String(c.id),
    author: userDetails(site, c.authorId),
    body: toAdf(c.body),
    updateAuthor: userDetails(site, c.updateAuthorId),
    created: formatJiraTime(c.created, timeZone),
    updated: formatJiraTime(c.updated, timeZone),
    ...(c.visibility ? { visibility: { type: c.visibility.type, value: c.visibility.value, identifier: c.visibility.value } } : {}),
    jsdPublic: true,
    ...(withProperties ? { properties: [...c.properties].map(([key, value]) => ({ key, value })) } : {}),
  };
}

export function worklogBean(site: SiteData, issue: SimIssue, w: SimWorklog, timeZone: string, withProperties = false) {
  return {
    self: `${site.baseUrl}/rest/api/3/issue/${issue.id}/worklog/${w.id}`,
    author: userDetails(site, w.authorId),
    updateAuthor: userDetails(site, w.updateAuthorId),
    comment: toAdf(w.comment),
    created: formatJiraTime(w.created, timeZone),
    updated: formatJiraTime(w.updated, timeZone),
    started: formatJiraTime(w.started, timeZone),
    timeSpent: timeSpent(w.timeSpentSeconds),
    timeSpentSeconds: w.timeSpentSeconds,
    id: String(w.id),
    issueId: String(issue.id),
    ...(withProperties ? { properties: [...w.properties].map(([key, value]) => ({ key, value })) } : {}),
  };
}

/** A changelog history; null from/to values are left out (the spec types them as plain strings). */
export function changeBean(site: SiteData, c: SimChange, timeZone: string) {
  return {
    id: String(c.id),
    author: userDetails(site, c.authorId),
    created: formatJiraTime(c.created, timeZone),
    items: c.items.map((item) => {
      const entries: Array<[string, string]> = [['field', item.field], ['fieldtype', item.fieldtype]];
      if (item.fieldId !== undefined) entries.push(['fieldId', item.fieldId]);
      if (item.from !== null) entries.push(['from', item.from]);
      if (item.fromString !== null) entries.push(['fromString', item.fromString]);
      if (item.to !== null) entries.push(['to', item.to]);
      if (item.toString !== null) entries.push(['toString', item.toString]);
      return Object.fromEntries(entries);
    }),
  };
}

export function attachmentBean(site: SiteData, a: SimAttachment, timeZone: string) {
  return {
    self: `${site.baseUrl}/rest/api/3/attachment/${a.id}`,
    id: String(a.id),
    filename: a.filename,
    author: userDetails(site, a.authorId),
    created: formatJiraTime(a.created, timeZone),
    size: a.size,
    mimeType: a.mimeType,
    content: `${site.baseUrl}/rest/api/3/attachment/content/${a.id}`,
    ...(a.mimeType.startsWith('image/') ? { thumbnail: `${site.baseUrl}/rest/api/3/attachment/thumbnail/${a.id}` } : {}),
  };
}

function issueRef(site: SiteData, id: number) {
  const other = site.issues.get(id);
  if (!other) return { id: String(id) };
  const status = site.statuses.find((s) => s.id === other.statusId)!;
  const type = site.issueTypes.find((t) => t.id === other.issueTypeId)!;
  const priority = site.priorities.find((p) => p.id === other.priorityId);
  return {
    id: String(other.id),
    key: other.key,
    self: issueSelf(site, other),
    fields: {
      summary: other.summary,
      status: statusDetails(site, status),
      ...(priority ? { priority: priorityBean(site, priority) } : {}),
      issuetype: issueTypeDetails(site, type),
    },
  };
}

function customValue(o: RenderOptions, issue: SimIssue, fieldId: string): unknown {
  const site = o.site;
  const field = site.customFields.find((f) => f.id === fieldId)!;
  const raw = issue.custom[fieldId];
  if (raw === undefined || raw === null) return null;
  const option = (id: unknown) => {
    const opt = field.options.find((x) => x.id === id);
    return opt ? { self: `${site.baseUrl}/rest/api/3/customFieldOption/${opt.id}`, value: opt.value, id: String(opt.id) } : null;
  };
  switch (field.kind) {
    case 'select': return option(raw);
    case 'multiselect': return (raw as unknown[]).map(option).filter((x) => x !== null);
    case 'user': return userDetails(site, raw as string);
    case 'textarea': return toAdf(raw as string);
    case 'datetime': return time(o, raw as number);
    case 'sprint':
      return (raw as number[]).map((id) => site.sprints.find((s) => s.id === id)).filter((s) => s !== undefined).map((s) => ({
        id: s.id, name: s.name, state: s.state, boardId: s.boardId, goal: s.goal,
        ...(s.startDate !== undefined ? { startDate: new Date(s.startDate).toISOString() } : {}),
        ...(s.endDate !== undefined ? { endDate: new Date(s.endDate).toISOString() } : {}),
        ...(s.completeDate !== undefined ? { completeDate: new Date(s.completeDate).toISOString() } : {}),
      }));
    default: return raw;
  }
}

function fieldValue(o: RenderOptions, issue: SimIssue, fieldId: string): unknown {
  const site = o.site;
  const project = site.projects.find((p) => p.id === issue.projectId);
  switch (fieldId) {
    case 'summary': return issue.summary;
    case 'description': return issue.description === null ? null : toAdf(issue.description);
    case 'environment': return issue.environment === null ? null : toAdf(issue.environment);
    case 'issuetype': {
      const t = site.issueTypes.find((x) => x.id === issue.issueTypeId);
      return t ? issueTypeDetails(site, t) : null;
    }
    case 'project': return project ? projectRef(site, project) : null;
    case 'status': {
      const s = site.statuses.find((x) => x.id === issue.statusId);
      return s ? statusDetails(site, s) : null;
    }
    case 'priority': {
      const p = site.priorities.find((x) => x.id === issue.priorityId);
      return p ? priorityBean(site, p) : null;
    }
    case 'resolution': {
      const r = issue.resolutionId === null ? undefined : site.resolutions.find((x) => x.id === issue.resolutionId);
      return r ? resolutionBean(site, r) : null;
    }
    case 'resolutiondate': return issue.resolutionDate === null ? null : time(o, issue.resolutionDate);
    case 'created': return time(o, issue.created);
    case 'updated': return time(o, issue.updated);
    case 'duedate': return issue.dueDate;
    case 'labels': return issue.labels;
    case 'components': return issue.componentIds.map((id) => project?.components.find((c) => c.id === id)).filter((c) => c !== undefined).map((c) => componentRef(site, c));
    case 'fixVersions': case 'versions': {
      const ids = fieldId === 'fixVersions' ? issue.fixVersionIds : issue.affectsVersionIds;
      return ids.map((id) => project?.versions.find((v) => v.id === id)).filter((v) => v !== undefined).map((v) => versionBean(site, project!, v));
    }
    case 'reporter': return issue.reporterId === null ? null : userDetails(site, issue.reporterId);
    case 'assignee': return issue.assigneeId === null ? null : userDetails(site, issue.assigneeId);
    case 'creator': return userDetails(site, issue.creatorId);
    case 'parent': return issue.parentId === null ? undefined : issueRef(site, issue.parentId);
    case 'issuelinks':
      return linksOf(o, issue.id).map((l) => {
        const type = site.linkTypes.find((t) => t.id === l.typeId)!;
        const outward = l.inwardIssueId === issue.id;
        return {
          id: String(l.id),
          self: `${site.baseUrl}/rest/api/3/issueLink/${l.id}`,
          type: { id: String(type.id), name: type.name, inward: type.inward, outward: type.outward, self: `${site.baseUrl}/rest/api/3/issueLinkType/${type.id}` },
          ...(outward ? { outwardIssue: issueRef(site, l.outwardIssueId) } : { inwardIssue: issueRef(site, l.inwardIssueId) }),
        };
      });
    case 'attachment':
      return issue.attachmentIds.map((id) => site.attachments.get(id)).filter((a) => a !== undefined).map((a) => attachmentBean(site, a, o.timeZone));
    case 'comment': {
      const all = issue.comments;
      return {
        comments: all.slice(0, EMBEDDED_COMMENT_LIMIT).map((c) => commentBean(site, issue, c, o.timeZone)),
        self: `${issueSelf(site, issue)}/comment`,
        maxResults: EMBEDDED_COMMENT_LIMIT,
        total: all.length,
        startAt: 0,
      };
    }
    case 'worklog': {
      const all = issue.worklogs;
      return { startAt: 0, maxResults: EMBEDDED_WORKLOG_LIMIT, total: all.length, worklogs: all.slice(0, EMBEDDED_WORKLOG_LIMIT).map((w) => worklogBean(site, issue, w, o.timeZone)) };
    }
    case 'watches': return { self: `${issueSelf(site, issue)}/watchers`, watchCount: issue.watcherIds.length, isWatching: false };
    case 'votes': return { self: `${issueSelf(site, issue)}/votes`, votes: issue.voterIds.length, hasVoted: false };
    case 'subtasks': return subtasksOf(o, issue.id).map((id) => issueRef(site, id));
    default:
      return fieldId.startsWith('customfield_') ? customValue(o, issue, fieldId) : undefined;
  }
}

export function issueBean(o: RenderOptions, issue: SimIssue): Record<string, unknown> {
  const site = o.site;
  if (o.fields.idsOnly && o.expand.size === 0 && o.properties.length === 0) {
    return o.withKey ? { id: String(issue.id), key: issue.key } : { id: String(issue.id) };
  }
  const bean: Record<string, unknown> = {
    expand: 'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations',
    id: String(issue.id),
    self: issueSelf(site, issue),
    key: issue.key,
  };
  if (!o.fields.idsOnly) {
    const fields: Record<string, unknown> = {};
    for (const id of o.fields.fieldIds) {
      const value = fieldValue(o, issue, id);
      if (value !== undefined) fields[id] = value;
    }
    bean.fields = fields;
  }
  if (o.expand.has('renderedfields')) {
    bean.renderedFields = {
      description: issue.description === null ? null : `<p>${escapeHtml(adfText(toAdf(issue.description))).replace(/\n/g, '<br/>')}</p>`,
      created: time(o, issue.created),
      updated: time(o, issue.updated),
    };
  }
  if (o.expand.has('names') || o.expand.has('schema')) {
    const fields = allFields(site).filter((f) => o.fields.fieldIds.includes(f.id));
    if (o.expand.has('names')) bean.names = Object.fromEntries(fields.map((f) => [f.id, f.name]));
    if (o.expand.has('schema')) bean.schema = Object.fromEntries(fields.map((f) => [f.id, f.schema]));
  }
  if (o.expand.has('changelog')) {
    const histories = issue.changelog;
    bean.changelog = {
      startAt: 0,
      maxResults: Math.min(EMBEDDED_CHANGELOG_LIMIT, histories.length),
      total: histories.length,
      histories: histories.slice(0, EMBEDDED_CHANGELOG_LIMIT).map((c) => changeBean(site, c, o.timeZone)),
    };
  }
  if (o.expand.has('transitions')) {
    const project = site.projects.find((p) => p.id === issue.projectId);
    const workflow = (project?.style === 'next-gen' ? site.workflows.find((w) => w.name === `Team workflow ${project.key}`) : undefined) ?? site.workflows[0];
    bean.transitions = workflow.transitions
      .filter((t) => t.fromStatusIds.length === 0 || t.fromStatusIds.includes(issue.statusId))
      .map((t) => ({ id: String(t.id), name: t.name, to: statusDetails(site, site.statuses.find((s) => s.id === t.toStatusId)!), hasScreen: false, isGlobal: t.fromStatusIds.length === 0, isInitial: false, isAvailable: true, isConditional: false, looped: false }));
  }
  if (o.expand.has('operations')) bean.operations = { linkGroups: [] };
  if (o.expand.has('editmeta')) bean.editmeta = { fields: {} };
  if (o.properties.length > 0) {
    const wanted = o.properties.includes('*all') ? [...issue.properties.keys()] : o.properties;
    bean.properties = Object.fromEntries(wanted.filter((k) => issue.properties.has(k)).map((k) => [k, issue.properties.get(k)]));
  }
  return bean;
}
