/** A small multipart/form-data parser for attachment uploads (the parts Jira reads: name, filename, type, bytes). */
import { badRequest } from './errors';

export interface MultipartPart {
  name: string;
  filename?: string;
  contentType: string;
  data: Buffer;
}

function dispositionParam(disposition: string, key: string): string | undefined {
  const extended = new RegExp(`${key}\\*=(?:UTF-8|utf-8)''([^;]+)`).exec(disposition);
  if (extended) return decodeURIComponent(extended[1].trim());
  const quoted = new RegExp(`${key}="((?:[^"\\\\]|\\\\.)*)"`).exec(disposition);
  if (quoted) return quoted[1].replace(/\\(.)/g, '$1');
  const bare = new RegExp(`${key}=([^;]+)`).exec(disposition);
  return bare ? bare[1].trim() : undefined;
}

export function parseMultipart(contentType: string | undefined, body: Buffer): MultipartPart[] {
  const boundaryMatch = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType ?? '');
  if (!contentType?.toLowerCase().startsWith('multipart/form-data') || !boundaryMatch) {
    throw badRequest('Attachments must be sent as multipart/form-data with a boundary.');
  }
  const boundary = Buffer.from(`--${boundaryMatch[1] ?? boundaryMatch[2]}`);
  const parts: MultipartPart[] = [];
  let at = body.indexOf(boundary);
  if (at < 0) throw badRequest('The multipart body has no part boundary.');
  while (true) {
    at += boundary.length;
    if (body.subarray(at, at + 2).toString() === '--') break;
    at += 2; // CRLF after the boundary
    const headerEnd = body.indexOf('\r\n\r\n', at);
    if (headerEnd < 0) throw badRequest('A multipart part has no header terminator.');
    const headers = body.subarray(at, headerEnd).toString('utf8').split('\r\n');
    const next = body.indexOf(boundary, headerEnd + 4);
    if (next < 0) throw badRequest('The multipart body is not terminated.');
    const data = body.subarray(headerEnd + 4, next - 2); // minus the CRLF before the boundary
    const disposition = headers.find((h) => /^content-disposition:/i.test(h)) ?? '';
    const type = headers.find((h) => /^content-type:/i.test(h));
    parts.push({
      name: dispositionParam(disposition, 'name') ?? '',
      filename: dispositionParam(disposition, 'filename'),
      contentType: type ? type.slice(type.indexOf(':') + 1).trim() : 'application/octet-stream',
      data: Buffer.from(data),
    });
    at = next;
  }
  return parts;
}
