/**
 * How the app reaches the delivery relay. In Forge that is `invokeRemote('delivery-relay', …)`, which
 * adds the Forge Invocation Token; the local emulator implements the same call. Kept behind a tiny
 * function type so RelayStore does not care which one it talks through.
 */
import { invokeRemote } from '@forge/api';

export interface RelayHttpResponse {
  status: number;
  headers: { get(name: string): string | null };
  arrayBuffer(): Promise<ArrayBuffer>;
  text(): Promise<string>;
}

export type RelayInvoker = (
  path: string,
  init: { method: 'POST'; headers: Record<string, string>; body?: Uint8Array | string },
) => Promise<RelayHttpResponse>;

/** The manifest's remote key for the relay. */
export const RELAY_REMOTE_KEY = 'delivery-relay';

export function forgeRelayInvoker(remoteKey = RELAY_REMOTE_KEY): RelayInvoker {
  return (path, init) => invokeRemote(remoteKey, { path, method: init.method, headers: init.headers, body: init.body as never });
}
