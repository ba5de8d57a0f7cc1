/**
 * How fast the emulator itself is, so that slow app tests can be told apart from a slow platform.
 * Prints numbers; asserts nothing. Run: `npx tsx local/forge/bench.ts [memory|disk]`.
 */
import { kvs } from '@forge/kvs';
import { objectStore } from '@forge/object-store';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ForgePlatform } from './platform';

async function timed(label: string, count: number, unit: string, body: () => Promise<void>): Promise<void> {
  const started = process.hrtime.bigint();
  await body();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(`${label.padEnd(44)} ${(count / seconds).toFixed(0).padStart(8)} ${unit}/s  (${count} in ${seconds.toFixed(2)} s)`);
}

async function main(): Promise<void> {
  const mode = process.argv[2] === 'disk' ? 'disk' : 'memory';
  const dataDir = mode === 'disk' ? mkdtempSync(join(tmpdir(), 'forge-emulator-bench-')) : 'memory';
  const platform = await ForgePlatform.start({ appDir: join(__dirname, '..', '..', 'test', 'emulator', 'fixture-app'), dataDir });
  console.log(`Forge emulator bench (${mode}), Node ${process.version}`);
  try {
    const value = { state: 'running', cursor: 'x'.repeat(200), counts: { issues: 1234, comments: 5678 } };
    await timed('kvs.set (≈300 B values)', 5000, 'ops', async () => {
      for (let i = 0; i < 5000; i++) await kvs.set(`bench:${i}`, value);
    });
    await timed('kvs.get', 5000, 'ops', async () => {
      for (let i = 0; i < 5000; i++) await kvs.get(`bench:${i}`);
    });
    await timed('kvs.query pages of 100 over 5,000 keys', 5000, 'keys', async () => {
      let cursor: string | undefined;
      do {
        let query = kvs.query().limit(100);
        if (cursor) query = query.cursor(cursor);
        cursor = (await query.getMany()).nextCursor;
      } while (cursor);
    });
    await timed('transactions of 25 sets', 200 * 25, 'ops', async () => {
      for (let t = 0; t < 200; t++) {
        let tx = kvs.transact();
        for (let i = 0; i < 25; i++) tx = tx.set(`tx:${t}:${i}`, i);
        await tx.execute();
      }
    });
    const events = Array.from({ length: 50 }, (_, i) => ({ kind: 'record', id: `e${i % 500}` }));
    await timed('async events pushed + delivered (KVS write each)', 2000, 'events', async () => {
      for (let p = 0; p < 40; p++) await platform.invoke('resolver', 'enqueue', { events });
      await platform.runUntilIdle();
    });
    const blob = Buffer.alloc(64 * 1024 * 1024, 7);
    const checksum = createHash('sha256').update(blob).digest('base64');
    await timed('Object Store upload, 64 MiB via presigned PUT', 64, 'MiB', async () => {
      const grant = await objectStore.createUploadUrl({ key: 'bench/blob', length: blob.length, checksum, checksumType: 'SHA256' });
      const response = await fetch(grant!.url, { method: 'PUT', body: new Uint8Array(blob) });
      if (response.status !== 200) throw new Error(`upload failed: ${response.status}`);
    });
    await timed('Object Store download, 64 MiB', 64, 'MiB', async () => {
      const { url } = (await objectStore.createDownloadUrl('bench/blob'))!;
      const bytes = await (await fetch(url)).arrayBuffer();
      if (bytes.byteLength !== blob.length) throw new Error('short download');
    });
  } finally {
    await platform.stop();
    if (dataDir !== 'memory') rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
