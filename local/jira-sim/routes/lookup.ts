/** Finding things named in a path, with Jira's 404 messages. */
import type { SimIssue, SimProject, SiteData } from '../model';
import { forbidden, notFound } from '../http/errors';
import type { RouteContext } from '../http/types';

export function findIssue(site: SiteData, idOrKey: string): SimIssue | undefined {
  const id = /^\d+$/.test(idOrKey) ? Number(idOrKey) : site.issueIdsByKey.get(idOrKey.toUpperCase());
  return id === undefined ? undefined : site.issues.get(id);
}

export function issueOr404(site: SiteData, idOrKey: string): SimIssue {
  const issue = findIssue(site, idOrKey);
  if (!issue) throw notFound('Issue does not exist or you do not have permission to see it.');
  return issue;
}

export function projectOr404(site: SiteData, idOrKey: string): SimProject {
  const project = site.projects.find((p) => String(p.id) === idOrKey || p.key.toUpperCase() === idOrKey.toUpperCase());
  if (!project) throw notFound(`No project could be found with key '${idOrKey}'.`);
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
