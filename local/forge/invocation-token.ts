import { generateKeyPairSync, KeyObject, randomUUID, sign } from 'node:crypto';

export const FIT_ISSUER = 'forge/invocation-token';
/** Short, like Forge's: a token is meant for one request, not to be kept. */
export const FIT_LIFETIME_SECONDS = 120;

export interface FitClaims {
  appAri: string;
  installationId: string;
  apiBaseUrl: string;
  environmentType: string;
  environmentId: string;
  cloudId: string;
  moduleKey?: string;
  moduleType?: string;
  accountId?: string;
}

/**
 * Signs Forge Invocation Tokens (RS256 JWTs) with a key made at platform start, and publishes its public
 * half as a JWKS (served by the platform at `platform.jwksUrl`) so the relay verifies tokens exactly as it
 * verifies Forge's. Times are real (the relay checks exp against its own clock), never the platform clock.
 */
export class InvocationTokenSigner {
  readonly kid = randomUUID();
  private keys?: { privateKey: KeyObject; jwks: { keys: Record<string, unknown>[] } };

  /** The key pair is made on first use: RSA generation costs ~100 ms, and most runs never call a remote. */
  private get keyPair() {
    if (!this.keys) {
      const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      this.keys = { privateKey, jwks: { keys: [{ ...publicKey.export({ format: 'jwk' }), kid: this.kid, alg: 'RS256', use: 'sig' }] } };
    }
    return this.keys;
  }

  get jwks(): { keys: Record<string, unknown>[] } {
    return this.keyPair.jwks;
  }

  sign(claims: FitClaims): string {
    const iat = Math.floor(Date.now() / 1000);
    const payload = {
      iss: FIT_ISSUER,
      aud: claims.appAri,
      iat,
      nbf: iat,
      exp: iat + FIT_LIFETIME_SECONDS,
      jti: randomUUID(),
      app: {
        id: claims.appAri,
        version: '1',
        installationId: claims.installationId,
        apiBaseUrl: claims.apiBaseUrl,
        environment: { type: claims.environmentType, id: claims.environmentId },
        ...(claims.moduleKey ? { module: { type: claims.moduleType, key: claims.moduleKey } } : {}),
        license: { isActive: true },
      },
      context: { cloudId: claims.cloudId },
      ...(claims.accountId ? { principal: claims.accountId } : {}),
    };
    const header = { alg: 'RS256', typ: 'JWT', kid: this.kid };
    const input = `${base64url(header)}.${base64url(payload)}`;
    const signature = sign('sha256', Buffer.from(input), this.keyPair.privateKey).toString('base64url');
    return `${input}.${signature}`;
  }
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
