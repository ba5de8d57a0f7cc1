/**
 * The relay refuses every request whose Forge Invocation Token is missing, unsigned, expired, not yet
 * valid, for another app, from another issuer, tampered with or signed by an unknown key, and says
 * nothing about why (401 "Unauthorized"). A valid token within the 60 s clock skew is accepted.
 * Runs the relay as the admin would (`tsx relay/cli.ts`), with the JWKS served over loopback.
 */
import { createHash } from 'node:crypto';
import { encodeRelayRequest, RELAY_REQUEST_HEADER } from '../../relay/protocol';
import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import { generateSelfSigned } from '../../relay/self-signed';
import { createFitIssuer, TEST_APP_ARI, TEST_CLOUD_ID, TEST_INSTALLATION_ID } from './fit-keys';
import { httpsCall, type RelayReply } from './relay-harness';
import { startRelayProcess, type RelayProcess } from './relay-process';

const issuer = createFitIssuer();
let relay: RelayProcess;
beforeAll(async () => {
  relay = await startRelayProcess({ jwks: issuer.jwks, audience: TEST_APP_ARI, site: { installationId: TEST_INSTALLATION_ID, cloudId: TEST_CLOUD_ID } });
}, 30_000);
afterAll(async () => relay?.stop());

// Nothing listens on port 1: an accepted request gets as far as a refused connection.
const connection = { protocol: 'ftp', host: '127.0.0.1', port: 1, user: 'nobody', password: 'x', folder: '/tmp' };

function call(authorization: string | undefined, operation = 'test-connection', fields: object = { connection }): Promise<RelayReply> {
  const headers: Record<string, string> = { [RELAY_REQUEST_HEADER]: encodeRelayRequest(fields) };
  if (authorization !== undefined) headers.authorization = authorization;
  return httpsCall(`${relay.url}/v1/${operation}`, relay.ca, 'POST', headers);
}

function expectRefused(reply: RelayReply): void {
  expect(reply.status).toBe(401);
  expect(reply.json()).toEqual({ error: { code: 'unauthorized', message: 'Unauthorized', retryable: false } });
}

const now = () => Math.floor(Date.now() / 1000);
const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

test('a valid token is accepted and the operation runs', async () => {
  const reply = await call(`Bearer ${issuer.sign()}`);
  expect(reply.status).toBe(200);
  const result = reply.json();
  expect(result.ok).toBe(false);
  expect(result.steps).toEqual([{ name: 'connect', ok: false, message: expect.stringMatching(/refused.*Check the host and port/) }]);
});

test('a token that expired 30 s ago is still accepted (clock skew up to 60 s)', async () => {
  expect((await call(`Bearer ${issuer.sign({ exp: now() - 30 })}`)).status).toBe(200);
});

