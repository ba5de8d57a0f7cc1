/**
 * `npm start` (README: `./dev start`): the product's main job on one machine, without Atlassian.
 * It starts the bundled demo Jira site (the simulator) and the local Forge platform with its embedded, persistent
 * storage (`.local-data/`), then does what an admin does on the page — the same resolvers, the same queue consumer,
 * the same real @forge packages: makes sure a plan exists, presses "Back up now", lets the worker run the backup to
 * the end, and prints the control panel's summary.
 *
 * Options: --data-dir DIR (default .local-data), --issues N, --projects N, --attachments-mb N, --extended,
 * and JIRA_BASE_URL + JIRA_EMAIL + JIRA_API_TOKEN to back up a real site instead of the demo one.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ForgePlatform } from '../forge';
import { startJiraSimulator, type JiraSimulator } from '../jira-sim';
import { defaultPlan } from '../../src/core/plans';
import { formatControlPanelAnswer, type ControlPanelView, type ResolverResult } from '../../src/core/admin';

const PAGE = 'backup-center-admin-page';
const DEMO_PLAN_NAME = 'Demo site';

interface Options {
  dataDir: string;
  issues: number;
  projects: number;
  attachmentsMb: number;
  extended: boolean;
}

function readOptions(): Options {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string', default: '.local-data' },
      issues: { type: 'string', default: '120' },
      projects: { type: 'string', default: '3' },
      'attachments-mb': { type: 'string', default: '2' },
      extended: { type: 'boolean', default: true },
    },
  });
  return {
    dataDir: resolve(values['data-dir']!),
    issues: positiveInteger('--issues', values.issues!),
    projects: positiveInteger('--projects', values.projects!),
    attachmentsMb: positiveInteger('--attachments-mb', values['attachments-mb']!, true),
    extended: values.extended!,
  };
}

function positiveInteger(flag: string, text: string, zeroAllowed = false): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < (zeroAllowed ? 0 : 1)) {
    throw new Error(`${flag} must be a whole number${zeroAllowed ? '' : ' above 0'}; it was "${text}".`);
  }
  return value;
}

/** The real site when its credentials are in the environment, else the bundled demo site. */
async function jiraSite(options: Options): Promise<{ baseUrl: string; email?: string; apiToken?: string; admin?: string; sim?: JiraSimulator }> {
  const { JIRA_BASE_URL: baseUrl, JIRA_EMAIL: email, JIRA_API_TOKEN: apiToken } = process.env;
  if (baseUrl) {
    if (!email || !apiToken) throw new Error('JIRA_BASE_URL is set: set JIRA_EMAIL and JIRA_API_TOKEN too (an API token of a Jira administrator).');
    // The page's resolvers run as the signed-in admin: on a real site that is the token's own account.
    return { baseUrl, email, apiToken, admin: await accountOf(baseUrl, email, apiToken) };
  }
  // Seeded, so every run sees the same demo site and the second run is an incremental backup of it.
  const sim = await startJiraSimulator({
    port: 0,
    site: { seed: 2026, projects: options.projects, issues: options.issues, attachmentsMb: options.attachmentsMb },
  });
  return { baseUrl: sim.baseUrl, admin: sim.accounts.admin, sim };
}

async function accountOf(baseUrl: string, email: string, apiToken: string): Promise<string> {
  const response = await fetch(new URL('/rest/api/3/myself', baseUrl), {
    headers: { authorization: `Basic ${Buffer.from(`${email}:${apiToken}`).toString('base64')}`, accept: 'application/json' },
  });
  if (!response.ok) throw new Error(`${baseUrl} refused the e-mail and API token (HTTP ${response.status}); check JIRA_EMAIL and JIRA_API_TOKEN.`);
  return ((await response.json()) as { accountId: string }).accountId;
}

async function call<T>(platform: ForgePlatform, accountId: string | undefined, key: string, payload: Record<string, unknown> = {}): Promise<ResolverResult<T>> {
  return platform.invoke<ResolverResult<T>>(PAGE, key, payload, { accountId });
}

function unwrap<T>(answer: ResolverResult<T>, what: string): T {
  if (!answer.ok) throw new Error(`${what} failed: ${answer.error.message}`);
  return answer.data;
}

async function main(): Promise<void> {
  const options = readOptions();
  const site = await jiraSite(options);
  const platform = await ForgePlatform.start({
    appDir: resolve(__dirname, '..', '..'),
    dataDir: options.dataDir,
    jira: { baseUrl: site.baseUrl, email: site.email, apiToken: site.apiToken },
    clock: 'manual',
  });
  try {
    const admin = site.admin;
    const config = unwrap(await call<{ plans: { id: string; name: string }[] }>(platform, admin, 'getConfiguration'), 'Reading the configuration');
    let planId = config.plans.find((p) => p.name === DEMO_PLAN_NAME)?.id;
    if (!planId) {
      // The page creates plans without an id; the service assigns one.
      const { id: _unassigned, ...plan } = { ...defaultPlan('', DEMO_PLAN_NAME), content: options.extended ? 'extended' : 'basic' };
      planId = unwrap(await call<{ id: string }>(platform, admin, 'savePlan', { plan }), 'Creating the demo plan').id;
    }
    console.log(`Backing up ${site.sim ? 'the demo Jira site' : site.baseUrl} into ${options.dataDir} …`);
    unwrap(await call(platform, admin, 'backupNow', { planId }), 'Starting the backup');
    const delivery = await platform.runUntilIdle({ maxDeliveries: 100_000 });
    if (delivery.dropped > 0) console.warn(`${delivery.dropped} background step(s) were dropped after failing for 24 hours; see the errors below.`);
    console.log(formatControlPanelAnswer(await call<ControlPanelView>(platform, admin, 'getControlPanel')));
  } finally {
    await platform.stop();
    await site.sim?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(`npm start failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
