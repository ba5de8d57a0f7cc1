import type { JiraClient } from '../../ports';
import { AdminError } from './errors';

/** A project as the plan form offers it for "Selected projects". */
export interface SiteProject {
  key: string;
  name: string;
}

interface ProjectSearchPage {
  values?: { key?: string; name?: string }[];
  isLast?: boolean;
  total?: number;
}

const PAGE_SIZE = 100;
/** Enough for the picker; sites with more projects use a key rule (ENG*) rather than ticking thousands of boxes. */
export const MAX_LISTED_PROJECTS = 2000;

/** The site's projects, sorted by key, read page by page from GET /rest/api/3/project/search (as the app). */
export async function readSiteProjects(jira: JiraClient): Promise<SiteProject[]> {
  const projects: SiteProject[] = [];
  for (let startAt = 0; startAt < MAX_LISTED_PROJECTS; startAt += PAGE_SIZE) {
    const response = await jira.request({ method: 'GET', path: '/rest/api/3/project/search', query: { startAt, maxResults: PAGE_SIZE, orderBy: 'key' } });
    if (response.status !== 200) {
      throw new AdminError('unavailable', `Could not list the site's projects: Jira answered HTTP ${response.status}. Type the project keys instead.`);
    }
    const page = await response.json<ProjectSearchPage>();
    const values = page.values ?? [];
    for (const p of values) if (p.key) projects.push({ key: p.key, name: p.name ?? p.key });
    if (page.isLast !== false || values.length === 0) break;
  }
  return projects.sort((a, b) => a.key.localeCompare(b.key));
}
