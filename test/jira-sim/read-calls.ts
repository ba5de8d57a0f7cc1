/**
 * Representative calls to every read route of the simulator, with the parameters the app uses.
 * The contract test sends each, then validates the response against the spec.
 */
import type { SiteData } from '../../local/jira-sim/model';

export interface Call {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
}

const enc = encodeURIComponent;

export function readCalls(site: SiteData): Call[] {
  const issues = [...site.issues.values()];
  const withComments = issues.find((i) => i.comments.length > 100)!;
  const withWorklogs = issues.find((i) => i.worklogs.length > 20)!;
  const withRemote = issues.find((i) => i.remoteLinks.length > 0)!;
  const withProps = issues.find((i) => i.properties.size > 0)!;
  const propComment = issues.flatMap((i) => i.comments).find((c) => c.properties.size > 0)!;
  const worklogOwner = issues.find((i) => i.worklogs.some((w) => w.properties.size > 0))!;
  const propWorklog = worklogOwner.worklogs.find((w) => w.properties.size > 0)!;
  const project = site.projects[0];
  const field = site.customFields.find((f) => f.kind === 'select')!;
  const board = site.boards.find((b) => b.type === 'scrum')!;
  const sprint = site.sprints.find((s) => s.boardId === board.id)!;
  const attachment = [...site.attachments.values()][0];
  const jql = `project = ${project.key} ORDER BY id ASC`;
  return [
    { method: 'GET', path: `/rest/api/3/search/jql?jql=${enc(jql)}&maxResults=10` },
    { method: 'GET', path: `/rest/api/3/search/jql?jql=${enc(jql)}&maxResults=5&fields=*all&expand=names,schema,changelog,renderedFields,transitions&properties=sim.issue.meta` },
    { method: 'POST', path: '/rest/api/3/search/jql', body: { jql: `project in (${site.projects.map((p) => p.key).join(',')}) AND updated >= "2025/01/01 00:00" ORDER BY updated ASC`, maxResults: 20, fields: ['summary', 'updated', 'comment', 'worklog', 'attachment', 'issuelinks', 'customfield_10020'] } },
    { method: 'POST', path: '/rest/api/3/search/approximate-count', body: { jql: `project = ${project.key}` } },
    { method: 'POST', path: '/rest/api/3/issue/bulkfetch', body: { issueIdsOrKeys: issues.slice(0, 20).map((i) => String(i.id)).concat(['NOPE-1']), fields: ['*all'], expand: ['names', 'schema', 'changelog'], properties: ['*all'] } },
    { method: 'POST', path: '/rest/api/3/changelog/bulkfetch', body: { issueIdsOrKeys: issues.slice(0, 10).map((i) => i.key), maxResults: 50 } },
    { method: 'GET', path: `/rest/api/3/issue/${withComments.key}?expand=changelog,renderedFields,names,schema,operations,editmeta&properties=*all` },
    { method: 'GET', path: `/rest/api/3/issue/${withComments.id}/comment?startAt=100&maxResults=100&orderBy=created&expand=properties` },
    { method: 'GET', path: `/rest/api/3/issue/${withComments.id}/comment/${withComments.comments[0].id}` },
    { method: 'GET', path: `/rest/api/3/issue/${withWorklogs.id}/worklog?startAt=0&maxResults=5000&expand=properties` },
    { method: 'GET', path: `/rest/api/3/issue/${withWorklogs.id}/worklog/${withWorklogs.worklogs[0].id}` },
    { method: 'GET', path: `/rest/api/3/issue/${withComments.id}/changelog?startAt=0&maxResults=100` },
    { method: 'GET', path: `/rest/api/3/issue/${withRemote.id}/remotelink` },
    { method: 'GET', path: `/rest/api/3/issue/${withRemote.id}/remotelink/${withRemote.remoteLinks[0].id}` },
    { method: 'GET', path: `/rest/api/3/issue/${withComments.id}/watchers` },
    { method: 'GET', path: `/rest/api/3/issue/${withComments.id}/votes` },
    { method: 'GET', path: `/rest/api/3/issue/${withProps.id}/properties` },
    { method: 'GET', path: `/rest/api/3/issue/${withProps.id}/properties/${enc([...withProps.properties.keys()][0])}` },
    { method: 'GET', path: `/rest/api/3/issue/${withComments.id}/transitions?expand=transitions.fields` },
    { method: 'GET', path: `/rest/api/3/issue/createmeta/${project.key}/issuetypes` },
    { method: 'GET', path: `/rest/api/3/issue/createmeta/${project.key}/issuetypes/${project.issueTypeIds[1]}` },
    { method: 'GET', path: `/rest/api/3/issue/createmeta/${site.projects[1].key}/issuetypes/${site.projects[1].issueTypeIds[2]}` },
    { method: 'GET', path: `/rest/api/3/issueLink/${site.links[0].id}` },
    { method: 'GET', path: '/rest/api/3/worklog/updated?since=0' },
    { method: 'GET', path: '/rest/api/3/worklog/deleted?since=0' },
    { method: 'POST', path: '/rest/api/3/worklog/list?expand=properties', body: { ids: withWorklogs.worklogs.slice(0, 5).map((w) => w.id) } },
    { method: 'POST', path: '/rest/api/3/comment/list?expand=properties', body: { ids: withComments.comments.slice(0, 5).map((c) => c.id) } },
    { method: 'GET', path: `/rest/api/3/comment/${propComment.id}/properties` },
    { method: 'GET', path: `/rest/api/3/comment/${propComment.id}/properties/${enc([...propComment.properties.keys()][0])}` },
    { method: 'GET', path: `/rest/api/3/issue/${worklogOwner.key}/worklog/${propWorklog.id}/properties` },
    { method: 'GET', path: `/rest/api/3/issue/${worklogOwner.key}/worklog/${propWorklog.id}/properties/sim.worklog` },
    { method: 'GET', path: '/rest/api/3/attachment/meta' },
    { method: 'GET', path: `/rest/api/3/attachment/${attachment.id}` },
    { method: 'GET', path: `/rest/api/3/attachment/content/${attachment.id}?redirect=false`, headers: { range: 'bytes=0-99' } },
    { method: 'GET', path: `/rest/api/3/attachment/content/${attachment.id}` },
    { method: 'GET', path: '/rest/api/3/project/search?expand=description,lead,issueTypes&maxResults=100' },
    { method: 'GET', path: `/rest/api/3/project/${project.key}` },
    { method: 'GET', path: `/rest/api/3/project/${project.key}/component` },
    { method: 'GET', path: `/rest/api/3/project/${project.key}/version` },
    { method: 'GET', path: `/rest/api/3/project/${project.key}/versions` },
    { method: 'GET', path: `/rest/api/3/project/${project.key}/role` },
    { method: 'GET', path: `/rest/api/3/project/${project.key}/role/${project.roles[1].id}` },
    { method: 'GET', path: `/rest/api/3/project/${project.key}/properties` },
    { method: 'GET', path: `/rest/api/3/project/${project.key}/properties/${enc([...project.properties.keys()][0])}` },
    { method: 'GET', path: '/rest/api/3/issuetype' },
    { method: 'GET', path: '/rest/api/3/statuses/search' },
    { method: 'GET', path: '/rest/api/3/workflows/search?expand=values.transitions' },
    { method: 'GET', path: '/rest/api/3/workflowscheme' },
    { method: 'GET', path: '/rest/api/3/field' },
    { method: 'GET', path: `/rest/api/3/field/${field.id}/context` },
    { method: 'GET', path: `/rest/api/3/field/${field.id}/context/${field.contextId}/option` },
    { method: 'GET', path: '/rest/api/3/priority/search' },
    { method: 'GET', path: '/rest/api/3/resolution/search' },
    { method: 'GET', path: '/rest/api/3/issueLinkType' },
    { method: 'GET', path: '/rest/api/3/users/search?startAt=0&maxResults=1000' },
    { method: 'GET', path: '/rest/api/3/group/bulk' },
    { method: 'GET', path: `/rest/api/3/group/member?groupId=${site.groups[1].groupId}&includeInactiveUsers=true` },
    { method: 'GET', path: '/rest/api/3/filter/search?expand=description,jql,owner,sharePermissions,favourite&overrideSharePermissions=true' },
    { method: 'GET', path: '/rest/api/3/dashboard/search?expand=owner,sharePermissions' },
    { method: 'GET', path: '/rest/api/3/myself' },
    { method: 'GET', path: '/rest/api/3/mypermissions?permissions=ADMINISTER,BROWSE_PROJECTS' },
    { method: 'GET', path: '/rest/api/3/serverInfo' },
    { method: 'GET', path: '/rest/agile/1.0/board' },
    { method: 'GET', path: `/rest/agile/1.0/board/${board.id}/configuration` },
    { method: 'GET', path: `/rest/agile/1.0/board/${board.id}/sprint` },
    { method: 'GET', path: `/rest/agile/1.0/sprint/${sprint.id}` },
    { method: 'GET', path: `/rest/agile/1.0/sprint/${sprint.id}/issue?fields=summary,customfield_10020` },
    // Error responses are part of the contract too.
    { method: 'GET', path: `/rest/api/3/search/jql?jql=${enc('nonsense = 1')}` },
    { method: 'GET', path: '/rest/api/3/issue/NOPE-999' },
  ];
}
