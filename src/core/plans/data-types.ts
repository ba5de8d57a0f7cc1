import type { DataTypeSelection } from './plan';

export const DATA_TYPES: readonly (keyof DataTypeSelection)[] = [
  'issues', 'comments', 'worklogs', 'history', 'links', 'watchersAndVotes', 'properties',
  'boardsAndSprints', 'filtersAndDashboards', 'usersAndGroups',
];

export const DATA_TYPE_LABELS: Record<keyof DataTypeSelection, string> = {
  issues: 'Issues',
  comments: 'Comments',
  worklogs: 'Work logs',
  history: 'Change history',
  links: 'Issue links',
  watchersAndVotes: 'Watchers and votes',
  properties: 'Issue properties',
  boardsAndSprints: 'Boards and sprints',
  filtersAndDashboards: 'Filters and dashboards',
  usersAndGroups: 'Users and groups',
};

/**
 * Data types that only exist inside an issue: Jira reads and restores them per issue, so without issues there is
 * nothing to attach them to. Boards, filters and users stand on their own.
 */
export const NEEDS_ISSUES: readonly (keyof DataTypeSelection)[] = ['comments', 'worklogs', 'history', 'links', 'watchersAndVotes', 'properties'];

export const ALL_DATA_TYPES: DataTypeSelection = {
  issues: true, comments: true, worklogs: true, history: true, links: true, watchersAndVotes: true,
  properties: true, boardsAndSprints: true, filtersAndDashboards: true, usersAndGroups: true,
};
