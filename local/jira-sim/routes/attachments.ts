/** Attachment metadata, settings and content (redirect=false, Range → 206). */
import { JiraHttpError, notFound } from '../http/errors';
import type { Route, SimReply } from '../http/types';
import { attachmentBytes } from '../generate/attachment-bytes';
import { userBean } from '../render/users';
import { formatJiraTime } from '../time';

/** Parses one `bytes=` range; undefined = whole body; 'unsatisfiable' → 416. */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | 'unsatisfiable' | undefined {
  if (!header) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined; // malformed or multi-range: ignored, as HTTP allows
  let start: number;
  let end: number;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) return 'unsatisfiable';
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start >= size || start > end) return 'unsatisfiable';
  return { start, end };
}

export const attachmentRoutes: Route[] = [
  {
    method: 'GET', template: '/rest/api/3/attachment/meta', spec: 'platform',
    handler: (ctx) => ({ status: 200, json: { enabled: true, uploadLimit: ctx.site.attachmentUploadLimit }, objects: 0 }),
  },
  {
    method: 'GET', template: '/rest/api/3/attachment/{id}', spec: 'platform',
    handler: (ctx) => {
      const a = ctx.site.attachments.get(Number(ctx.params.id));
      if (!a) throw notFound(`The attachment with id '${ctx.params.id}' does not exist.`);
      return {
        status: 200,
        json: {
          id: a.id,
          self: `${ctx.baseUrl}/rest/api/3/attachment/${a.id}`,
          filename: a.filename,
          author: userBean(ctx.site, a.authorId),
          created: formatJiraTime(a.created, ctx.timeZone),
          size: a.size,
          mimeType: a.mimeType,
          content: `${ctx.baseUrl}/rest/api/3/attachment/content/${a.id}`,
          ...(a.mimeType.startsWith('image/') ? { thumbnail: `${ctx.baseUrl}/rest/api/3/attachment/thumbnail/${a.id}` } : {}),
          properties: {},
        },
        objects: 1,
      };
    },
  },
  {
    method: 'GET', template: '/rest/api/3/attachment/content/{id}', spec: 'platform',
    handler: (ctx): SimReply => {
      const a = ctx.site.attachments.get(Number(ctx.params.id));
      if (!a) throw notFound(`The attachment with id '${ctx.params.id}' does not exist.`);
      if (ctx.query.get('redirect') !== 'false') {
        // Jira answers 303 to its media service; the simulator points back at itself with redirect=false.
        return { status: 303, headers: { location: `${ctx.baseUrl}/rest/api/3/attachment/content/${a.id}?redirect=false` }, objects: 0 };
      }
      const rangeHeader = ctx.headers.range;
      const range = parseRange(typeof rangeHeader === 'string' ? rangeHeader : undefined, a.size);
      if (range === 'unsatisfiable') {
        throw new JiraHttpError(416, [`The requested range is outside the attachment (size ${a.size}).`], {}, { 'content-range': `bytes */${a.size}` });
      }
      const common = { 'content-type': a.mimeType, 'accept-ranges': 'bytes', 'cache-control': 'private' };
      if (!range) return { status: 200, bytes: attachmentBytes(a), headers: common, objects: 1 };
      return {
        status: 206,
        bytes: attachmentBytes(a, range.start, range.end + 1),
        headers: { ...common, 'content-range': `bytes ${range.start}-${range.end}/${a.size}` },
        objects: 1,
      };
    },
  },
];
