import { sendHttp } from './http-client';
import { currentInvocation } from './invocation';
import type { FitClaims, InvocationTokenSigner } from './invocation-token';
import type { AppManifest } from './manifest';
import { proxyError } from './responses';

export interface RemoteConfig {
  /** Overrides the manifest's baseUrl (customer-configurable remotes are set per installation). */
  baseUrl: string;
  /** PEM of a CA to trust for this remote (the relay's self-signed certificate). */
  ca?: string | Buffer;
}

/**
 * `invokeRemote(key, {path, method, headers, body})`: the request goes to the remote's base URL with
 * `Authorization: Bearer <Forge Invocation Token>`, as Forge sends it.
 */
export class RemoteInvoker {
  constructor(
    private readonly manifest: AppManifest,
    private readonly configured: Record<string, RemoteConfig>,
    private readonly signer: InvocationTokenSigner,
    private readonly claims: () => Omit<FitClaims, 'accountId' | 'moduleKey' | 'moduleType'>,
  ) {}

  async invoke(remoteKey: string | undefined, path: string, init: RequestInit | undefined): Promise<Response> {
    const declared = remoteKey ? this.manifest.remotes.get(remoteKey) : undefined;
    if (!remoteKey || !declared) {
      return proxyError(400, 'INVALID_REMOTE', `Remote '${String(remoteKey)}' is not declared under remotes in manifest.yml.`);
    }
    const config = this.configured[remoteKey];
    const baseUrl = (config?.baseUrl ?? declared.baseUrl ?? '').replace(/\/+$/, '');
    if (!baseUrl) {
      return proxyError(400, 'INVALID_REMOTE', `Remote '${remoteKey}' has no base URL: pass remotes: { '${remoteKey}': { baseUrl } } to the platform.`);
    }
    const invocation = currentInvocation();
    const token = this.signer.sign({
      ...this.claims(),
      accountId: invocation?.accountId,
      moduleKey: invocation?.moduleKey,
      moduleType: invocation?.moduleType,
    });
    const headers = new Headers(init?.headers);
    headers.set('authorization', `Bearer ${token}`);
    try {
      return await sendHttp(baseUrl + (path.startsWith('/') ? path : `/${path}`), { ...init, headers }, { ca: config?.ca });
    } catch (error) {
      const message = (error as Error).message;
      const hint = /certificate|self.signed/i.test(message)
        ? `pass the remote's CA certificate as remotes['${remoteKey}'].ca`
        : `start it, or pass its address as remotes['${remoteKey}'].baseUrl`;
      throw new Error(`Remote '${remoteKey}' at ${baseUrl} did not answer ${init?.method ?? 'GET'} ${path} (${message}): ${hint}.`, { cause: error });
    }
  }
}
