/**
 * generateSite: the deterministic, seeded site generator (same options → same site).
 * Scales to 100,000+ issues: see bench/jira-sim-generate.ts for the timing.
 */
import type { SiteData } from '../model';
import { resolveGeneratorOptions, type GeneratorOptions } from './options';
import {
  APP_ACCOUNT_ID, LINK_TYPES, PRIORITIES, RESOLUTIONS, STATUSES, generateAgile, generateCustomFields, generateGroups,
  generateProjects, generateUsers,
} from './configuration';
import { FIRST_ISSUE_ID, generateIssues } from './issues';
import { generateAttachments } from './attachments';

export function generateSite(options: GeneratorOptions = {}): SiteData {
  const o = resolveGeneratorOptions(options);
  const users = generateUsers(o);
  const groups = generateGroups(users);
  const config = generateProjects(o, users, groups.map((g) => g.groupId));
  const agile = generateAgile(o, config.projects, users);
  const boardsByProject = new Map(agile.boards.map((b) => [b.projectId, b.id]));
  const generated = generateIssues(o, config.projects, config.issueTypes, users, agile.sprints, boardsByProject);
  const issueList = [...generated.issues.values()];
  const attachments = generateAttachments(o.seed, o.attachmentsMb, issueList, 10000);
  const lastIssueId = FIRST_ISSUE_ID + o.issues;
  // Ids handed out by write endpoints start above every generated range (generated sub-ids are issueId*1000+n).
  const above = (lastIssueId + 1) * 1000;
  return {
    seed: o.seed,
    baseUrl: 'http://localhost',
    serverTitle: 'Jira Cloud simulator',
    appAccountId: APP_ACCOUNT_ID,
    users,
    groups,
    projects: config.projects,
    issueTypes: config.issueTypes,
    statuses: STATUSES.map((s) => ({ ...s })),
    priorities: PRIORITIES.map((p) => ({ ...p })),
    resolutions: RESOLUTIONS.map((r) => ({ ...r })),
    customFields: generateCustomFields(),
    linkTypes: LINK_TYPES.map((l) => ({ ...l })),
    issues: generated.issues,
    issueIdsByKey: generated.issueIdsByKey,
    links: generated.links,
    attachments,
    boards: agile.boards,
    sprints: agile.sprints,
    filters: agile.filters,
    dashboards: agile.dashboards,
    workflows: config.workflows,
    workflowSchemes: config.workflowSchemes,
    attachmentUploadLimit: 1024 * 1024 * 1024,
    counters: {
      issue: lastIssueId,
      comment: above,
      worklog: above,
      change: above,
      attachment: 10000 + attachments.size + 100000,
      link: 10000 + generated.links.length + 100000,
      remoteLink: above,
      project: 10000 + config.projects.length + 1000,
      component: 100000,
      version: 100000,
      sprint: 10000,
      board: 10000,
      filter: 30000,
    },
  };
}
