/**
 * Standalone Jira simulator: `npm run jira-sim -- --port 8080 --issues 1000 [--projects 3] [--attachments-mb 5]
 * [--seed 1] [--time-zone Europe/Berlin] [--latency-ms 0] [--rate-limits on|off] [--hourly-points 65000]`.
 * Prints the base URL, then serves until interrupted.
 */
import { startJiraSimulator } from './server';

const HELP = `Usage: npm run jira-sim -- [--port P] [--issues N] [--projects N] [--attachments-mb N] [--users N] [--seed N]
                        [--time-zone ZONE] [--latency-ms N] [--rate-limits on|off] [--hourly-points N] [--host H]`;

function parseArgs(argv: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') { out.help = 'true'; continue; }
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!m) throw new Error(`Unexpected argument '${arg}'.\n${HELP}`);
    const value = m[2] ?? argv[++i];
    if (value === undefined) throw new Error(`Option --${m[1]} needs a value.\n${HELP}`);
    out[m[1]] = value;
  }
  return out;
}

function numberOption(args: Record<string, string>, name: string): number | undefined {
  if (args[name] === undefined) return undefined;
  const n = Number(args[name]);
  if (!Number.isFinite(n)) throw new Error(`--${name} must be a number, got '${args[name]}'.`);
  return n;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.help) { console.log(HELP); return; }
  const known = ['port', 'issues', 'projects', 'attachments-mb', 'users', 'seed', 'time-zone', 'latency-ms', 'rate-limits', 'hourly-points', 'host'];
  const unknown = Object.keys(args).filter((k) => !known.includes(k));
  if (unknown.length > 0) throw new Error(`Unknown option(s): ${unknown.map((k) => `--${k}`).join(', ')}.\n${HELP}`);
  const started = performance.now();
  const sim = await startJiraSimulator({
    port: numberOption(args, 'port') ?? 0,
    host: args.host,
    site: {
      issues: numberOption(args, 'issues'),
      projects: numberOption(args, 'projects'),
      attachmentsMb: numberOption(args, 'attachments-mb'),
      users: numberOption(args, 'users'),
      seed: numberOption(args, 'seed'),
    },
    timeZone: args['time-zone'],
    latencyMs: numberOption(args, 'latency-ms'),
    rateLimits: args['rate-limits'] === 'on' || args['hourly-points'] ? { hourlyPoints: numberOption(args, 'hourly-points') } : 'off',
  });
  console.log(sim.baseUrl);
  console.error(`Jira simulator: ${sim.site.issues.size} issues, ${sim.site.projects.length} projects, ${sim.site.attachments.size} attachments; ready in ${Math.round(performance.now() - started)} ms.`);
  console.error(`Identity: header x-emulator-account-id (admin ${sim.accounts.admin}, non-admin ${sim.accounts.nonAdmin}); without it, the app user. Ctrl-C to stop.`);
  const stop = () => { sim.stop().then(() => process.exit(0)); };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
