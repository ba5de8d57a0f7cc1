/**
 * `npm run relay -- [flags]`: starts the delivery relay. See relay/README.md.
 *
 *   --port 8443                  port to listen on (default 8443)
 *   --host 0.0.0.0               address to bind (default 0.0.0.0)
 *   --tls-cert FILE --tls-key FILE   certificate and key (PEM); without them a self-signed pair is generated
 *   --jwks-url URL               where Forge publishes FIT signing keys (default Forge's production JWKS)
 *   --jwks-ca FILE               PEM CA to trust when fetching the JWKS (e.g. the local emulator's)
 *   --audience ARI               the app's ARI; default: app.id from ./manifest.yml
 *   --max-object-bytes N         largest object accepted (default 268435456)
 *   --idle-seconds N             reuse an idle server session for identical settings this long (default 10; 0 = never)
 *   --installation-id ID         accept tokens only from this installation (app.installationId; repeatable)
 *   --cloud-id ID                accept tokens only from this site (context.cloudId; repeatable)
 *   --allow-any-installation     accept every installation of the app (not recommended: see README)
 *   --allow-host HOST            connect only to this server (repeatable; default: any)
 */
import { readFileSync, existsSync } from 'node:fs';
import { createFitVerifier, remoteJwks } from './fit-verifier';
import { generateSelfSigned } from './self-signed';
import { createRelayServer, DEFAULT_IDLE_MS, DEFAULT_MAX_OBJECT_BYTES, listen } from './server';

export const FORGE_JWKS_URL = 'https://forge.cdn.prod.atlassian-dev.net/.well-known/jwks.json';

const FLAGS = ['port', 'host', 'tls-cert', 'tls-key', 'jwks-url', 'jwks-ca', 'audience', 'max-object-bytes', 'idle-seconds'] as const;
const LIST_FLAGS = ['installation-id', 'cloud-id', 'allow-host'] as const;
const SWITCHES = ['allow-any-installation'] as const;
type Flag = (typeof FLAGS)[number];
type ListFlag = (typeof LIST_FLAGS)[number];
type Switch = (typeof SWITCHES)[number];
export type Flags = Partial<Record<Flag, string>> & Record<ListFlag, string[]> & Record<Switch, boolean>;

export function parseFlags(argv: string[]): Flags {
  const flags: Flags = { 'installation-id': [], 'cloud-id': [], 'allow-host': [], 'allow-any-installation': false };
  const known = [...FLAGS, ...LIST_FLAGS, ...SWITCHES].map((f) => `--${f}`).join(' ');
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    const [name, inline] = arg.startsWith('--') ? arg.slice(2).split(/=(.*)/s, 2) : [undefined, undefined];
    if (name && SWITCHES.includes(name as Switch) && inline === undefined) {
      flags[name as Switch] = true;
      continue;
    }
    const isList = LIST_FLAGS.includes(name as ListFlag);
    if (!name || (!isList && !FLAGS.includes(name as Flag))) throw new Error(`Unknown argument "${arg}". Flags: ${known}.`);
    const value = inline ?? argv[++i];
    if (value === undefined || value === '') throw new Error(`--${name} needs a value.`);
    if (isList) flags[name as ListFlag].push(value);
    else flags[name as Flag] = value;
  }
  return flags;
}

function audienceFromManifest(): string | undefined {
  if (!existsSync('manifest.yml')) return undefined;
  return /^\s+id:\s*(ari:cloud:ecosystem::app\/[0-9a-f-]{36})\s*$/m.exec(readFileSync('manifest.yml', 'utf8'))?.[1];
}

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  const audience = flags.audience ?? audienceFromManifest();
  if (!audience) throw new Error('Give --audience ari:cloud:ecosystem::app/<uuid> (the manifest app.id), or run from the folder that holds manifest.yml.');
  if (Boolean(flags['tls-cert']) !== Boolean(flags['tls-key'])) throw new Error('Give both --tls-cert and --tls-key, or neither (a self-signed pair is generated).');
  const tls = flags['tls-cert']
    ? { cert: readFileSync(flags['tls-cert']), key: readFileSync(flags['tls-key'] as string) }
    : (() => {
        const pair = generateSelfSigned();
        console.log(`No --tls-cert given: using a self-signed certificate for localhost (${pair.certFile}). Trust it as the remote's CA.`);
        return { cert: pair.certPem, key: pair.keyPem };
      })();
  const jwksUrl = flags['jwks-url'] ?? FORGE_JWKS_URL;
  const jwksCa = flags['jwks-ca'] ? readFileSync(flags['jwks-ca'], 'utf8') : undefined;
  const maxObjectBytes = flags['max-object-bytes'] ? Number(flags['max-object-bytes']) : DEFAULT_MAX_OBJECT_BYTES;
  if (!Number.isInteger(maxObjectBytes) || maxObjectBytes <= 0) throw new Error('--max-object-bytes must be a positive whole number.');
  const port = flags.port ? Number(flags.port) : 8443;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error('--port must be 0–65535.');

  const idleSeconds = flags['idle-seconds'] ? Number(flags['idle-seconds']) : DEFAULT_IDLE_MS / 1000;
  if (!(idleSeconds >= 0 && idleSeconds <= 300)) throw new Error('--idle-seconds must be 0–300.');

  const installationIds = flags['installation-id'];
  const cloudIds = flags['cloud-id'];
  const allowAnyInstallation = flags['allow-any-installation'];
  if (installationIds.length === 0 && cloudIds.length === 0 && !allowAnyInstallation) {
    throw new Error(
      'Give --installation-id <app.installationId> and/or --cloud-id <context.cloudId> for the site this relay serves. ' +
        'To find them, start with a placeholder such as --cloud-id unknown and run Test connection from the app: the relay refuses it and logs the token\'s installationId and cloudId to copy (see relay/README.md).',
    );
  }
  if (allowAnyInstallation && (installationIds.length > 0 || cloudIds.length > 0)) {
    throw new Error('--allow-any-installation cannot be combined with --installation-id or --cloud-id: choose one.');
  }
  if (allowAnyInstallation) {
    console.warn(
      'WARNING: --allow-any-installation: every site that installs this app can use this relay and make it connect to any server it can reach. ' +
        'Restart with --installation-id / --cloud-id for your site instead.',
    );
  }
  const verifyFit = createFitVerifier({ keys: remoteJwks(jwksUrl, jwksCa), audience, installationIds, cloudIds, allowAnyInstallation });
  const allowedHosts = flags['allow-host'];
  const server = createRelayServer({ tls, verifyFit, maxObjectBytes, idleMs: idleSeconds * 1000, allowedHosts });
  const running = await listen(server, port, flags.host ?? '0.0.0.0');
  console.log(JSON.stringify({ event: 'listening', url: running.url, audience, jwksUrl, installationIds, cloudIds, allowAnyInstallation, allowedHosts, maxObjectBytes, idleSeconds }));
  const stop = () => void running.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (require.main === module) {
  main().catch((error: Error) => {
    console.error(`delivery relay: ${error.message}`);
    process.exit(1);
  });
}
