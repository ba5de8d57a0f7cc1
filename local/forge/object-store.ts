import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { CHECKSUM_TYPES, ChecksumType, checksumMatches, newDigest } from './checksums';
import { emptyResponse, forgeError, jsonResponse, parseJsonBody } from './responses';

export const MAX_OBJECT_BYTES = 1024 * 1024 * 1024;
export const MAX_URL_TTL_SECONDS = 3600;
const MAX_KEY_LENGTH = 1024;

export interface ObjectInfo {
  key: string;
  size: number;
  checksum: string;
  checksumType: ChecksumType;
  createdAt: number;
  updatedAt: number;
  version: number;
}

interface Grant {
  kind: 'upload' | 'download';
  key: string;
  expiresAt: number;
  length?: number;
  checksum?: string;
  checksumType?: ChecksumType;
  overwrite?: boolean;
}

/**
 * The Forge Object Store: the `api/v1/*` endpoints @forge/object-store calls, and the presigned upload and
 * download URLs they hand out, served by the emulator's local HTTP server. Objects live in memory or as
 * files under `<dataDir>/objects/` with a JSON index.
 */
export class ObjectStoreService {
  private readonly objects = new Map<string, ObjectInfo>();
  private readonly memoryBytes = new Map<string, Buffer>();
  private readonly grants = new Map<string, Grant>();
  private readonly dir?: string;

  constructor(
    dataDir: string | undefined,
    private readonly now: () => number,
    private readonly publicBaseUrl: () => string,
  ) {
    if (dataDir) {
      this.dir = join(dataDir, 'objects');
      mkdirSync(this.dir, { recursive: true });
      const index = join(this.dir, 'index.json');
      if (existsSync(index)) {
        for (const info of JSON.parse(readFileSync(index, 'utf8')) as ObjectInfo[]) this.objects.set(info.key, info);
      }
    }
  }

