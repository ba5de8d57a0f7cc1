import { readPlanInput } from '../../src/core/admin';
import { validPlanInput } from './fakes';

/** The rules themselves are src/core/plans' (test/plans); these check the admin side uses them as the page needs. */
describe('readPlanInput', () => {
  it('stores the plan under the id the service chose, whatever id the page sent', () => {
    const { plan, errors } = readPlanInput({ ...validPlanInput(), id: 'from-page' }, 'plan-7');
    expect(errors).toEqual([]);
    expect(plan).toMatchObject({ id: 'plan-7', name: 'Nightly', enabled: true, schedule: { days: 'daily', time: '02:30' } });
  });

  it('returns every bad field with its message, for the page to show next to each', () => {
    const { plan, errors } = readPlanInput(validPlanInput({ name: '', schedule: { days: [], time: '7pm' }, retention: { mode: 'count', keep: 0 } }), 'p1');
    expect(plan).toBeUndefined();
    expect(errors.map((e) => e.field).sort()).toEqual(['name', 'retention.keep', 'schedule.days', 'schedule.time']);
    for (const e of errors) expect(e.message.length).toBeGreaterThan(10);
  });

  it('refuses something that is not a plan at all', () => {
    expect(readPlanInput('nope', 'p1')).toEqual({ errors: [{ field: 'plan', message: 'The plan is missing. Reload the page.' }] });
  });
});
