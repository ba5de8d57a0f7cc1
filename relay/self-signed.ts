/**
 * A throw-away self-signed certificate for running the relay (or a test FTPS server) locally, made
 * with the openssl binary so no key material is checked in. Not for production: give the relay a
 * real certificate there (--tls-cert / --tls-key).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface CertificatePair {
  certPem: string;
  keyPem: string;
  certFile: string;
  keyFile: string;
}

export function generateSelfSigned(commonName = 'localhost', dir = mkdtempSync(join(tmpdir(), 'relay-tls-'))): CertificatePair {
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  try {
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '30', '-subj', `/CN=${commonName}`,
        '-addext', `subjectAltName=DNS:${commonName},DNS:localhost,IP:127.0.0.1`],
      { stdio: 'pipe' },
    );
  } catch (error) {
    throw new Error(`Could not create a self-signed certificate with openssl (${(error as Error).message}). Install openssl or pass --tls-cert and --tls-key.`);
  }
  return { certPem: readFileSync(certFile, 'utf8'), keyPem: readFileSync(keyFile, 'utf8'), certFile, keyFile };
}
