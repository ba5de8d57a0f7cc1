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
