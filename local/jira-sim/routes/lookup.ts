/** Finding things named in a path, with Jira's 404 messages. */
import type { SimIssue, SimProject, SiteData } from '../model';
import { forbidden, notFound } from '../http/errors';
import type { RouteContext } from '../http/types';

/** Issues of a project in the trash are hidden everywhere until the project is restored. */
export function isVisible(site: SiteData, issue: SimIssue): boolean {
  return site.projects.find((p) => p.id === issue.projectId)?.trashedAt === undefined;
}

/** Ids of projects in the trash (for filtering many issues at once). */
export function trashedProjectIds(site: SiteData): Set<number> {
  return new Set(site.projects.filter((p) => p.trashedAt !== undefined).map((p) => p.id));
}

export function findIssue(site: SiteData, idOrKey: string): SimIssue | undefined {
  const id = /^\d+$/.test(idOrKey) ? Number(idOrKey) : site.issueIdsByKey.get(idOrKey.toUpperCase());
  const issue = id === undefined ? undefined : site.issues.get(id);
  return issue && isVisible(site, issue) ? issue : undefined;
}

export function issueOr404(site: SiteData, idOrKey: string): SimIssue {
  const issue = findIssue(site, idOrKey);
  if (!issue) throw notFound('Issue does not exist or you do not have permission to see it.');
  return issue;
}

export function projectOr404(site: SiteData, idOrKey: string, options: { trashed?: boolean } = {}): SimProject {
  const project = site.projects.find((p) => String(p.id) === idOrKey || p.key.toUpperCase() === idOrKey.toUpperCase());
  if (!project || (project.trashedAt !== undefined) !== (options.trashed ?? false)) throw notFound(`No project could be found with key '${idOrKey}'.`);
  return project;
}

/** Operations that need the global Administer Jira permission. */
export function requireAdmin(ctx: RouteContext): void {
  if (!ctx.caller.admin) throw forbidden('You are not authorized to perform this operation. Administrator privileges are required.');
}

export function expandSet(value: string | string[] | undefined | null): Set<string> {
  const list = Array.isArray(value) ? value : value ? value.split(',') : [];
  return new Set(list.map((e) => e.trim().toLowerCase()).filter((e) => e.length > 0));
}
