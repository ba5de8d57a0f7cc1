import { objectStore } from '@forge/object-store';
import { ForgeObjectStoreAPIError } from '@forge/object-store/out/errors';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ForgePlatform } from '../../local/forge';
import { startFixture } from './start-fixture';

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('base64');

/** The Object Store through @forge/object-store, with the presigned URLs used over real HTTP. */
describe('emulated Object Store', () => {
  let platform: ForgePlatform;
  beforeEach(async () => {
    platform = await startFixture();
  });
  afterEach(() => platform.stop());

  async function upload(key: string, data: Buffer, checksum = sha256(data)): Promise<Response> {
    const grant = await objectStore.createUploadUrl({ key, length: data.length, checksum, checksumType: 'SHA256' });
    return fetch(grant!.url, { method: 'PUT', body: new Uint8Array(data) });
  }

  it('uploads with a presigned PUT, reports metadata, downloads with GET and Range, deletes', async () => {
    const data = Buffer.from('0123456789abcdef');
    expect((await upload('snap/1.bin', data)).status).toBe(200);
    expect(await objectStore.get('snap/1.bin')).toMatchObject({ key: 'snap/1.bin', size: 16, checksum: sha256(data) });
    expect(platform.objectStore.list().map((o) => o.key)).toEqual(['snap/1.bin']);

    const { url } = (await objectStore.createDownloadUrl('snap/1.bin'))!;
    const whole = await fetch(url);
    expect(Buffer.from(await whole.arrayBuffer()).toString()).toBe('0123456789abcdef');
    const part = await fetch(url, { headers: { range: 'bytes=4-7' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 4-7/16');
    expect(await part.text()).toBe('4567');
    expect(await (await fetch(url, { headers: { range: 'bytes=-3' } })).text()).toBe('def');
    expect((await fetch(url, { headers: { range: 'bytes=99-' } })).status).toBe(416);

    await objectStore.delete('snap/1.bin');
    expect(await objectStore.get('snap/1.bin')).toBeUndefined();
    expect(await objectStore.createDownloadUrl('snap/1.bin')).toBeUndefined();
  });

  it('refuses an upload whose checksum or length differs from the declared one, keeping nothing', async () => {
    const data = Buffer.from('payload');
    const wrongSum = await upload('a', data, sha256(Buffer.from('other')));
    expect(wrongSum.status).toBe(400);
    expect(await wrongSum.text()).toContain('BadDigest');
    const grant = await objectStore.createUploadUrl({ key: 'a', length: 100, checksum: sha256(data), checksumType: 'SHA256' });
    expect((await fetch(grant!.url, { method: 'PUT', body: new Uint8Array(data) })).status).toBe(400);
    expect(platform.objectStore.list()).toEqual([]);
  });

  it('accepts the hex spelling of a checksum, and CRC32 / CRC32C / SHA1 checksums', async () => {
    const data = Buffer.from('123456789');
    const hex = createHash('sha256').update(data).digest('hex');
    const viaHex = await objectStore.createUploadUrl({ key: 'hex', length: 9, checksum: hex, checksumType: 'SHA256' });
    expect((await fetch(viaHex!.url, { method: 'PUT', body: new Uint8Array(data) })).status).toBe(200);
    // the standard check values of "123456789"
    for (const [type, checksum] of [['CRC32', 'cbf43926'], ['CRC32C', 'e3069283'], ['SHA1', 'f7c3bc1d808e04732adf679965ccc34ca7ae3441']] as const) {
      const grant = await objectStore.createUploadUrl({ key: type, length: 9, checksum, checksumType: type });
      expect([type, (await fetch(grant!.url, { method: 'PUT', body: new Uint8Array(data) })).status]).toEqual([type, 200]);
    }
    expect(platform.objectStore.read('CRC32C')!.toString()).toBe('123456789');
  });

  it('rejects objects over 1 GB when the upload URL is requested', async () => {
    const error = await objectStore
      .createUploadUrl({ key: 'huge', length: 1024 ** 3 + 1, checksum: 'x', checksumType: 'SHA256' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ForgeObjectStoreAPIError);
    expect((error as ForgeObjectStoreAPIError).code).toBe('OBJECT_TOO_LARGE');
    await expect(objectStore.createUploadUrl({ key: 'max', length: 1024 ** 3, checksum: 'x', checksumType: 'SHA256' })).resolves.toHaveProperty('url');
  });

  it('expires presigned URLs after their ttl on the platform clock', async () => {
    const data = Buffer.from('x');
    const grant = await objectStore.createUploadUrl({ key: 'late', length: 1, checksum: sha256(data), checksumType: 'SHA256', ttlSeconds: 60 });
    await platform.clock.advance(61_000);
    const response = await fetch(grant!.url, { method: 'PUT', body: new Uint8Array(data) });
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('expired');
  });

  it('refuses to replace an object when overwrite is false', async () => {
    const data = Buffer.from('v1');
    await upload('once', data);
    const error = await objectStore
      .createUploadUrl({ key: 'once', length: 2, checksum: sha256(data), checksumType: 'SHA256', overwrite: false })
      .catch((e: unknown) => e);
    expect((error as ForgeObjectStoreAPIError).code).toBe('OBJECT_ALREADY_EXISTS');
  });
});

describe('Object Store persistence in a data directory', () => {
  it('keeps objects across a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'forge-emulator-os-'));
    try {
      const first = await startFixture({ dataDir });
      const data = Buffer.from('kept on disk');
      const grant = await objectStore.createUploadUrl({ key: 'k', length: data.length, checksum: sha256(data), checksumType: 'SHA256' });
      expect((await fetch(grant!.url, { method: 'PUT', body: new Uint8Array(data) })).status).toBe(200);
      await first.stop();
      const second = await startFixture({ dataDir });
      const { url } = (await objectStore.createDownloadUrl('k'))!;
      expect(await (await fetch(url)).text()).toBe('kept on disk');
      await second.stop();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
