/** Representations of configuration objects: statuses, issue types, priorities, projects, components, versions, fields… */
import type {
  SimComponent, SimCustomField, SimIssueType, SimNamed, SimProject, SimStatus, SimVersion, SiteData,
} from '../model';
import { userBean } from './users';
import { avatarUrls } from './users';

const CATEGORY = {
  TODO: { id: 2, key: 'new', colorName: 'blue-gray', name: 'To Do' },
  IN_PROGRESS: { id: 4, key: 'indeterminate', colorName: 'yellow', name: 'In Progress' },
  DONE: { id: 3, key: 'done', colorName: 'green', name: 'Done' },
} as const;

export function statusCategory(site: SiteData, status: SimStatus) {
  const c = CATEGORY[status.category];
  return { self: `${site.baseUrl}/rest/api/3/statuscategory/${c.id}`, id: c.id, key: c.key, colorName: c.colorName, name: c.name };
}

/** StatusDetails, as embedded in issues and transitions. */
export function statusDetails(site: SiteData, status: SimStatus) {
  return {
    self: `${site.baseUrl}/rest/api/3/status/${status.id}`,
    description: status.description,
    iconUrl: `${site.baseUrl}/images/icons/statuses/generic.png`,
    name: status.name,
    id: String(status.id),
    statusCategory: statusCategory(site, status),
  };
}

export function issueTypeDetails(site: SiteData, t: SimIssueType) {
  return {
    self: `${site.baseUrl}/rest/api/3/issuetype/${t.id}`,
    id: String(t.id),
    description: t.description,
    iconUrl: `${site.baseUrl}/rest/api/2/universal_avatar/view/type/issuetype/avatar/${t.id}`,
    name: t.name,
    subtask: t.subtask,
    avatarId: 10300 + (t.id % 20),
    hierarchyLevel: t.hierarchyLevel,
    ...(t.projectId !== undefined ? { entityId: `00000000-0000-4000-8000-${String(t.id).padStart(12, '0')}`, scope: { type: 'PROJECT', project: { id: String(t.projectId) } } } : {}),
  };
}

export function priorityBean(site: SiteData, p: SimNamed) {
  return {
    self: `${site.baseUrl}/rest/api/3/priority/${p.id}`,
    statusColor: ['#d04437', '#f15C75', '#f79232', '#707070', '#999999'][(p.id - 1) % 5],
    description: p.description,
    iconUrl: `${site.baseUrl}/images/icons/priorities/${p.name.toLowerCase()}.svg`,
    name: p.name,
    id: String(p.id),
    isDefault: p.id === 3,
  };
}

export function resolutionBean(site: SiteData, r: SimNamed) {
  return { self: `${site.baseUrl}/rest/api/3/resolution/${r.id}`, id: String(r.id), description: r.description, name: r.name, default: false };
}

export function componentRef(site: SiteData, c: SimComponent) {
  return { self: `${site.baseUrl}/rest/api/3/component/${c.id}`, id: String(c.id), name: c.name, description: c.description };
}

export function componentWithIssueCount(site: SiteData, project: SimProject, c: SimComponent, issueCount: number) {
  const lead = c.leadAccountId ? userBean(site, c.leadAccountId) : undefined;
  return {
    self: `${site.baseUrl}/rest/api/3/component/${c.id}`,
    id: String(c.id),
    name: c.name,
    description: c.description,
    ...(lead ? { lead } : {}),
    assigneeType: c.assigneeType,
    realAssigneeType: c.assigneeType,
    isAssigneeTypeValid: true,
    project: project.key,
    projectId: project.id,
    issueCount,
  };
}

export function versionBean(site: SiteData, project: SimProject, v: SimVersion) {
  return {
    self: `${site.baseUrl}/rest/api/3/version/${v.id}`,
    id: String(v.id),
    name: v.name,
    description: v.description,
    archived: v.archived,
    released: v.released,
    ...(v.startDate ? { startDate: v.startDate } : {}),
    ...(v.releaseDate ? { releaseDate: v.releaseDate } : {}),
    overdue: false,
    projectId: project.id,
  };
}

/** A compact project reference, as embedded in issues. */
export function projectRef(site: SiteData, p: SimProject) {
  return {
    self: `${site.baseUrl}/rest/api/3/project/${p.id}`,
    id: String(p.id),
    key: p.key,
    name: p.name,
    projectTypeKey: p.projectTypeKey,
    simplified: p.style === 'next-gen',
    avatarUrls: avatarUrls(`project-${p.id}`),
  };
}

export function projectBean(site: SiteData, p: SimProject, expand: Set<string>) {
  return {
    expand: 'description,lead,issueTypes,url,projectKeys,permissions,insight',
    ...projectRef(site, p),
    style: p.style,
    isPrivate: false,
    properties: {},
    ...(expand.has('description') ? { description: p.description } : {}),
    ...(expand.has('lead') ? { lead: userBean(site, p.leadAccountId) } : {}),
    ...(expand.has('issuetypes') ? { issueTypes: p.issueTypeIds.map((id) => issueTypeDetails(site, site.issueTypes.find((t) => t.id === id)!)) } : {}),
    ...(expand.has('url') ? { url: '' } : {}),
  };
}

export function fieldSchema(f: SimCustomField) {
  const custom = (type: string, key: string, items?: string) => ({ type, ...(items ? { items } : {}), custom: `com.atlassian.jira.plugin.system.customfieldtypes:${key}`, customId: Number(f.id.replace('customfield_', '')) });
  switch (f.kind) {
    case 'text': return custom('string', 'textfield');
    case 'textarea': return custom('string', 'textarea');
    case 'number': return custom('number', 'float');
    case 'select': return custom('option', 'select');
    case 'multiselect': return custom('array', 'multiselect', 'option');
    case 'user': return custom('user', 'userpicker');
    case 'date': return custom('date', 'datepicker');
    case 'datetime': return custom('datetime', 'datetime');
    case 'labels': return custom('array', 'labels', 'string');
    case 'sprint': return { type: 'array', items: 'json', custom: 'com.pyxis.greenhopper.jira:gh-sprint', customId: Number(f.id.replace('customfield_', '')) };
    case 'rank': return { type: 'any', custom: 'com.pyxis.greenhopper.jira:gh-lexo-rank', customId: Number(f.id.replace('customfield_', '')) };
  }
}
