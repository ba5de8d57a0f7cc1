import { readFileSync } from 'node:fs';
import { JIRA_ROUTES, jiraPath } from '../../src/core/backup/jira-routes';

/** Every route the engine calls must exist, with that method, in Atlassian's official OpenAPI specs. */
const specs = {
  platform: JSON.parse(readFileSync('/work/shared/jira-openapi/jira-platform.v3.json', 'utf8')) as { paths: Record<string, object> },
  software: JSON.parse(readFileSync('/work/shared/jira-openapi/jira-software.v3.json', 'utf8')) as { paths: Record<string, object> },
};

describe('Jira route table', () => {
  it.each(Object.entries(JIRA_ROUTES))('%s exists in the official spec', (_name, route) => {
    const operations = specs[route.spec].paths[route.template] as Record<string, unknown> | undefined;
    expect(operations).toBeDefined();
    expect(Object.keys(operations ?? {})).toContain(route.method.toLowerCase());
  });

  it('fills templates and refuses a missing placeholder', () => {
    expect(jiraPath('projectRole', { projectIdOrKey: 'ENG', id: 10002 })).toBe('/rest/api/3/project/ENG/role/10002');
    expect(() => jiraPath('projectRole', { projectIdOrKey: 'ENG' })).toThrow(/needs a value for \{id\}/);
  });
});
