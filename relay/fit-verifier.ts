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
  /**
   * Which installations of the app may use this relay. The remote's URL is customer-configurable, so a
   * valid token only proves "some site installed this app": without these lists anyone could point their
   * own installation at this relay and make it connect wherever they like. At least one list must be
   * non-empty unless `allowAnyInstallation` is set.
   */
  installationIds?: string[];
  cloudIds?: string[];
  allowAnyInstallation?: boolean;
  clockToleranceSeconds?: number;
  /** Seconds since the epoch; tests pass a fixed time. */
  currentDate?: () => Date;
}

/** The claims that identify the calling site; not secret, logged so the admin can copy them into the flags. */
export interface FitInstallation {
  installationId?: string;
  cloudId?: string;
}

export class FitRejected extends Error {
  constructor(
    readonly reason: string,
    /** Set only for a correctly signed token from an installation this relay does not serve. */
    readonly installation?: FitInstallation,
  ) {
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
  const installationIds = new Set((options.installationIds ?? []).map(bareInstallationId));
  const cloudIds = new Set(options.cloudIds ?? []);
  if (installationIds.size === 0 && cloudIds.size === 0 && !options.allowAnyInstallation) {
    throw new Error('Give --installation-id and/or --cloud-id (the site this relay serves), or --allow-any-installation to accept every installation of the app.');
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
      const installation = installationOf(payload);
      if (installationIds.size > 0 && !installationIds.has(bareInstallationId(installation.installationId ?? ''))) {
        throw new FitRejected(`installation ${installation.installationId ?? '(none)'} is not one of --installation-id`, installation);
      }
      if (cloudIds.size > 0 && !cloudIds.has(installation.cloudId ?? '')) {
        throw new FitRejected(`cloud ${installation.cloudId ?? '(none)'} is not one of --cloud-id`, installation);
      }
      return payload;
    } catch (error) {
      if (error instanceof FitRejected) throw error;
      throw new FitRejected((error as Error).message);
    }
  };
}

/** Forge puts `ari:cloud:ecosystem::installation/<uuid>` in the token; the flag may give that ARI or just the uuid. */
function bareInstallationId(id: string): string {
  return id.trim().replace(/^ari:cloud:ecosystem::installation\//, '');
}

function installationOf(payload: JWTPayload): FitInstallation {
  const app = payload.app as { installationId?: unknown } | undefined;
  const context = payload.context as { cloudId?: unknown } | undefined;
  return {
    installationId: typeof app?.installationId === 'string' ? app.installationId : undefined,
    cloudId: typeof context?.cloudId === 'string' ? context.cloudId : undefined,
  };
}

export function localJwks(set: JSONWebKeySet): JWTVerifyGetKey {
  return createLocalJWKSet(set);
}

/** A JWKS endpoint that never answers must not hold every request: jose aborts the fetch after this long and the request is refused. */
export const JWKS_TIMEOUT_MS = 10_000;

/**
 * JWKS fetched (and cached by jose) from `url`; `caPem` trusts a private CA such as the local emulator's.
 * One node:http(s) fetch for both cases, so the abort signal jose passes (its timeout) is always honoured.
 */
export function remoteJwks(url: string, caPem?: string, timeoutMs = JWKS_TIMEOUT_MS): JWTVerifyGetKey {
  const target = new URL(url);
  return createRemoteJWKSet(target, {
    timeoutDuration: timeoutMs,
    [customFetch]: (href: string, init: { signal: AbortSignal }) =>
      new Promise<Response>((resolve, reject) => {
        const requester = href.startsWith('https:') ? httpsRequest : httpRequest;
        const req = requester(href, { method: 'GET', ...(caPem ? { ca: caPem } : {}), headers: { accept: 'application/json' }, signal: init.signal }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve(new Response(Buffer.concat(chunks), { status: res.statusCode ?? 500, headers: { 'content-type': 'application/json' } })));
          res.on('error', reject);
        });
        // Node destroys the request (and its response) on abort; this also covers a body that stops mid-way.
        req.setTimeout(timeoutMs, () => req.destroy(new Error(`the JWKS at ${href} did not answer within ${timeoutMs / 1000} s`)));
        req.on('error', reject);
        req.end();
      }),
  });
}
