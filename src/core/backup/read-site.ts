import type { JiraClient } from '../../ports';
import type { DataTypeSelection } from '../plans/plan';
import type { SnapshotRecord } from '../format/types';
import { callJson } from './jira-json';
import { mapLimited, readAllArray, readAllValues } from './paging';
import { record } from './records';

/**
 * Site-wide configuration and directory data, one section per entity type. Each section is small enough to
 * read inside one step, and is read again in full on every run (cheap next to issues, and it makes every
 * snapshot's configuration exact rather than carried over). Only a section whose read fails is carried over
 * from the base snapshot (site-carry-over.ts), and the manifest says so.
 */
export interface SiteSection {
  name: string;
  /** Every record type `read` returns: what is kept from the base snapshot when the read fails. */
  types: readonly string[];
  /** Left out when the plan leaves out this data type. */
  needs?: keyof DataTypeSelection;
  read(jira: JiraClient): Promise<SnapshotRecord[]>;
}

type Obj = Record<string, unknown> & { id?: string | number };

const idOf = (value: Obj, field = 'id'): string => String(value[field]);

export const SITE_SECTIONS: SiteSection[] = [
  {
    name: 'issueTypes',
    types: ['issueType'],
    read: async (jira) => (await callJson<Obj[]>(jira, 'issueTypes')).map((t) => record('issueType', idOf(t), t)),
  },
  {
    name: 'statuses',
    types: ['status'],
    read: async (jira) => (await readAllValues<Obj>(jira, 'statuses', {}, 200)).map((s) => record('status', idOf(s), s)),
  },
  {
    name: 'workflows',
    types: ['workflow'],
    read: async (jira) =>
      (await readAllValues<Obj>(jira, 'workflows', { query: { expand: 'values.transitions' } }, 50)).map((w) =>
        record('workflow', String((w.id as { entityId?: string } | undefined)?.entityId ?? (w.id as { name?: string } | undefined)?.name ?? idOf(w)), w),
      ),
  },
  {
    name: 'workflowSchemes',
    types: ['workflowScheme'],
    read: async (jira) => (await readAllValues<Obj>(jira, 'workflowSchemes', {}, 50)).map((s) => record('workflowScheme', idOf(s), s)),
  },
  {
    name: 'fields',
    types: ['field', 'fieldContext'],
    read: async (jira) => {
      const fields = await callJson<Obj[]>(jira, 'fields');
      const custom = fields.filter((f) => f.custom === true);
      // Contexts and their options: the values a select field may hold, needed to restore it. Only option
      // fields have options (Jira answers 400 for the others), so only they are asked.
      const contexts = await mapLimited(custom, 4, async (field) => {
        const found = await readAllValues<Obj>(jira, 'fieldContexts', { params: { fieldId: idOf(field) } }, 50);
        return mapLimited(found, 4, async (context) => {
          const options = hasOptions(field)
            ? await readAllValues<Obj>(jira, 'fieldContextOptions', { params: { fieldId: idOf(field), contextId: idOf(context) } }, 100)
            : [];
          return record('fieldContext', `${idOf(field)}:${idOf(context)}`, { fieldId: idOf(field), context, options });
        });
      });
      return [...fields.map((f) => record('field', idOf(f), f)), ...contexts.flat()];
    },
  },
  {
    name: 'priorities',
    types: ['priority'],
    read: async (jira) => (await readAllValues<Obj>(jira, 'priorities', {}, 50)).map((p) => record('priority', idOf(p), p)),
  },
  {
    name: 'resolutions',
    types: ['resolution'],
    read: async (jira) => (await readAllValues<Obj>(jira, 'resolutions', {}, 50)).map((r) => record('resolution', idOf(r), r)),
  },
  {
    name: 'issueLinkTypes',
    types: ['issueLinkType'],
    read: async (jira) =>
      ((await callJson<{ issueLinkTypes?: Obj[] }>(jira, 'issueLinkTypes')).issueLinkTypes ?? []).map((t) => record('issueLinkType', idOf(t), t)),
  },
  {
    name: 'users',
    types: ['user'],
    needs: 'usersAndGroups',
    read: async (jira) => (await readAllArray<Obj>(jira, 'users', {}, 1000)).map((u) => record('user', idOf(u, 'accountId'), u)),
  },
  {
    name: 'groups',
    types: ['group'],
    needs: 'usersAndGroups',
    read: async (jira) => {
      const groups = await readAllValues<Obj>(jira, 'groups', {}, 50);
      return mapLimited(groups, 4, async (group) => {
        const members = await readAllValues<Obj>(jira, 'groupMembers', { query: { groupId: idOf(group, 'groupId'), includeInactiveUsers: true } }, 50);
        return record('group', idOf(group, 'groupId'), { ...group, memberAccountIds: members.map((m) => String(m.accountId)) });
      });
    },
  },
  {
    name: 'boardsAndSprints',
    types: ['board', 'sprint'],
    needs: 'boardsAndSprints',
    read: async (jira) => {
      const boards = await readAllValues<Obj>(jira, 'boards', {}, 50);
      const sprints = new Map<string, SnapshotRecord>();
      const boardRecords = await mapLimited(boards, 4, async (board) => {
        const configuration = await callJson<Obj>(jira, 'boardConfiguration', { params: { boardId: idOf(board) } });
        // Kanban boards have no sprints: Jira answers 400 there, so only scrum boards are asked.
        if (board.type === 'scrum') {
          for (const sprint of await readAllValues<Obj>(jira, 'boardSprints', { params: { boardId: idOf(board) } }, 50)) {
            sprints.set(idOf(sprint), record('sprint', idOf(sprint), sprint));
          }
        }
        return record('board', idOf(board), { ...board, configuration });
      });
      return [...boardRecords, ...[...sprints.values()].sort((a, b) => Number(a.id) - Number(b.id))];
    },
  },
  {
    name: 'filters',
    types: ['filter'],
    needs: 'filtersAndDashboards',
    read: async (jira) =>
      (
        await readAllValues<Obj>(
          jira,
          'filters',
          { query: { expand: 'description,jql,owner,sharePermissions,editPermissions', overrideSharePermissions: true } },
          50,
        )
      ).map((f) => record('filter', idOf(f), f)),
  },
  {
    name: 'dashboards',
    types: ['dashboard'],
    needs: 'filtersAndDashboards',
    read: async (jira) => {
      const dashboards = await readAllValues<Obj>(jira, 'dashboards', { query: { expand: 'description,owner,sharePermissions,editPermissions' } }, 50);
      return dashboards.map((dashboard) => record('dashboard', idOf(dashboard), dashboard));
    },
  },
];

/** Select lists, radio buttons, checkboxes and cascading selects hold options; text, number, user… fields do not. */
function hasOptions(field: Obj): boolean {
  const schema = (field.schema ?? {}) as { type?: string; items?: string };
  return [schema.type, schema.items].some((t) => t === 'option' || t === 'option-with-child');
}

export function siteSectionsFor(dataTypes: DataTypeSelection): SiteSection[] {
  return SITE_SECTIONS.filter((section) => section.needs === undefined || dataTypes[section.needs]);
}