  /** Every stored object, by key (the Object Store itself has no list call; this is for tests and tools). */
  list(): ObjectInfo[] {
    return [...this.objects.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /** The object's bytes, for tests and tools. */
  read(key: string): Buffer | undefined {
    if (!this.objects.has(key)) return undefined;
    return this.dir ? readFileSync(this.fileFor(key)) : this.memoryBytes.get(key);
  }

  handle(path: string, init: RequestInit | undefined): Response {
    let body: Record<string, unknown>;
    try {
      body = (parseJsonBody(init) ?? {}) as Record<string, unknown>;
    } catch (error) {
      return forgeError(400, 'INVALID_REQUEST', `The request body is not JSON: ${(error as Error).message}`);
    }
    const operation = path.replace(/^\/?api\/v1\//, '');
    switch (operation) {
      case 'upload-url':
      case 'public-upload-url':
        return this.createUploadUrl(body);
      case 'download-url':
      case 'public-download-url':
        return this.createDownloadUrl(body);
      case 'metadata':
        return this.metadata(body);
      case 'delete':
        return this.remove(body);
      case 'cdn-url':
        return forgeError(501, 'NOT_IMPLEMENTED', 'CDN URLs are not emulated locally.');
      default:
        return forgeError(404, 'NOT_FOUND', `Unknown Object Store operation '${path}'.`);
    }
  }

  /** Serves the presigned URLs (`/os/upload/<token>`, `/os/download/<token>`); returns false for other paths. */
  serve(request: IncomingMessage, response: ServerResponse): boolean {
    const match = /^\/os\/(upload|download)\/([0-9a-f]+)$/.exec((request.url ?? '').split('?')[0]);
    if (!match) return false;
    const grant = this.grants.get(match[2]);
    if (!grant || grant.kind !== match[1]) {
      sendXmlError(response, 403, 'AccessDenied', 'The presigned URL is not valid.');
    } else if (grant.expiresAt <= this.now()) {
      sendXmlError(response, 403, 'AccessDenied', 'Request has expired: presigned URLs live at most 1 hour.');
    } else if (grant.kind === 'upload') {
      if (request.method !== 'PUT') sendXmlError(response, 405, 'MethodNotAllowed', 'Upload URLs take PUT.');
      else this.receiveUpload(grant, request, response);
    } else if (request.method === 'GET' || request.method === 'HEAD') {
      this.sendDownload(grant, request, response);
    } else {
      sendXmlError(response, 405, 'MethodNotAllowed', 'Download URLs take GET or HEAD.');
    }
    return true;
  }

  private createUploadUrl(body: Record<string, unknown>): Response {
    const key = body.key;
    const bad = checkObjectKey(key);
    if (bad) return bad;
    const { length, checksum, checksumType, ttlSeconds, overwrite } = body;
    if (typeof length !== 'number' || !Number.isInteger(length) || length < 0) {
      return forgeError(400, 'INVALID_REQUEST', `length must be the object's size in bytes, got ${String(length)}.`);
    }
    if (length > MAX_OBJECT_BYTES) {
      return forgeError(400, 'OBJECT_TOO_LARGE', `The object is ${length} bytes; the Object Store holds at most 1 GB (${MAX_OBJECT_BYTES}) per object.`);
    }
    if (!CHECKSUM_TYPES.includes(checksumType as ChecksumType)) {
      return forgeError(400, 'INVALID_REQUEST', `checksumType must be one of ${CHECKSUM_TYPES.join(', ')}, got ${String(checksumType)}.`);
    }
    if (typeof checksum !== 'string' || checksum.length === 0) {
      return forgeError(400, 'INVALID_REQUEST', 'checksum is required: the Object Store checks the upload against it.');
    }
    const ttl = ttlSeconds === undefined ? MAX_URL_TTL_SECONDS : Number(ttlSeconds);
    if (!(ttl > 0 && ttl <= MAX_URL_TTL_SECONDS)) {
      return forgeError(400, 'INVALID_REQUEST', `ttlSeconds must be 1 to ${MAX_URL_TTL_SECONDS}, got ${String(ttlSeconds)}.`);
    }
    if (overwrite === false && this.objects.has(key as string)) {
      return forgeError(409, 'OBJECT_ALREADY_EXISTS', `An object '${String(key)}' exists and overwrite is false.`);
    }
    const token = this.grant({
      kind: 'upload', key: key as string, expiresAt: this.now() + ttl * 1000,
      length, checksum, checksumType: checksumType as ChecksumType, overwrite: overwrite !== false,
    });
    return jsonResponse(200, { url: `${this.publicBaseUrl()}/os/upload/${token}` });
  }

  private createDownloadUrl(body: Record<string, unknown>): Response {
    const bad = checkObjectKey(body.key);
    if (bad) return bad;
    if (!this.objects.has(body.key as string)) return forgeError(404, 'NOT_FOUND', `No object '${String(body.key)}'.`);
    const token = this.grant({ kind: 'download', key: body.key as string, expiresAt: this.now() + MAX_URL_TTL_SECONDS * 1000 });
    return jsonResponse(200, { url: `${this.publicBaseUrl()}/os/download/${token}` });
  }

  private metadata(body: Record<string, unknown>): Response {
    const bad = checkObjectKey(body.key);
    if (bad) return bad;
    const info = this.objects.get(body.key as string);
    if (!info) return forgeError(404, 'NOT_FOUND', `No object '${String(body.key)}'.`);
    return jsonResponse(200, {
      key: info.key,
      checksum: info.checksum,
      checksumType: info.checksumType,
      size: info.size,
      currentVersion: String(info.version),
      createdAt: new Date(info.createdAt).toISOString(),
      updatedAt: new Date(info.updatedAt).toISOString(),
    });
  }

  private remove(body: Record<string, unknown>): Response {
    const bad = checkObjectKey(body.key);
    if (bad) return bad;
    const key = body.key as string;
    if (this.objects.delete(key)) {
      if (this.dir) rmSync(this.fileFor(key), { force: true });
      else this.memoryBytes.delete(key);
      this.saveIndex();
    }
    return emptyResponse(204);
  }

  private grant(grant: Grant): string {
    const token = randomBytes(16).toString('hex');
    this.grants.set(token, grant);
    return token;
  }

  private receiveUpload(grant: Grant, request: IncomingMessage, response: ServerResponse): void {
    const declared = request.headers['content-length'];
    if (declared !== undefined && Number(declared) !== grant.length) {
      request.resume();
      sendXmlError(response, 400, 'IncompleteBody', `Content-Length ${declared} differs from the ${grant.length} bytes the upload URL was created for.`);
      return;
    }
    const digest = newDigest(grant.checksumType!);
    const chunks: Buffer[] = [];
    const temp = this.dir ? join(this.dir, `.upload-${randomBytes(8).toString('hex')}`) : undefined;
    const file = temp ? createWriteStream(temp) : undefined;
    let received = 0;
    let failed = false;
    const fail = (status: number, code: string, message: string) => {
      if (failed) return;
      failed = true;
      file?.destroy();
      if (temp) rmSync(temp, { force: true });
      request.resume();
      sendXmlError(response, status, code, message);
    };
    request.on('data', (chunk: Buffer) => {
      if (failed) return;
      received += chunk.length;
      if (received > grant.length!) return fail(400, 'IncompleteBody', `The body is longer than the declared ${grant.length} bytes.`);
      digest.update(chunk);
      if (file) file.write(chunk);
      else chunks.push(chunk);
    });
    request.on('error', () => fail(400, 'IncompleteBody', 'The upload was interrupted.'));
    request.on('end', () => {
      try {
        finish();
      } catch (error) {
        fail(500, 'InternalError', `The emulator failed to store the upload: ${(error as Error).message}`);
      }
    });
    const finish = () => {
      if (failed) return;
      if (received !== grant.length) return fail(400, 'IncompleteBody', `Received ${received} bytes; the upload URL was created for ${grant.length}.`);
      if (!checksumMatches(grant.checksum!, digest.bytes())) {
        return fail(400, 'BadDigest', `The ${grant.checksumType} checksum of the body does not match the one given to createUploadUrl.`);
      }
      if (!grant.overwrite && this.objects.has(grant.key)) return fail(409, 'ObjectAlreadyExists', `An object '${grant.key}' exists and overwrite is false.`);
      const commit = () => {
        const now = this.now();
        const previous = this.objects.get(grant.key);
        this.objects.set(grant.key, {
          key: grant.key, size: received, checksum: grant.checksum!, checksumType: grant.checksumType!,
          createdAt: previous?.createdAt ?? now, updatedAt: now, version: (previous?.version ?? 0) + 1,
        });
        this.saveIndex();
        response.writeHead(200, { etag: `"${digest.bytes().toString('hex')}"`, 'content-length': '0' }).end();
      };
      if (file && temp) {
        file.end(() => {
          renameSync(temp, this.fileFor(grant.key)); // atomic: readers see the old object or the new one
          commit();
        });
      } else {
        this.memoryBytes.set(grant.key, Buffer.concat(chunks));
        commit();
      }
    };
  }

  private sendDownload(grant: Grant, request: IncomingMessage, response: ServerResponse): void {
    const info = this.objects.get(grant.key);
    if (!info) return sendXmlError(response, 404, 'NoSuchKey', `The object '${grant.key}' no longer exists.`);
    const size = this.dir ? statSync(this.fileFor(grant.key)).size : this.memoryBytes.get(grant.key)!.length;
    let start = 0;
    let end = size - 1;
    let status = 200;
    const range = request.headers.range;
    if (range) {
      const parsed = parseRange(range, size);
      if (!parsed) {
        response.writeHead(416, { 'content-range': `bytes */${size}` }).end();
        return;
      }
      [start, end] = parsed;
      status = 206;
    }
    const headers: Record<string, string> = {
      'content-type': 'application/octet-stream',
      'content-length': String(Math.max(0, end - start + 1)),
      'accept-ranges': 'bytes',
      etag: `"${info.version}"`,
    };
    if (status === 206) headers['content-range'] = `bytes ${start}-${end}/${size}`;
    response.writeHead(status, headers);
    if (request.method === 'HEAD' || size === 0) {
      response.end();
    } else if (this.dir) {
      createReadStream(this.fileFor(grant.key), { start, end }).pipe(response);
    } else {
      response.end(this.memoryBytes.get(grant.key)!.subarray(start, end + 1));
    }
  }

  private fileFor(key: string): string {
    return join(this.dir!, createHash('sha256').update(key).digest('hex'));
  }

  private saveIndex(): void {
    if (!this.dir) return;
    const index = join(this.dir, 'index.json');
    writeFileSync(`${index}.tmp`, JSON.stringify([...this.objects.values()]));
    renameSync(`${index}.tmp`, index);
  }
}

function checkObjectKey(key: unknown): Response | undefined {
  if (typeof key !== 'string' || key.length === 0) return forgeError(400, 'INVALID_KEY', 'key must be a non-empty string.');
  if (key.length > MAX_KEY_LENGTH) return forgeError(400, 'INVALID_KEY', `key is ${key.length} characters; at most ${MAX_KEY_LENGTH}.`);
  return undefined;
}

/** One `bytes=` range (a-b, a-, -n) → inclusive [start, end], or undefined when unsatisfiable. */
function parseRange(header: string, size: number): [number, number] | undefined {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  let start: number;
  let end: number;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0) return undefined;
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  }
  return start <= end && start < size ? [start, end] : undefined;
}

/** S3-style XML error, as a presigned URL answers. */
function sendXmlError(response: ServerResponse, status: number, code: string, message: string): void {
  const body = `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`;
  response.writeHead(status, { 'content-type': 'application/xml', 'content-length': String(Buffer.byteLength(body)) }).end(body);
}
