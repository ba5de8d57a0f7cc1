/** Issue writes for restore: create (one and bulk of 50), edit, transition, delete, and the issue's sub-objects. */
import { JiraHttpError, badRequest, forbidden, notFound } from '../http/errors';
import type { Route, RouteContext, SimReply } from '../http/types';
import type { RichText, SimIssue, SiteData } from '../model';
import { SimIssue as SimIssueClass } from '../model';
import { mix32 } from '../random';
import { nextId, recordChange, deleteIssue, recordWorklogDeletion, touch } from '../mutations';
import { attachmentBean, commentBean, worklogBean } from '../render/issue';
import { isAdfDocument } from '../render/adf';
import { parseMultipart } from '../http/multipart';
import { parseJiraTime } from '../time';
import { applyFields, applyUpdate, resolveProjectAndType } from './issue-fields';
import { availableTransitions } from './issue-read';
import { createScreenFields } from './createmeta';
import { findIssue, issueOr404 } from './lookup';

const P = '/rest/api/3/issue/{issueIdOrKey}';
const MAX_BULK_CREATE = 50;

type Body = Record<string, unknown>;

function bodyObject(ctx: RouteContext): Body {
  const body = ctx.json<unknown>();
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw badRequest('The request body must be a JSON object.');
  return body as Body;
}

function adfOr400(value: unknown, field: string): RichText {
  if (!isAdfDocument(value)) throw badRequest('', { [field]: 'Comment body must be an Atlassian Document (see the Atlassian Document Format).' });
  return value;
}

/** Creates one issue from an IssueUpdateDetails payload; returns the issue or Jira's field errors. */
function createOne(ctx: RouteContext, payload: unknown): { issue?: SimIssue; errors: Record<string, string>; messages: string[] } {
  const site = ctx.site;
  const body = (payload && typeof payload === 'object' ? payload : {}) as Body;
  const fields = (body.fields && typeof body.fields === 'object' ? body.fields : {}) as Body;
  const resolved = resolveProjectAndType(site, fields);
  if (!resolved.project || resolved.issueTypeId === undefined) return { errors: resolved.errors, messages: [] };
  const { project, issueTypeId } = resolved;
  if (fields.summary === undefined) return { errors: { summary: 'You must specify a summary of the issue.' }, messages: [] };
  const type = site.issueTypes.find((t) => t.id === issueTypeId)!;
  if (type.subtask && fields.parent === undefined) return { errors: { parent: 'Given parent issue does not exist.' }, messages: [] };
  const draft = new SimIssueClass({
    id: 0, key: '', projectId: project.id, issueTypeId, statusId: site.statuses[0].id, priorityId: 3, resolutionId: null,
    summary: '', description: null, environment: null, reporterId: ctx.caller.accountId, assigneeId: null, creatorId: ctx.caller.accountId,
    created: ctx.now, updated: ctx.now, resolutionDate: null, dueDate: null, labels: [], componentIds: [], fixVersionIds: [], affectsVersionIds: [],
    parentId: null, custom: {}, attachmentIds: [],
  });
  // Fields that are not on the project's create screen are refused, as Jira does.
  const onScreen = new Set(createScreenFields(site, project, type).map((f) => f.id));
  const offScreen = Object.keys(fields).filter((id) => !onScreen.has(id));
  if (offScreen.length > 0) {
    return { errors: Object.fromEntries(offScreen.map((id) => [id, `Field '${id}' cannot be set. It is not on the appropriate screen, or unknown.`])), messages: [] };
  }
  const result = applyFields(site, draft, fields, project);
  if (body.update && typeof body.update === 'object') Object.assign(result.errors, applyUpdate(site, draft, body.update as Body, project).errors);
  let transitionTo: number | undefined;
  const transition = body.transition as { id?: unknown } | undefined;
  if (transition) {
    const t = availableTransitions(site, draft).find((x) => String(x.id) === String(transition.id));
    if (!t) result.errors.transition = `Transition id '${String(transition.id)}' is not valid for this issue.`;
    else transitionTo = t.toStatusId;
  }
  if (Object.keys(result.errors).length > 0) return { errors: result.errors, messages: [] };
  draft.id = nextId(site, 'issue');
  draft.key = `${project.key}-${project.nextIssueNumber++}`;
  if (transitionTo !== undefined) draft.statusId = transitionTo;
  site.issues.set(draft.id, draft);
  site.issueIdsByKey.set(draft.key, draft.id);
  if (Array.isArray(body.properties)) {
    for (const p of body.properties as Array<{ key?: unknown; value?: unknown }>) if (typeof p.key === 'string') draft.properties.set(p.key, p.value);
  }
  return { issue: draft, errors: {}, messages: [] };
}

