/**
 * A local FIT issuer for relay tests: an RSA key pair, its JWKS, and RS256 tokens shaped like Forge's.
 * Signed with node:crypto rather than jose on purpose: jose is ESM-only and jest here runs CommonJS,
 * and a second, independent JWT implementation makes the relay's verification test more honest.
 */
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

export const TEST_APP_ARI = 'ari:cloud:ecosystem::app/7f3c1d2e-4b5a-4c6d-8e9f-0a1b2c3d4e5f';
export const TEST_KID = 'forge-test-key';
/** The site the test tokens come from; relays in the tests are started for it. */
export const TEST_INSTALLATION_ID = 'ari:cloud:ecosystem::installation/1';
export const TEST_CLOUD_ID = 'cloud-1';

export interface TokenOverrides {
  aud?: string;
  iss?: string;
  /** Epoch seconds; null leaves the claim out. */
  exp?: number | null;
  nbf?: number;
  kid?: string;
  alg?: string;
  installationId?: string;
  cloudId?: string;
  key?: KeyObject;
}

export interface FitIssuer {
  jwks: { keys: object[] };
  sign(overrides?: TokenOverrides): string;
  /** A key the relay does not know. */
  otherKey: KeyObject;
}

const b64url = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

export function createFitIssuer(): FitIssuer {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid: TEST_KID, alg: 'RS256', use: 'sig' };
  return {
    jwks: { keys: [jwk] },
    otherKey: other.privateKey,
    sign(overrides = {}) {
      const now = Math.floor(Date.now() / 1000);
      const header = { alg: overrides.alg ?? 'RS256', typ: 'JWT', kid: overrides.kid ?? TEST_KID };
      const payload: Record<string, unknown> = {
        iss: overrides.iss ?? 'forge/invocation-token',
        aud: overrides.aud ?? TEST_APP_ARI,
        iat: now,
        nbf: overrides.nbf ?? now - 5,
        app: { installationId: overrides.installationId ?? TEST_INSTALLATION_ID, apiBaseUrl: 'https://api.atlassian.com/ex/jira/cloud-1' },
        context: { cloudId: overrides.cloudId ?? TEST_CLOUD_ID },
      };
      if (overrides.exp !== null) payload.exp = overrides.exp ?? now + 300;
      const signingInput = `${b64url(header)}.${b64url(payload)}`;
      const signature = sign('sha256', Buffer.from(signingInput), overrides.key ?? privateKey).toString('base64url');
      return `${signingInput}.${signature}`;
    },
  };
}

