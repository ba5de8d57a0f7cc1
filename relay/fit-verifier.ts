/**
 * Verifies the Forge Invocation Token (FIT) that Forge puts in `authorization: Bearer …` on every
 * call to a remote: signature against the JWKS, issuer, audience (this app's ARI), exp / nbf with at
 * most 60 s of clock skew. Anything else is refused; the reason is for the relay's log only.
 */
import { request as httpsRequest } from 'node:https';
import { request as httpRequest } from 'node:http';
import { createLocalJWKSet, createRemoteJWKSet, customFetch, jwtVerify, type JSONWebKeySet, type JWTPayload, type JWTVerifyGetKey } from 'jose';

export const FIT_ISSUER = 'forge/invocation-token';
export const MAX_CLOCK_SKEW_SECONDS = 60;

export interface FitVerifierOptions {
  /** Where the signing keys come from: a JWKS URL resolver (remoteJwks) or a key set given directly. */
  keys: JWTVerifyGetKey;
  /** The app's ARI, `ari:cloud:ecosystem::app/<uuid>` (manifest `app.id`). */
  audience: string;
  clockToleranceSeconds?: number;
  /** Seconds since the epoch; tests pass a fixed time. */
  currentDate?: () => Date;
}

export class FitRejected extends Error {
  constructor(readonly reason: string) {
    super(`Forge invocation token refused: ${reason}`);
    this.name = 'FitRejected';
  }
}

export type FitVerifier = (authorization: string | undefined) => Promise<JWTPayload>;

export function createFitVerifier(options: FitVerifierOptions): FitVerifier {
  const tolerance = Math.min(options.clockToleranceSeconds ?? MAX_CLOCK_SKEW_SECONDS, MAX_CLOCK_SKEW_SECONDS);
  if (!/^ari:cloud:ecosystem::app\/[0-9a-f-]{36}$/.test(options.audience)) {
    throw new Error(`The expected audience "${options.audience}" is not an app ARI (ari:cloud:ecosystem::app/<uuid>): pass the manifest's app.id.`);
  }
  return async (authorization) => {
    const match = /^Bearer ([A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+)$/.exec(authorization ?? '');
    if (!match) throw new FitRejected('no bearer JWT in the authorization header');
    try {
      const { payload } = await jwtVerify(match[1], options.keys, {
        issuer: FIT_ISSUER,
        audience: options.audience,
        clockTolerance: tolerance,
        requiredClaims: ['exp'],
        algorithms: ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'],
        currentDate: options.currentDate?.(),
      });
      return payload;
    } catch (error) {
      throw new FitRejected((error as Error).message);
    }
  };
}

export function localJwks(set: JSONWebKeySet): JWTVerifyGetKey {
  return createLocalJWKSet(set);
}

/** JWKS fetched (and cached by jose) from `url`; `caPem` trusts a private CA such as the local emulator's. */
export function remoteJwks(url: string, caPem?: string): JWTVerifyGetKey {
  const target = new URL(url);
  if (!caPem) return createRemoteJWKSet(target);
  return createRemoteJWKSet(target, {
    [customFetch]: (href: string) =>
      new Promise<Response>((resolve, reject) => {
        const requester = href.startsWith('https:') ? httpsRequest : httpRequest;
        const req = requester(href, { method: 'GET', ca: caPem, headers: { accept: 'application/json' } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve(new Response(Buffer.concat(chunks), { status: res.statusCode ?? 500, headers: { 'content-type': 'application/json' } })));
          res.on('error', reject);
        });
        req.on('error', reject);
        req.end();
      }),
  });
}
