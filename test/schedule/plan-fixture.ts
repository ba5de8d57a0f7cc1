import type { BackupPlan } from '../../src/core/plans/plan';

export function plan(overrides: Partial<BackupPlan> = {}): BackupPlan {
  return {
    id: 'nightly',
    name: 'Nightly',
    enabled: true,
    projects: { mode: 'all' },
    content: 'basic',
    dataTypes: {
      issues: true, comments: true, worklogs: true, history: true, links: true, watchersAndVotes: true,
      properties: true, boardsAndSprints: true, filtersAndDashboards: true, usersAndGroups: true,
    },
    schedule: { days: 'daily', time: '02:30' },
    retention: { mode: 'count', keep: 10 },
    ...overrides,
  };
}