const createdBean = (site: SiteData, issue: SimIssue) => ({ id: String(issue.id), key: issue.key, self: `${site.baseUrl}/rest/api/3/issue/${issue.id}` });

function commentOr404(issue: SimIssue, id: string) {
  const comment = issue.comments.find((c) => String(c.id) === id);
  if (!comment) throw notFound(`Can not find a comment for the id: ${id}.`);
  return comment;
}

function worklogOr404(issue: SimIssue, id: string) {
  const worklog = issue.worklogs.find((w) => String(w.id) === id);
  if (!worklog) throw notFound(`Cannot find worklog with id: '${id}'.`);
  return worklog;
}

/** `timeSpent` strings like "1h 30m", "2d", "45m" (Jira's default 8h days, 5d weeks). */
function parseTimeSpent(text: string): number | undefined {
  const units: Record<string, number> = { w: 5 * 8 * 3600, d: 8 * 3600, h: 3600, m: 60 };
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)\s*([wdhm])/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('').replace(/\s/g, '') !== text.replace(/\s/g, '')) return undefined;
  return Math.round(parts.reduce((sum, p) => sum + Number(p[1]) * units[p[2]], 0));
}

function worklogInput(body: Body): { started?: number; seconds?: number; comment?: RichText; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  let seconds: number | undefined;
  if (typeof body.timeSpentSeconds === 'number') seconds = body.timeSpentSeconds;
  else if (typeof body.timeSpent === 'string') seconds = parseTimeSpent(body.timeSpent);
  if (seconds !== undefined && !(seconds > 0)) errors.timeLogged = 'Time Spent must be greater than 0.';
  let started: number | undefined;
  if (body.started !== undefined) {
    started = typeof body.started === 'string' ? parseJiraTime(body.started) : NaN;
    if (Number.isNaN(started)) errors.started = "Invalid start date: use Jira's format, e.g. 2021-01-17T12:34:00.000+0000.";
  }
  let comment: RichText | undefined;
  if (body.comment !== undefined) {
    if (!isAdfDocument(body.comment)) errors.comment = 'Comment must be an Atlassian Document.';
    else comment = body.comment;
  }
  return { started, seconds, comment, errors };
}

function attachmentsAllowed(ctx: RouteContext): void {
  const token = ctx.headers['x-atlassian-token'];
  if (token !== 'no-check' && token !== 'nocheck') throw forbidden('XSRF check failed: send the header X-Atlassian-Token: no-check with attachment uploads.');
}

