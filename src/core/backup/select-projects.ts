import type { ProjectSelection } from '../plans/plan';
import type { JiraProject } from './read-project';

/** The projects a plan covers, in key order. `selected` keys that no longer exist are reported, not ignored. */
export function selectProjects(projects: JiraProject[], selection: ProjectSelection): { chosen: JiraProject[]; missingKeys: string[] } {
  const sorted = [...projects].sort((a, b) => a.key.localeCompare(b.key));
  switch (selection.mode) {
    case 'all':
      return { chosen: sorted, missingKeys: [] };
    case 'selected': {
      const wanted = new Set(selection.keys.map((k) => k.toUpperCase()));
      const chosen = sorted.filter((p) => wanted.has(p.key.toUpperCase()));
      const found = new Set(chosen.map((p) => p.key.toUpperCase()));
      return { chosen, missingKeys: selection.keys.filter((k) => !found.has(k.toUpperCase())) };
    }
    case 'rule': {
      const pattern = selection.keyPattern ? globToRegExp(selection.keyPattern) : undefined;
      const categories = selection.categoryIds && selection.categoryIds.length > 0 ? new Set(selection.categoryIds.map(String)) : undefined;
      const chosen = sorted.filter(
        (p) => (!pattern || pattern.test(p.key)) && (!categories || (p.projectCategory !== undefined && categories.has(String(p.projectCategory.id)))),
      );
      return { chosen, missingKeys: [] };
    }
  }
}

/** `ENG*`, `*-OPS`, `A?C`: `*` any run, `?` one character, case-insensitive, whole key. */
export function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}
