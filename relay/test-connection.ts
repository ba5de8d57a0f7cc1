/**
 * The admin's "Test connection": every step a backup relies on, tried once with a small probe file,
 * each reported on its own so the admin sees which one fails (DNS, refused, TLS, login, host key,
 * permission, space) and what to do about it. Stops at the first failure.
 */
import { randomBytes } from 'node:crypto';
import { posix } from 'node:path';
import { Readable } from 'node:stream';
import type { RelayConnection, RelayErrorCode, TestConnectionResponse, TestStep } from './protocol';
import { openRemoteOnce } from './open-remote';
import type { RemoteFileSystem } from './remote-fs';
import { classifyServerError, RelayError } from './relay-error';
import { TEMPORARY_NAME, temporaryNameFor } from './object-path';
import { PassThrough } from 'node:stream';

/** Which step a failure to open the connection belongs to. */
function openStepName(code: RelayErrorCode): string {
  switch (code) {
    case 'tls-failed':
      return 'tls';
    case 'host-key-mismatch':
      return 'host-key';
    case 'auth-failed':
      return 'login';
    case 'invalid':
      return 'settings';
    default:
      return 'connect';
  }
}

export async function testConnection(connection: RelayConnection, now: () => Date): Promise<TestConnectionResponse> {
  const steps: TestStep[] = [];
  const result: TestConnectionResponse = { ok: false, steps };
  let fs: RemoteFileSystem;
  try {
    const opened = await openRemoteOnce(connection, { learnHostKey: true });
    fs = opened.fs;
    Object.assign(result, opened.facts);
    steps.push({ name: 'connect', ok: true, message: `Reached ${connection.host}:${connection.port}.` });
    if (opened.facts.certificate) steps.push({ name: 'tls', ok: true, message: `Certificate verified: ${opened.facts.certificate.subject} (issued by ${opened.facts.certificate.issuer}, valid to ${opened.facts.certificate.validTo}).` });
    if (opened.facts.hostKeyFingerprint) {
      steps.push({
        name: 'host-key',
        ok: true,
        message: connection.hostKeyFingerprint ? `Host key matches the pinned ${opened.facts.hostKeyFingerprint}.` : `Host key ${opened.facts.hostKeyFingerprint}: save the settings to pin it.`,
      });
    }
    steps.push({ name: 'login', ok: true, message: `Logged in as ${connection.user}.` });
  } catch (error) {
    const failure = error instanceof RelayError ? error : classifyServerError(error, `connecting to ${connection.host}:${connection.port}`);
    steps.push({ name: openStepName(failure.code), ok: false, message: failure.message });
    return result;
  }

  const tag = randomBytes(6).toString('hex');
  const probeName = `backup-center-probe-${tag}.txt`;
  const probe = posix.join(fs.root, probeName);
  const temporary = posix.join(fs.root, temporaryNameFor(probeName, tag));
  const content = Buffer.from(`Backup Center for Jira connection test, ${now().toISOString()}\n`);
  let leftovers: string[] = [];
  const run = async (name: string, action: () => Promise<string>): Promise<boolean> => {
    try {
      steps.push({ name, ok: true, message: await action() });
      return true;
    } catch (error) {
      steps.push({ name, ok: false, message: fs.classify(error, `${name} step`).message });
      return false;
    }
  };

  try {
    const passed =
      (await run('folder', async () => {
        await fs.ensureDir(fs.root);
        return `Folder ${fs.root} is there.`;
      })) &&
      (await run('create', async () => {
        leftovers = [temporary];
        await fs.upload(Readable.from([content]), temporary);
        return `Wrote a ${content.length}-byte probe file.`;
      })) &&
      (await run('rename', async () => {
        await fs.rename(temporary, probe);
        leftovers = [probe];
        return `Renamed the probe into place (uploads are atomic).`;
      })) &&
      (await run('read', async () => {
        const sink = new PassThrough();
        const chunks: Buffer[] = [];
        sink.on('data', (c: Buffer) => chunks.push(c));
        await fs.download(probe, sink);
        if (!Buffer.concat(chunks).equals(content)) throw new RelayError('transient', 'The probe read back differs from what was written.');
        return 'Read the probe back unchanged.';
      })) &&
      (await run('list', async () => {
        const entries = await fs.list(fs.root);
        const entry = entries.find((e) => e.name === probeName);
        if (!entry) throw new RelayError('permission-denied', `The folder listing does not show the probe file; the user may lack list rights.`, false);
        if (entry.size !== content.length) throw new RelayError('transient', `The listing shows the probe as ${entry.size} bytes, not ${content.length}.`);
        const stale = entries.filter((e) => TEMPORARY_NAME.test(e.name)).length;
        return `Listed the folder (${entries.length} entries${stale ? `, ${stale} upload temporaries` : ''}).`;
      })) &&
      (await run('delete', async () => {
        await fs.remove(probe);
        if (await fs.stat(probe)) throw new RelayError('permission-denied', 'The probe file is still there after deleting it; the user may lack delete rights (rotation needs them).', false);
        leftovers = [];
        return 'Deleted the probe.';
      }));
    result.ok = passed;
  } finally {
    for (const path of leftovers) await fs.remove(path).catch(() => undefined);
    await fs.close();
  }
  return result;
}