export const issueWriteRoutes: Route[] = [
  {
    method: 'POST', template: '/rest/api/3/issue', spec: 'platform',
    handler: (ctx) => {
      const result = createOne(ctx, bodyObject(ctx));
      if (!result.issue) throw new JiraHttpError(400, result.messages, result.errors);
      return { status: 201, json: createdBean(ctx.site, result.issue), objects: 1 };
    },
  },
  {
    method: 'POST', template: '/rest/api/3/issue/bulk', spec: 'platform',
    handler: (ctx): SimReply => {
      const body = bodyObject(ctx);
      // Bulk create answers its own 400s in the CreatedIssues shape, as the spec declares.
      const refuse = (message: string): SimReply => ({ status: 400, json: { issues: [], errors: [{ status: 400, elementErrors: { errorMessages: [message], errors: {} } }] } });
      if (!Array.isArray(body.issueUpdates) || body.issueUpdates.length === 0) return refuse("'issueUpdates' must list the issues to create.");
      if (body.issueUpdates.length > MAX_BULK_CREATE) return refuse(`You can create at most ${MAX_BULK_CREATE} issues per bulk request, got ${body.issueUpdates.length}. Split the request.`);
      const issues: unknown[] = [];
      const errors: unknown[] = [];
      body.issueUpdates.forEach((payload, n) => {
        const result = createOne(ctx, payload);
        if (result.issue) issues.push(createdBean(ctx.site, result.issue));
        else errors.push({ status: 400, elementErrors: { errorMessages: result.messages, errors: result.errors }, failedElementNumber: n });
      });
      // Partial failures still answer 201; only when nothing was created is it a 400.
      return { status: issues.length > 0 ? 201 : 400, json: { issues, errors }, objects: issues.length };
    },
  },
  {
    method: 'PUT', template: P, spec: 'platform', issueParam: 'issueIdOrKey',
    handler: (ctx) => {
      const issue = issueOr404(ctx.site, ctx.params.issueIdOrKey);
      const body = bodyObject(ctx);
      const project = ctx.site.projects.find((p) => p.id === issue.projectId)!;
      const fields = (body.fields && typeof body.fields === 'object' ? body.fields : {}) as Body;
      // Validate on a copy first: Jira applies all or nothing.
      const copy = Object.assign(Object.create(Object.getPrototypeOf(issue)), issue, { custom: { ...issue.custom }, labels: [...issue.labels] }) as SimIssue;
      const result = applyFields(ctx.site, copy, fields, project);
      if (body.update && typeof body.update === 'object') {
        const updateResult = applyUpdate(ctx.site, copy, body.update as Body, project);
        Object.assign(result.errors, updateResult.errors);
        result.changes.push(...updateResult.changes);
      }
      if (Object.keys(result.errors).length > 0) throw new JiraHttpError(400, [], result.errors);
      applyFields(ctx.site, issue, fields, project);
      if (body.update && typeof body.update === 'object') applyUpdate(ctx.site, issue, body.update as Body, project);
      if (Array.isArray(body.properties)) for (const p of body.properties as Array<{ key?: unknown; value?: unknown }>) if (typeof p.key === 'string') issue.properties.set(p.key, p.value);
      recordChange(ctx.site, issue, ctx.caller.accountId, ctx.now, result.changes);
      return { status: 204 };
    },
  },
  {
    method: 'DELETE', template: P, spec: 'platform', issueParam: 'issueIdOrKey',
    handler: (ctx) => {
      const issue = issueOr404(ctx.site, ctx.params.issueIdOrKey);
      const children = [...ctx.site.issues.values()].filter((i) => i.parentId === issue.id && ctx.site.issueTypes.find((t) => t.id === i.issueTypeId)?.subtask);
      if (children.length > 0 && ctx.query.get('deleteSubtasks') !== 'true') {
        throw badRequest(`The issue has ${children.length} subtasks. Pass deleteSubtasks=true to delete them with it.`);
      }
      for (const child of children) deleteIssue(ctx.site, child.id, ctx.now);
      deleteIssue(ctx.site, issue.id, ctx.now);
      return { status: 204 };
    },
  },
  {
    method: 'POST', template: `${P}/transitions`, spec: 'platform', issueParam: 'issueIdOrKey',
    handler: (ctx) => {
      const issue = issueOr404(ctx.site, ctx.params.issueIdOrKey);
      const body = bodyObject(ctx);
      const id = (body.transition as { id?: unknown } | undefined)?.id;
      const t = availableTransitions(ctx.site, issue).find((x) => String(x.id) === String(id));
      if (!t) throw badRequest(`Transition id '${String(id)}' is not valid for this issue.`);
      const from = ctx.site.statuses.find((s) => s.id === issue.statusId)!;
      const to = ctx.site.statuses.find((s) => s.id === t.toStatusId)!;
      issue.statusId = to.id;
      if (to.category === 'DONE') { issue.resolutionId ??= ctx.site.resolutions[0].id; issue.resolutionDate = ctx.now; }
      else { issue.resolutionId = null; issue.resolutionDate = null; }
      if (body.fields && typeof body.fields === 'object') {
        const project = ctx.site.projects.find((p) => p.id === issue.projectId)!;
        const result = applyFields(ctx.site, issue, body.fields as Body, project);
        if (Object.keys(result.errors).length > 0) throw new JiraHttpError(400, [], result.errors);
      }
      recordChange(ctx.site, issue, ctx.caller.accountId, ctx.now, [{ field: 'status', fieldtype: 'jira', fieldId: 'status', from: String(from.id), fromString: from.name, to: String(to.id), toString: to.name }]);
      return { status: 204 };
    },
  },
  {
    method: 'POST', template: `${P}/comment`, spec: 'platform', issueParam: 'issueIdOrKey',
    handler: (ctx) => {
      const issue = issueOr404(ctx.site, ctx.params.issueIdOrKey);
      const body = bodyObject(ctx);
      const visibility = body.visibility as { type?: unknown; value?: unknown } | undefined;
      if (visibility && !((visibility.type === 'group' || visibility.type === 'role') && typeof visibility.value === 'string')) {
        throw badRequest('', { visibility: "Visibility needs type 'group' or 'role' and a value." });
      }
      const comment = {
        id: nextId(ctx.site, 'comment'), authorId: ctx.caller.accountId, updateAuthorId: ctx.caller.accountId, body: adfOr400(body.body, 'comment'),
        created: ctx.now, updated: ctx.now,
        visibility: visibility ? { type: visibility.type as 'group' | 'role', value: visibility.value as string } : undefined,
        properties: new Map<string, unknown>(Array.isArray(body.properties) ? (body.properties as Array<{ key: string; value: unknown }>).map((p) => [p.key, p.value]) : []),
      };
      issue.comments.push(comment);
      touch(issue, ctx.now);
      return { status: 201, json: commentBean(ctx.site, issue, comment, ctx.timeZone), objects: 1 };
    },
  },
  {
    method: 'PUT', template: `${P}/comment/{id}`, spec: 'platform', issueParam: 'issueIdOrKey',
    handler: (ctx) => {
      const issue = issueOr404(ctx.site, ctx.params.issueIdOrKey);
      const comment = commentOr404(issue, ctx.params.id);
      const body = bodyObject(ctx);
      comment.body = adfOr400(body.body, 'comment');
      comment.updated = ctx.now;
      comment.updateAuthorId = ctx.caller.accountId;
      touch(issue, ctx.now);
      return { status: 200, json: commentBean(ctx.site, issue, comment, ctx.timeZone), objects: 1 };
    },
  },
  {
    method: 'DELETE', template: `${P}/comment/{id}`, spec: 'platform', issueParam: 'issueIdOrKey',
    handler: (ctx) => {
      const issue = issueOr404(ctx.site, ctx.params.issueIdOrKey);
      const comment = commentOr404(issue, ctx.params.id);
      issue.comments.splice(issue.comments.indexOf(comment), 1);
      touch(issue, ctx.now);
      return { status: 204 };
    },
  },
  {
    method: 'POST', template: `${P}/worklog`, spec: 'platform', issueParam: 'issueIdOrKey',
    handler: (ctx) => {
      const issue = issueOr404(ctx.site, ctx.params.issueIdOrKey);
      const input = worklogInput(bodyObject(ctx));
      if (input.seconds === undefined) input.errors.timeLogged ??= 'You must indicate the time spent working (timeSpentSeconds or timeSpent).';
      if (Object.keys(input.errors).length > 0) throw new JiraHttpError(400, [], input.errors);
      const worklog = {
        id: nextId(ctx.site, 'worklog'), authorId: ctx.caller.accountId, updateAuthorId: ctx.caller.accountId, comment: input.comment ?? '',
        started: input.started ?? ctx.now, timeSpentSeconds: input.seconds!, created: ctx.now, updated: ctx.now, properties: new Map<string, unknown>(),
      };
      issue.worklogs.push(worklog);
      touch(issue, ctx.now);
      return { status: 201, json: worklogBean(ctx.site, issue, worklog, ctx.timeZone), objects: 1 };
    },
  },
  {
    method: 'PUT', template: `${P}/worklog/{id}`, spec: 'platform', issueParam: 'issueIdOrKey',
    handler: (ctx) => {
      const issue = issueOr404(ctx.site, ctx.params.issueIdOrKey);
      const worklog = worklogOr404(issue, ctx.params.id);
      const input = worklogInput(bodyObject(ctx));
      if (Object.keys(input.errors).length > 0) throw new JiraHttpError(400, [], input.errors);
      if (input.seconds !== undefined) worklog.timeSpentSeconds = input.seconds;
      if (input.started !== undefined) worklog.started = input.started;
      if (input.comment !== undefined) worklog.comment = input.comment;
      worklog.updated = ctx.now;
      worklog.updateAuthorId = ctx.caller.accountId;
      touch(issue, ctx.now);
      return { status: 200, json: worklogBean(ctx.site, issue, worklog, ctx.timeZone), objects: 1 };
    },
  },
  {
    method: 'DELETE', template: `${P}/worklog/{id}`, spec: 'platform', issueParam: 'issueIdOrKey',
    handler: (ctx) => {
      const issue = issueOr404(ctx.site, ctx.params.issueIdOrKey);
      const worklog = worklogOr404(issue, ctx.params.id);
      issue.worklogs.splice(issue.worklogs.indexOf(worklog), 1);
      recordWorklogDeletion(ctx.site, worklog.id, issue.id, ctx.now);
      touch(issue, ctx.now);
      return { status: 204 };
    },
  },
  {
    method: 'POST', template: `${P}/attachments`, spec: 'platform', issueParam: 'issueIdOrKey',
    handler: (ctx): SimReply => {
      attachmentsAllowed(ctx);
      const issue = issueOr404(ctx.site, ctx.params.issueIdOrKey);
      const files = parseMultipart(ctx.headers['content-type'], ctx.rawBody).filter((p) => p.name === 'file');
      if (files.length === 0) throw badRequest("No attachment found: the multipart part must be named 'file'.");
      if (files.length > 60) throw new JiraHttpError(413, ['You can attach at most 60 files per request.']);
      if (issue.attachmentIds.length + files.length > 2000) throw new JiraHttpError(413, ['The issue has reached its limit of 2000 attachments.']);
      const tooBig = files.find((f) => f.data.length > ctx.site.attachmentUploadLimit);
      if (tooBig) throw new JiraHttpError(413, [`The file '${tooBig.filename}' is larger than the upload limit of ${ctx.site.attachmentUploadLimit} bytes.`]);
      const created = files.map((f) => {
        const id = nextId(ctx.site, 'attachment');
        const attachment = {
          id, issueId: issue.id, filename: f.filename ?? 'file', mimeType: f.contentType, size: f.data.length, created: ctx.now,
          authorId: ctx.caller.accountId, bytes: new Uint8Array(f.data), contentSeed: mix32(ctx.site.seed, id),
        };
        ctx.site.attachments.set(id, attachment);
        issue.attachmentIds.push(id);
        return attachment;
      });
      recordChange(ctx.site, issue, ctx.caller.accountId, ctx.now, created.map((a) => ({ field: 'Attachment', fieldtype: 'jira', fieldId: 'attachment', from: null, fromString: null, to: String(a.id), toString: a.filename })));
      return { status: 200, json: created.map((a) => attachmentBean(ctx.site, a, ctx.timeZone)), objects: created.length };
    },
  },
  {
    method: 'DELETE', template: '/rest/api/3/attachment/{id}', spec: 'platform',
    handler: (ctx) => {
      const attachment = ctx.site.attachments.get(Number(ctx.params.id));
      if (!attachment) throw notFound(`The attachment with id '${ctx.params.id}' does not exist.`);
      ctx.site.attachments.delete(attachment.id);
      const issue = ctx.site.issues.get(attachment.issueId);
      if (issue) {
        issue.attachmentIds = issue.attachmentIds.filter((id) => id !== attachment.id);
        recordChange(ctx.site, issue, ctx.caller.accountId, ctx.now, [{ field: 'Attachment', fieldtype: 'jira', fieldId: 'attachment', from: String(attachment.id), fromString: attachment.filename, to: null, toString: null }]);
      }
      return { status: 204 };
    },
  },
  {
    method: 'POST', template: '/rest/api/3/issueLink', spec: 'platform',
    handler: (ctx) => {
      const body = bodyObject(ctx);
      const typeRef = body.type as { id?: unknown; name?: unknown } | undefined;
      const type = typeRef ? ctx.site.linkTypes.find((t) => String(t.id) === String(typeRef.id) || t.name === typeRef.name) : undefined;
      if (!type) throw notFound(`No issue link type with name '${String(typeRef?.name ?? typeRef?.id)}' found.`);
      const ref = (value: unknown) => { const r = value as { id?: unknown; key?: unknown } | undefined; return r ? findIssue(ctx.site, String(r.id ?? r.key ?? '')) : undefined; };
      const inward = ref(body.inwardIssue);
      const outward = ref(body.outwardIssue);
      if (!inward || !outward) throw notFound('Issue does not exist or you do not have permission to see it.');
      ctx.site.links.push({ id: nextId(ctx.site, 'link'), typeId: type.id, inwardIssueId: inward.id, outwardIssueId: outward.id });
      touch(inward, ctx.now);
      touch(outward, ctx.now);
      return { status: 201 };
    },
  },
  {
    method: 'GET', template: '/rest/api/3/issueLink/{linkId}', spec: 'platform',
    handler: (ctx) => {
      const link = ctx.site.links.find((l) => String(l.id) === ctx.params.linkId);
      if (!link) throw notFound(`No issue link with id '${ctx.params.linkId}' exists.`);
      const type = ctx.site.linkTypes.find((t) => t.id === link.typeId)!;
      const ref = (id: number) => { const i = ctx.site.issues.get(id); return { id: String(id), key: i?.key, self: `${ctx.baseUrl}/rest/api/3/issue/${id}` }; };
      return {
        status: 200,
        json: {
          id: String(link.id), self: `${ctx.baseUrl}/rest/api/3/issueLink/${link.id}`,
          type: { id: String(type.id), name: type.name, inward: type.inward, outward: type.outward, self: `${ctx.baseUrl}/rest/api/3/issueLinkType/${type.id}` },
          inwardIssue: ref(link.inwardIssueId), outwardIssue: ref(link.outwardIssueId),
        },
        objects: 1,
      };
    },
  },
  {
    method: 'DELETE', template: '/rest/api/3/issueLink/{linkId}', spec: 'platform',
    handler: (ctx) => {
      const before = ctx.site.links.length;
      ctx.site.links = ctx.site.links.filter((l) => String(l.id) !== ctx.params.linkId);
      if (ctx.site.links.length === before) throw notFound(`No issue link with id '${ctx.params.linkId}' exists.`);
      return { status: 204 };
    },
  },
  {
    method: 'POST', template: `${P}/remotelink`, spec: 'platform', issueParam: 'issueIdOrKey',
    handler: (ctx) => {
      const issue = issueOr404(ctx.site, ctx.params.issueIdOrKey);
      const body = bodyObject(ctx);
      const object = body.object as { url?: unknown; title?: unknown } | undefined;
      if (!object || typeof object.url !== 'string' || typeof object.title !== 'string') {
        throw badRequest('', { object: 'The remote link needs an object with a url and a title.' });
      }
      const fields = {
        globalId: typeof body.globalId === 'string' ? body.globalId : undefined,
        relationship: typeof body.relationship === 'string' ? body.relationship : undefined,
        application: body.application as { type?: string; name?: string } | undefined,
        object: object as { url: string; title: string },
      };
      // A known globalId updates that link instead of adding a second one.
      const existing = fields.globalId !== undefined ? issue.remoteLinks.find((l) => l.globalId === fields.globalId) : undefined;
      if (existing) Object.assign(existing, fields);
      const link = existing ?? { id: nextId(ctx.site, 'remoteLink'), ...fields };
      if (!existing) issue.remoteLinks.push(link);
      touch(issue, ctx.now);
      return { status: existing ? 200 : 201, json: { id: link.id, self: `${ctx.baseUrl}/rest/api/3/issue/${issue.id}/remotelink/${link.id}` }, objects: 1 };
    },
  },
  {
    method: 'DELETE', template: `${P}/remotelink/{linkId}`, spec: 'platform', issueParam: 'issueIdOrKey',
    handler: (ctx) => {
      const issue = issueOr404(ctx.site, ctx.params.issueIdOrKey);
      const index = issue.remoteLinks.findIndex((l) => String(l.id) === ctx.params.linkId);
      if (index < 0) throw notFound(`No remote link with id ${ctx.params.linkId} on this issue.`);
      issue.remoteLinks.splice(index, 1);
      touch(issue, ctx.now);
      return { status: 204 };
    },
  },
  {
    method: 'PUT', template: `${P}/properties/{propertyKey}`, spec: 'platform', issueParam: 'issueIdOrKey',
    handler: (ctx) => {
      const issue = issueOr404(ctx.site, ctx.params.issueIdOrKey);
      const key = ctx.params.propertyKey;
      if (key.length > 255) throw badRequest('The property key must be at most 255 characters.');
      if (ctx.rawBody.length > 32_768) throw badRequest('The property value must be at most 32768 bytes.');
      const value = ctx.json<unknown>();
      if (value === undefined) throw badRequest('The property value must be JSON.');
      const existed = issue.properties.has(key);
      issue.properties.set(key, value);
      return { status: existed ? 200 : 201 };
    },
  },
  {
    method: 'DELETE', template: `${P}/properties/{propertyKey}`, spec: 'platform', issueParam: 'issueIdOrKey',
    handler: (ctx) => {
      const issue = issueOr404(ctx.site, ctx.params.issueIdOrKey);
      if (!issue.properties.delete(ctx.params.propertyKey)) throw notFound(`The property with key '${ctx.params.propertyKey}' does not exist.`);
      return { status: 204 };
    },
  },
  {
    method: 'POST', template: `${P}/watchers`, spec: 'platform', issueParam: 'issueIdOrKey',
    handler: (ctx) => {
      const issue = issueOr404(ctx.site, ctx.params.issueIdOrKey);
      // The body is a bare JSON string (the account id); empty means the caller.
      const accountId = ctx.rawBody.length === 0 ? ctx.caller.accountId : ctx.json<unknown>();
      if (typeof accountId !== 'string' || !ctx.site.users.some((u) => u.accountId === accountId)) throw badRequest('The body must be the JSON string account id of an existing user.');
      if (!issue.watcherIds.includes(accountId)) issue.watcherIds.push(accountId);
      return { status: 204 };
    },
  },
  {
    method: 'DELETE', template: `${P}/watchers`, spec: 'platform', issueParam: 'issueIdOrKey',
    handler: (ctx) => {
      const issue = issueOr404(ctx.site, ctx.params.issueIdOrKey);
      const accountId = ctx.query.get('accountId');
      if (!accountId) throw badRequest("Give the watcher's accountId as a query parameter.");
      const index = issue.watcherIds.indexOf(accountId);
      if (index >= 0) issue.watcherIds.splice(index, 1);
      return { status: 204 };
    },
  },
];
