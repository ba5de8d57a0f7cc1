import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { ForgePlatform } from '../../local/forge';
import { FIT_ISSUER } from '../../local/forge';
import { EchoServer, selfSignedCertificate, startEchoServer } from './echo-server';
import { startFixture } from './start-fixture';

const APP_ARI = 'ari:cloud:ecosystem::app/00000000-1111-4222-8333-444444444444';

/**
 * Verifies a token with the real `jose` package in a child Node process: jose is ESM-only and jest runs
 * CommonJS here. This is how the relay verifies tokens, so it proves the two agree. Asynchronous, so this
 * process keeps serving the JWKS the child fetches.
 */
async function verifyWithJose(token: string, jwksUrl: string): Promise<Record<string, unknown>> {
  const script = `
    import { createRemoteJWKSet, jwtVerify } from 'jose';
    const { payload, protectedHeader } = await jwtVerify(process.argv[1], createRemoteJWKSet(new URL(process.argv[2])),
      { issuer: ${JSON.stringify(FIT_ISSUER)}, audience: ${JSON.stringify(APP_ARI)}, algorithms: ['RS256'] });
    console.log(JSON.stringify({ payload, protectedHeader }));`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script, token, jwksUrl], { cwd: process.cwd() });
  return JSON.parse(stdout) as Record<string, unknown>;
}

describe('invokeRemote with a Forge Invocation Token', () => {
  let relay: EchoServer;
  let platform: ForgePlatform;
  afterEach(async () => {
    await platform.stop();
    await relay.close();
  });

  it('calls the remote over HTTPS trusting the given CA, with a FIT the JWKS at platform.jwksUrl verifies', async () => {
    const tls = selfSignedCertificate();
    relay = await startEchoServer(tls);
    platform = await startFixture({
      jira: { baseUrl: 'http://127.0.0.1:1' },
      remotes: { 'delivery-relay': { baseUrl: relay.url, ca: tls.certPem } },
    });
    const result = await platform.invoke<{ status: number; body: { url: string; method: string; body: string; headers: Record<string, string> } }>(
      'resolver', 'remote', { objects: 3 }, { accountId: 'user-admin' },
    );
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ url: '/v1/echo', method: 'POST' });
    expect(JSON.parse(result.body.body)).toEqual({ objects: 3 });
    const authorization = result.body.headers.authorization;
    expect(authorization).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);

    const { payload, protectedHeader } = (await verifyWithJose(authorization.slice('Bearer '.length), platform.jwksUrl)) as {
      payload: Record<string, any>;
      protectedHeader: Record<string, unknown>;
    };
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload).toMatchObject({
      iss: 'forge/invocation-token',
      aud: APP_ARI,
      principal: 'user-admin',
      context: { cloudId: platform.cloudId },
      app: {
        id: APP_ARI,
        installationId: `ari:cloud:ecosystem::installation/${platform.installationId}`,
        apiBaseUrl: 'http://127.0.0.1:1',
        environment: { type: 'DEVELOPMENT', id: platform.environmentId },
      },
    });
    expect(payload.exp - payload.iat).toBeLessThanOrEqual(300);
    expect(payload.nbf).toBe(payload.iat);
  });

  it('fails TLS without the CA, and names an undeclared remote with InvalidRemoteError', async () => {
    const tls = selfSignedCertificate();
    relay = await startEchoServer(tls);
    platform = await startFixture({ remotes: { 'delivery-relay': { baseUrl: relay.url } } });
    await expect(platform.invoke('resolver', 'remote', {})).rejects.toThrow(/certificate.*pass the remote's CA certificate as remotes\['delivery-relay'\]\.ca/i);
    const { invokeRemote } = await import('@forge/api');
    await expect(invokeRemote('not-declared', { path: '/x' })).rejects.toMatchObject({ name: 'INVALID_REMOTE_ERR' });
    expect(relay.requests).toHaveLength(0);
  });
});
