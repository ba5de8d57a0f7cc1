/** Per-issue reads: the issue, its comments, worklogs, changelog, remote links, watchers, votes, properties, transitions. */
import { badRequest, notFound } from '../http/errors';
import type { Route } from '../http/types';
import { selectFields } from '../render/fields';
import { changeBean, commentBean, issueBean, worklogBean } from '../render/issue';
import { listParam, pageBean, pageRequest } from '../render/paging';
import { userBean, userDetails } from '../render/users';
import { statusDetails } from '../render/config';
import type { SimIssue, SiteData } from '../model';
import { expandSet, issueOr404 } from './lookup';

const P = '/rest/api/3/issue/{issueIdOrKey}';

export function remoteLinkBean(site: SiteData, issue: SimIssue, link: SimIssue['remoteLinks'][number]) {
  return {
    id: link.id,
    self: `${site.baseUrl}/rest/api/3/issue/${issue.id}/remotelink/${link.id}`,
    ...(link.globalId !== undefined ? { globalId: link.globalId } : {}),
    ...(link.application ? { application: link.application } : {}),
    ...(link.relationship !== undefined ? { relationship: link.relationship } : {}),
    object: link.object,
  };
}

/** The workflow of an issue: the team-managed project's own, else the shared company-managed one. */
export function workflowOf(site: SiteData, issue: SimIssue) {
  const project = site.projects.find((p) => p.id === issue.projectId);
  const own = project?.style === 'next-gen' ? site.workflows.find((w) => w.name === `Team workflow ${project.key}`) : undefined;
  return own ?? site.workflows[0];
}

export function availableTransitions(site: SiteData, issue: SimIssue) {
  return workflowOf(site, issue).transitions.filter((t) => t.fromStatusIds.length === 0 || t.fromStatusIds.includes(issue.statusId));
}

