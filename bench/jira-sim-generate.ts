/**
 * How long generating a big simulated site takes (goal: 100,000 issues in under a minute), and what it costs in
 * memory before and after the lazy sub-collections are materialised.
 * Usage: npx tsx bench/jira-sim-generate.ts [issues=100000] [projects=10] [attachmentsMb=100]
 */
import { generateSite } from '../local/jira-sim/generate/site';

const [issues = 100_000, projects = 10, attachmentsMb = 100] = process.argv.slice(2).map(Number);
const mb = () => Math.round(process.memoryUsage().heapUsed / 1e6);

const before = mb();
const started = performance.now();
const site = generateSite({ seed: 1, issues, projects, attachmentsMb });
const generatedMs = performance.now() - started;
console.log(`generated ${site.issues.size} issues, ${site.projects.length} projects, ${site.attachments.size} attachments (${attachmentsMb} MB of lazy bytes) in ${(generatedMs / 1000).toFixed(2)} s; heap +${mb() - before} MB`);

const lazyStart = performance.now();
let comments = 0;
let worklogs = 0;
let changes = 0;
for (const issue of site.issues.values()) {
  comments += issue.comments.length;
  worklogs += issue.worklogs.length;
  changes += issue.changelog.length;
}
console.log(`materialised ${comments} comments, ${worklogs} worklogs, ${changes} changelog entries in ${((performance.now() - lazyStart) / 1000).toFixed(2)} s; heap +${mb() - before} MB`);
console.log(generatedMs < 60_000 ? 'OK: under a minute' : 'SLOW: over a minute');

/** Serving numbers on the same site: paging every id through /search/jql, and one bulkfetch of 100 full issues. */
async function serve(): Promise<void> {
  const { startJiraSimulator } = await import('../local/jira-sim/server');
  const sim = await startJiraSimulator({ site });
  try {
    const t0 = performance.now();
    let token: string | undefined;
    let count = 0;
    let pages = 0;
    do {
      const r = await fetch(`${sim.baseUrl}/rest/api/3/search/jql`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jql: 'id >= 0 ORDER BY id ASC', maxResults: 5000, nextPageToken: token }),
      });
      const body = (await r.json()) as { issues: unknown[]; nextPageToken?: string };
      count += body.issues.length;
      pages++;
      token = body.nextPageToken;
    } while (token);
    console.log(`paged ${count} ids in ${pages} pages through /search/jql in ${((performance.now() - t0) / 1000).toFixed(2)} s`);
    const ids = [...site.issues.keys()].slice(5000, 5100).map(String);
    const t1 = performance.now();
    const r = await fetch(`${sim.baseUrl}/rest/api/3/issue/bulkfetch`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ issueIdsOrKeys: ids, fields: ['*all'] }),
    });
    const text = await r.text();
    console.log(`bulkfetch of 100 issues with *all: ${Math.round(performance.now() - t1)} ms, ${Math.round(text.length / 1024)} KB`);
  } finally {
    await sim.stop();
  }
}

serve().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
