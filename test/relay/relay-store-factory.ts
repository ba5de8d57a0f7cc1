/**
 * RelayStore instances for tests that talk to the relay process directly over HTTPS with a locally
 * signed FIT (what Forge's invokeRemote does in production), plus a raw view of the server folder
 * for the conformance suite's "no temporaries left" checks (the servers run on this machine).
 */
import { mkdirSync, readdirSync, chownSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { RelayStore } from '../../src/adapters/storage/relay-store';
import type { RelayInvoker } from '../../src/adapters/storage/relay-invoker';
import type { ConformanceStore } from '../storage/conformance';
import { httpsCall, RELAY_MAX_OBJECT_BYTES, type BackendKind, type RelayHarness } from './relay-harness';

export function httpsInvoker(h: RelayHarness, token: () => string | null = () => h.issuer.sign()): RelayInvoker {
  return async (path, init) => {
    const headers: Record<string, string> = { ...init.headers };
    const fit = token();
    if (fit !== null) headers.authorization = `Bearer ${fit}`;
    const body = init.body === undefined ? undefined : Buffer.from(init.body as Uint8Array);
    const reply = await httpsCall(`${h.relay.url}${path}`, h.relay.ca, init.method, headers, body);
    return {
      status: reply.status,
      headers: { get: (name: string) => (reply.headers[name.toLowerCase()] as string | undefined) ?? null },
      arrayBuffer: async () => reply.body.buffer.slice(reply.body.byteOffset, reply.body.byteOffset + reply.body.byteLength) as ArrayBuffer,
      text: async () => reply.body.toString('utf8'),
    };
  };
}

export function recursiveNames(dir: string, base = ''): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const full = join(dir, name);
    const relative = base ? `${base}/${name}` : name;
    return statSync(full).isDirectory() ? recursiveNames(full, relative) : [relative];
  });
}

/** A folder under the servers' files root owned by the test user. */
export function userFolder(h: RelayHarness, name: string): string {
  const folder = join(h.servers.filesRoot, name);
  mkdirSync(folder, { recursive: true });
  const owner = statSync(h.servers.filesRoot);
  chownSync(folder, owner.uid, owner.gid);
  return folder;
}

export function relayConformanceStore(h: RelayHarness, kind: BackendKind, testId: string): ConformanceStore {
  const folder = userFolder(h, `${kind}-${testId}`);
  const store = new RelayStore({
    connection: h.connection(kind, folder),
    invoke: httpsInvoker(h),
    maxObjectBytes: RELAY_MAX_OBJECT_BYTES,
    retry: { attempts: 3, delayMs: () => 50 },
  });
  return { store, rawNames: async () => recursiveNames(folder) };
}