export const issueReadRoutes: Route[] = [
  {
    method: 'GET', template: P, spec: 'platform',
    handler: (ctx) => {
      const issue = issueOr404(ctx.site, ctx.params.issueIdOrKey);
      const bean = issueBean({
        site: ctx.site, timeZone: ctx.timeZone, fields: selectFields(ctx.site, listParam(ctx, 'fields'), ['*all']),
        expand: expandSet(ctx.query.get('expand')), properties: listParam(ctx, 'properties') ?? [],
      }, issue);
      return { status: 200, json: bean, objects: 1 };
    },
  },
  {
    method: 'GET', template: `${P}/comment`, spec: 'platform',
    handler: (ctx) => {
      const issue = issueOr404(ctx.site, ctx.params.issueIdOrKey);
      const page = pageRequest(ctx, 100, 100);
      const orderBy = ctx.query.get('orderBy') ?? 'created';
      if (!['created', '+created', '-created'].includes(orderBy)) throw badRequest(`orderBy must be created, +created or -created, got '${orderBy}'.`);
      const all = orderBy === '-created' ? [...issue.comments].reverse() : issue.comments;
      const withProperties = expandSet(ctx.query.get('expand')).has('properties');
      const values = all.slice(page.startAt, page.startAt + page.maxResults).map((c) => commentBean(ctx.site, issue, c, ctx.timeZone, withProperties));
      return { status: 200, json: { startAt: page.startAt, maxResults: page.maxResults, total: all.length, comments: values }, objects: values.length };
    },
  },
  {
    method: 'GET', template: `${P}/comment/{id}`, spec: 'platform',
    handler: (ctx) => {
      const issue = issueOr404(ctx.site, ctx.params.issueIdOrKey);
      const comment = issue.comments.find((c) => String(c.id) === ctx.params.id);
      if (!comment) throw notFound(`Can not find a comment for the id: ${ctx.params.id}.`);
      return { status: 200, json: commentBean(ctx.site, issue, comment, ctx.timeZone, expandSet(ctx.query.get('expand')).has('properties')), objects: 1 };
    },
  },
  {
    method: 'GET', template: `${P}/worklog`, spec: 'platform',
    handler: (ctx) => {
      const issue = issueOr404(ctx.site, ctx.params.issueIdOrKey);
      const page = pageRequest(ctx, 5000, 5000);
      const after = ctx.query.get('startedAfter');
      const before = ctx.query.get('startedBefore');
      const all = issue.worklogs.filter((w) => (after === null || w.started >= Number(after)) && (before === null || w.started < Number(before)));
      const withProperties = expandSet(ctx.query.get('expand')).has('properties');
      const values = all.slice(page.startAt, page.startAt + page.maxResults).map((w) => worklogBean(ctx.site, issue, w, ctx.timeZone, withProperties));
      return { status: 200, json: { startAt: page.startAt, maxResults: page.maxResults, total: all.length, worklogs: values }, objects: values.length };
    },
  },
  {
    method: 'GET', template: `${P}/worklog/{id}`, spec: 'platform',
    handler: (ctx) => {
      const issue = issueOr404(ctx.site, ctx.params.issueIdOrKey);
      const worklog = issue.worklogs.find((w) => String(w.id) === ctx.params.id);
      if (!worklog) throw notFound(`Cannot find worklog with id: '${ctx.params.id}'.`);
      return { status: 200, json: worklogBean(ctx.site, issue, worklog, ctx.timeZone, true), objects: 1 };
    },
  },
  {
    method: 'GET', template: `${P}/changelog`, spec: 'platform',
    handler: (ctx) => {
      const issue = issueOr404(ctx.site, ctx.params.issueIdOrKey);
      const page = pageRequest(ctx, 100, 100);
      const bean = pageBean(ctx, issue.changelog.map((c) => c), page);
      const values = bean.values.map((c) => changeBean(ctx.site, c, ctx.timeZone));
      return { status: 200, json: { ...bean, values }, objects: values.length };
    },
  },
  {
    method: 'GET', template: `${P}/remotelink`, spec: 'platform',
    handler: (ctx) => {
      const issue = issueOr404(ctx.site, ctx.params.issueIdOrKey);
      const globalId = ctx.query.get('globalId');
      const links = issue.remoteLinks.filter((l) => globalId === null || l.globalId === globalId).map((l) => remoteLinkBean(ctx.site, issue, l));
      if (globalId !== null) {
        if (links.length === 0) throw notFound(`No remote link with globalId '${globalId}' on this issue.`);
        return { status: 200, json: links[0], objects: 1 };
      }
      return { status: 200, json: links, objects: links.length };
    },
  },
  {
    method: 'GET', template: `${P}/remotelink/{linkId}`, spec: 'platform',
    handler: (ctx) => {
      const issue = issueOr404(ctx.site, ctx.params.issueIdOrKey);
      const link = issue.remoteLinks.find((l) => String(l.id) === ctx.params.linkId);
      if (!link) throw notFound(`No remote link with id ${ctx.params.linkId} on this issue.`);
      return { status: 200, json: remoteLinkBean(ctx.site, issue, link), objects: 1 };
    },
  },
  {
    method: 'GET', template: `${P}/watchers`, spec: 'platform', pointsPerObject: 2,
    handler: (ctx) => {
      const issue = issueOr404(ctx.site, ctx.params.issueIdOrKey);
      return {
        status: 200,
        json: {
          self: `${ctx.baseUrl}/rest/api/3/issue/${issue.id}/watchers`,
          isWatching: issue.watcherIds.includes(ctx.caller.accountId),
          watchCount: issue.watcherIds.length,
          watchers: issue.watcherIds.map((id) => userDetails(ctx.site, id)),
        },
        objects: issue.watcherIds.length,
      };
    },
  },
  {
    method: 'GET', template: `${P}/votes`, spec: 'platform', pointsPerObject: 2,
    handler: (ctx) => {
      const issue = issueOr404(ctx.site, ctx.params.issueIdOrKey);
      return {
        status: 200,
        json: {
          self: `${ctx.baseUrl}/rest/api/3/issue/${issue.id}/votes`,
          votes: issue.voterIds.length,
          hasVoted: issue.voterIds.includes(ctx.caller.accountId),
          voters: issue.voterIds.map((id) => userBean(ctx.site, id)),
        },
        objects: issue.voterIds.length,
      };
    },
  },
  {
    method: 'GET', template: `${P}/properties`, spec: 'platform',
    handler: (ctx) => {
      const issue = issueOr404(ctx.site, ctx.params.issueIdOrKey);
      const keys = [...issue.properties.keys()].map((key) => ({ self: `${ctx.baseUrl}/rest/api/3/issue/${issue.id}/properties/${encodeURIComponent(key)}`, key }));
      return { status: 200, json: { keys }, objects: keys.length };
    },
  },
  {
    method: 'GET', template: `${P}/properties/{propertyKey}`, spec: 'platform',
    handler: (ctx) => {
      const issue = issueOr404(ctx.site, ctx.params.issueIdOrKey);
      const key = ctx.params.propertyKey;
      if (!issue.properties.has(key)) throw notFound(`The property with key '${key}' does not exist.`);
      return { status: 200, json: { key, value: issue.properties.get(key) }, objects: 1 };
    },
  },
  {
    method: 'GET', template: `${P}/transitions`, spec: 'platform',
    handler: (ctx) => {
      const issue = issueOr404(ctx.site, ctx.params.issueIdOrKey);
      const withFields = expandSet(ctx.query.get('expand')).has('transitions.fields');
      const transitions = availableTransitions(ctx.site, issue).map((t) => ({
        id: String(t.id),
        name: t.name,
        to: statusDetails(ctx.site, ctx.site.statuses.find((s) => s.id === t.toStatusId)!),
        hasScreen: false,
        isGlobal: t.fromStatusIds.length === 0,
        isInitial: false,
        isAvailable: true,
        isConditional: false,
        looped: false,
        // expand=transitions.fields: no transition screens in the simulator, so no fields are required.
        ...(withFields ? { fields: {} } : {}),
      }));
      return { status: 200, json: { expand: 'transitions', transitions }, objects: transitions.length };
    },
  },
];

