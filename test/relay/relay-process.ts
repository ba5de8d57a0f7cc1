/**
 * Starts the real relay the way an admin does (`tsx relay/cli.ts …`) as a child process, with a JWKS
 * served by the test over loopback HTTP, and stops it by pid.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { generateSelfSigned } from '../../relay/self-signed';

export interface RelayProcess {
  url: string;
  ca: string;
  pid: number;
  output: () => string;
  stop(): Promise<void>;
}

const ROOT = join(__dirname, '..', '..');

/** The site(s) the relay serves: `--installation-id` / `--cloud-id`, or 'any' for `--allow-any-installation`. */
export type RelaySite = { installationId?: string; cloudId?: string } | 'any';

export function siteArgs(site: RelaySite): string[] {
  if (site === 'any') return ['--allow-any-installation'];
  return [...(site.installationId ? ['--installation-id', site.installationId] : []), ...(site.cloudId ? ['--cloud-id', site.cloudId] : [])];
}

/** Give `jwks` to have the test serve it, or `jwksUrl` to point the relay at an existing one (the emulator's). */
export async function startRelayProcess(options: { jwks?: object; jwksUrl?: string; audience: string; site: RelaySite; extraArgs?: string[] }): Promise<RelayProcess> {
  let jwksServer: Server | undefined;
  let jwksUrl = options.jwksUrl;
  if (!jwksUrl) {
    const server = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(options.jwks));
    });
    jwksServer = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}/.well-known/jwks.json`;
  }
  const tls = generateSelfSigned('localhost');
  const child: ChildProcess = spawn(
    process.execPath,
    [require.resolve('tsx/cli'), join(ROOT, 'relay', 'cli.ts'), '--port', '0', '--host', '127.0.0.1', '--tls-cert', tls.certFile, '--tls-key', tls.keyFile,
      '--jwks-url', jwksUrl, '--audience', options.audience, ...siteArgs(options.site), ...(options.extraArgs ?? [])],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const stopJwks = () => new Promise<void>((resolve) => (jwksServer ? jwksServer.close(() => resolve()) : resolve()));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`The relay did not start within 20 s. Output: ${output}`)), 20_000);
      const onData = () => {
        const match = /"event":"listening","url":"([^"]+)"/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      };
      child.stdout?.on('data', onData);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`The relay exited with ${code}. Output: ${output}`));
      });
    });
    return {
      url,
      ca: tls.certPem,
      pid: child.pid as number,
      output: () => output,
      async stop() {
        if (child.exitCode === null) {
          const exited = new Promise((resolve) => child.once('exit', resolve));
          process.kill(child.pid as number, 'SIGTERM');
          await Promise.race([exited, new Promise((r) => setTimeout(r, 3000).unref())]);
        }
        await stopJwks();
      },
    };
  } catch (error) {
    if (child.exitCode === null) process.kill(child.pid as number, 'SIGKILL');
    await stopJwks();
    throw error;
  }
}
