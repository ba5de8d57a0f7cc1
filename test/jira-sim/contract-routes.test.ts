/**
 * Contract: every route the simulator serves exists in Atlassian's official OpenAPI spec with that method,
 * and the spec validator used by the response tests is itself sound (accepts the spec's own examples,
 * rejects a broken payload).
 */
import { allRoutes } from '../../local/jira-sim/routes';
import { SpecValidator, specHas } from './spec-validator';

const validator = new SpecValidator();

describe('simulator routes vs the official spec', () => {
  test.each(allRoutes.map((r) => [r.method, r.template, r.spec] as const))('%s %s exists in the %s spec', (method, template, spec) => {
    expect(specHas(validator, spec, template, method)).toBe(true);
  });

  test('no route is served twice', () => {
    const keys = allRoutes.map((r) => `${r.method} ${r.template}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('the validator itself', () => {
  test('accepts the spec examples of served operations (where the spec gives a JSON example)', () => {
    let checked = 0;
    const failures: string[] = [];
    for (const route of allRoutes) {
      for (const status of validator.statuses(route.spec, route.template, route.method)) {
        if (!status.startsWith('2')) continue;
        const example = validator.responseExample(route.spec, route.template, route.method, Number(status));
        if (example === undefined) continue;
        const errors = validator.validateResponse(route.spec, route.template, route.method, Number(status), example);
        checked++;
        if (errors.length > 0) failures.push(`${route.method} ${route.template} ${status}: ${errors.join('; ')}`);
      }
    }
    expect(checked).toBeGreaterThan(20);
    // The spec's examples are not all faithful to its own schemas; allow a few, but the validator must accept most.
    expect(failures.length).toBeLessThan(checked / 4);
  });

  test('rejects a payload that breaks the schema', () => {
    const broken = { issues: 'not-an-array', isLast: 'yes', surprise: 1 };
    expect(validator.validateResponse('platform', '/rest/api/3/search/jql', 'GET', 200, broken).length).toBeGreaterThan(0);
    const good = { issues: [{ id: '10000' }], isLast: true };
    expect(validator.validateResponse('platform', '/rest/api/3/search/jql', 'GET', 200, good)).toEqual([]);
  });
});