test.each([
  ['no authorization header', () => undefined],
  ['a non-bearer scheme', () => `Basic ${Buffer.from('a:b').toString('base64')}`],
  ['garbage instead of a JWT', () => 'Bearer not-a-jwt'],
  ['an unsigned token (alg none)', () => `Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${b64({ iss: 'forge/invocation-token', aud: TEST_APP_ARI, exp: now() + 300 })}.`],
  ['an unsigned token with an empty signature', () => `Bearer ${issuer.sign().split('.').slice(0, 2).join('.')}.`],
  ['an expired token (beyond the 60 s skew)', () => `Bearer ${issuer.sign({ exp: now() - 120 })}`],
  ['a token not valid yet (nbf beyond the skew)', () => `Bearer ${issuer.sign({ nbf: now() + 300, exp: now() + 600 })}`],
  ['a token without exp', () => `Bearer ${issuer.sign({ exp: null })}`],
  ['a token for another app', () => `Bearer ${issuer.sign({ aud: 'ari:cloud:ecosystem::app/00000000-0000-4000-8000-000000000000' })}`],
  ['a valid token from another installation of the app', () => `Bearer ${issuer.sign({ installationId: 'ari:cloud:ecosystem::installation/attacker' })}`],
  ['a valid token from another site (cloud id)', () => `Bearer ${issuer.sign({ cloudId: 'attacker-cloud' })}`],
  ['a token from another issuer', () => `Bearer ${issuer.sign({ iss: 'someone-else' })}`],
  ['a token signed by an unknown key', () => `Bearer ${issuer.sign({ key: issuer.otherKey })}`],
  ['a token naming an unknown key id', () => `Bearer ${issuer.sign({ kid: 'other-kid' })}`],
  [
    'a tampered token (payload changed, signature kept)',
    () => {
      const [header, , signature] = issuer.sign().split('.');
      return `Bearer ${header}.${b64({ iss: 'forge/invocation-token', aud: TEST_APP_ARI, exp: now() + 3600, context: { cloudId: 'attacker' } })}.${signature}`;
    },
  ],
  [
    'a tampered signature',
    () => {
      const token = issuer.sign();
      const last = token.at(-2) === 'A' ? 'B' : 'A';
      return `Bearer ${token.slice(0, -2)}${last}${token.at(-1)}`;
    },
  ],
])('refuses %s with a bare 401', async (_name, authorization) => {
  expectRefused(await call(authorization()));
});

test('refusal happens before anything else: even an unknown operation or a put body gets 401', async () => {
  expectRefused(await call(undefined, 'no-such-operation'));
  const body = Buffer.from('secret bytes');
  const headers = { [RELAY_REQUEST_HEADER]: encodeRelayRequest({ connection, path: 'a', size: body.length, sha256: createHash('sha256').update(body).digest('hex') }) };
  expectRefused(await httpsCall(`${relay.url}/v1/put`, relay.ca, 'POST', headers, body));
});

test('the relay log names the reason, the response does not', async () => {
  await call(`Bearer ${issuer.sign({ exp: now() - 3600 })}`);
  await new Promise((r) => setTimeout(r, 100));
  expect(relay.output()).toMatch(/"event":"refused","reason":"[^"]*exp[^"]*"/);
});

test('with a valid token, malformed requests get a clear 400', async () => {
  const reply = await httpsCall(`${relay.url}/v1/stat`, relay.ca, 'POST', { authorization: `Bearer ${issuer.sign()}` });
  expect(reply.status).toBe(400);
  expect(reply.json().error).toMatchObject({ code: 'invalid', message: expect.stringContaining('x-relay-request') });
  const badConnection = await call(`Bearer ${issuer.sign()}`, 'stat', { connection: { ...connection, protocol: 'gopher' }, path: 'a' });
  expect(badConnection.json().error.message).toMatch(/protocol must be one of ftp, ftps-explicit, ftps-implicit, sftp/);
  const escape = await call(`Bearer ${issuer.sign()}`, 'stat', { connection, path: '../etc/passwd' });
  expect(escape.status).toBe(400);
});

test('a refused token from another site is logged with its installation and cloud ids, so the admin can copy them', async () => {
  expectRefused(await call(`Bearer ${issuer.sign({ installationId: 'ari:cloud:ecosystem::installation/other-site', cloudId: 'other-cloud' })}`));
  await new Promise((r) => setTimeout(r, 100));
  const line = relay.output().split('\n').find((l) => l.includes('other-site'));
  expect(JSON.parse(line as string)).toMatchObject({ event: 'refused', installationId: 'ari:cloud:ecosystem::installation/other-site', cloudId: 'other-cloud' });
});

describe('which sites a relay serves', () => {
  const start = (site: Parameters<typeof startRelayProcess>[0]['site'], extraArgs: string[] = []) =>
    startRelayProcess({ jwks: issuer.jwks, audience: TEST_APP_ARI, site, extraArgs });
  const callOn = (r: RelayProcess, token: string, fields: object = { connection }) =>
    httpsCall(`${r.url}/v1/test-connection`, r.ca, 'POST', { authorization: `Bearer ${token}`, [RELAY_REQUEST_HEADER]: encodeRelayRequest(fields) });

  test('without --installation-id, --cloud-id or --allow-any-installation the relay does not start and says what to give', async () => {
    await expect(start({})).rejects.toThrow(/exited with 1[\s\S]*Give --installation-id .* and\/or --cloud-id/);
  });

  test('--installation-id alone (as the bare uuid): that installation passes, another is refused', async () => {
    const r = await start({ installationId: 'f00dcafe-0000-4000-8000-000000000001' });
    try {
      expect((await callOn(r, issuer.sign({ installationId: 'ari:cloud:ecosystem::installation/f00dcafe-0000-4000-8000-000000000001', cloudId: 'any' }))).status).toBe(200);
      expectRefused(await callOn(r, issuer.sign()));
    } finally {
      await r.stop();
    }
  });

  test('--cloud-id alone: that site passes, another is refused', async () => {
    const r = await start({ cloudId: 'cloud-2' });
    try {
      expect((await callOn(r, issuer.sign({ cloudId: 'cloud-2' }))).status).toBe(200);
      expectRefused(await callOn(r, issuer.sign()));
    } finally {
      await r.stop();
    }
  });

  test('--allow-any-installation accepts every site and warns loudly', async () => {
    const r = await start('any');
    try {
      expect((await callOn(r, issuer.sign({ installationId: 'ari:cloud:ecosystem::installation/anyone', cloudId: 'anywhere' }))).status).toBe(200);
      expect(r.output()).toMatch(/WARNING: --allow-any-installation/);
    } finally {
      await r.stop();
    }
  });

  test('--allow-host: other servers are refused before any connection, with a message naming the flag', async () => {
    const r = await start({ cloudId: TEST_CLOUD_ID }, ['--allow-host', 'LOCALHOST', '--allow-host', 'sftp.example.com']);
    try {
      const refused = await callOn(r, issuer.sign(), { connection });
      expect(refused.status).toBe(400);
      expect(refused.json().error).toMatchObject({ code: 'invalid', message: expect.stringContaining('--allow-host 127.0.0.1') });
      const allowed = await callOn(r, issuer.sign(), { connection: { ...connection, host: 'localhost' } });
      expect(allowed.status).toBe(200);
      expect(allowed.json().steps[0]).toMatchObject({ name: 'connect', ok: false });
    } finally {
      await r.stop();
    }
  });
});

test.each([['http', false], ['https with --jwks-ca', true]])(
  'a JWKS endpoint that never answers (%s): the relay refuses within its 10 s timeout instead of hanging',
  async (_name, tls) => {
    const sockets = new Set<Socket>();
    const pair = generateSelfSigned('localhost');
    const never = () => undefined; // accepts the request, never answers
    const silent: Server = tls ? createHttpsServer({ key: pair.keyPem, cert: pair.certPem }, never) : createServer(never);
    silent.on(tls ? 'secureConnection' : 'connection', (s: Socket) => sockets.add(s));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const jwksUrl = `${tls ? 'https' : 'http'}://127.0.0.1:${(silent.address() as { port: number }).port}/jwks`;
    const r = await startRelayProcess({ jwksUrl, audience: TEST_APP_ARI, site: { cloudId: TEST_CLOUD_ID }, extraArgs: tls ? ['--jwks-ca', pair.certFile] : [] });
    try {
      const started = Date.now();
      const headers = { authorization: `Bearer ${issuer.sign()}`, [RELAY_REQUEST_HEADER]: encodeRelayRequest({ connection }) };
      expectRefused(await httpsCall(`${r.url}/v1/test-connection`, r.ca, 'POST', headers));
      expect(Date.now() - started).toBeLessThan(14_000);
      expect(r.output()).toMatch(/"event":"refused"/);
    } finally {
      await r.stop();
      sockets.forEach((s) => s.destroy());
      await new Promise((resolve) => silent.close(resolve));
    }
  },
  30_000,
);
