import { defaultPlan, validatePlan, withDefaults, type FieldError } from '../../src/core/plans';

const valid = () => ({ ...defaultPlan('plan-1', 'Nightly') }) as Record<string, unknown>;
const errorsOf = (input: unknown): FieldError[] => {
  const result = validatePlan(input);
  if (result.ok) throw new Error(`expected errors, got a valid plan: ${JSON.stringify(result.plan)}`);
  return result.errors;
};
const messageFor = (input: unknown, field: string) => errorsOf(input).find((e) => e.field === field)?.message;

describe('validatePlan', () => {
  it('accepts the default plan unchanged', () => {
    expect(validatePlan(valid())).toEqual({ ok: true, plan: defaultPlan('plan-1', 'Nightly') });
  });

  it('fills left-out fields with defaults: all projects, basic, every data type, daily 02:00, keep 10', () => {
    const result = validatePlan({ id: 'p', name: 'Minimal' });
    expect(result).toEqual({ ok: true, plan: { ...defaultPlan('p', 'Minimal') } });
    expect(withDefaults({ id: 'p', content: 'combined' }).extendedWeekday).toBe('sun');
    expect(withDefaults({ id: 'p', retention: { mode: 'gfs', daily: 3 } }).retention).toEqual({ mode: 'gfs', last: 0, daily: 3, weekly: 4, monthly: 12, yearly: 3 });
    expect(withDefaults({ id: 'p', retention: { mode: 'count' } }).retention).toEqual({ mode: 'count', keep: 10 });
    expect(withDefaults({ id: 'p', dataTypes: { worklogs: false } }).dataTypes).toEqual(expect.objectContaining({ issues: true, worklogs: false }));
  });

  it('refuses something that is not an object', () => {
    expect(errorsOf('plan')).toEqual([{ field: 'plan', message: expect.stringMatching(/missing/) }]);
  });

  it.each([
    [{ id: '' }, 'id', /letters, digits/],
    [{ id: 'a/b' }, 'id', /letters, digits/],
    [{ name: '   ' }, 'name', /Enter a name/],
    [{ name: 'x'.repeat(81) }, 'name', /at most 80 characters \(this one has 81\)/],
    [{ name: 'two\nlines' }, 'name', /line breaks/],
    [{ enabled: 'yes' }, 'enabled', /on or off/],
    [{ content: 'full' }, 'content', /Basic .*Extended .*Combined/],
    [{ content: 'combined', extendedWeekday: 'someday' }, 'extendedWeekday', /weekday/],
    [{ projects: { mode: 'some' } }, 'projects.mode', /all projects, selected projects, or a rule/],
    [{ projects: { mode: 'selected', keys: [] } }, 'projects.keys', /at least one project/],
    [{ projects: { mode: 'selected', keys: ['ENG', '1ABC', 'A'] } }, 'projects.keys', /"1ABC", "A" are not Jira project keys/],
    [{ projects: { mode: 'selected', keys: ['TOOLONGKEY1'] } }, 'projects.keys', /"TOOLONGKEY1" is not a Jira project key/],
    [{ projects: { mode: 'rule' } }, 'projects.keyPattern', /key pattern .* or at least one project category/],
    [{ projects: { mode: 'rule', keyPattern: 'EN-G*' } }, 'projects.keyPattern', /\* \(any characters\)/],
    [{ projects: { mode: 'rule', keyPattern: '9*' } }, 'projects.keyPattern', /starting with a letter or a wildcard/],
    [{ projects: { mode: 'rule', categoryIds: ['abc'] } }, 'projects.categoryIds', /numeric category ids/],
    [{ dataTypes: { issues: 'yes' } }, 'dataTypes.issues', /Issues must be switched on or off/],
    [{ dataTypes: { issues: false } }, 'dataTypes.comments', /Comments are stored with their issues: switch Issues on, or switch Comments off/],
    [{ dataTypes: { issues: false, comments: false, worklogs: false, links: false, watchersAndVotes: false, properties: false } }, 'dataTypes.history', /Change history are stored with their issues/],
    [{ dataTypes: Object.fromEntries(['issues', 'comments', 'worklogs', 'history', 'links', 'watchersAndVotes', 'properties', 'boardsAndSprints', 'filtersAndDashboards', 'usersAndGroups'].map((k) => [k, false])) }, 'dataTypes', /at least one kind of data/],
    [{ schedule: { days: [] } }, 'schedule.days', /at least one weekday/],
    [{ schedule: { days: ['mon', 'funday'] } }, 'schedule.days', /at least one weekday/],
    [{ schedule: { time: '24:00' } }, 'schedule.time', /HH:MM on a 24-hour clock/],
    [{ schedule: { time: '2:30' } }, 'schedule.time', /HH:MM/],
    [{ schedule: { time: '' } }, 'schedule.time', /HH:MM/],
    [{ retention: { mode: 'count', keep: 0 } }, 'retention.keep', /whole number from 1 to 1000/],
    [{ retention: { mode: 'count', keep: 1001 } }, 'retention.keep', /from 1 to 1000/],
    [{ retention: { mode: 'count', keep: 2.5 } }, 'retention.keep', /whole number/],
    [{ retention: { mode: 'gfs', last: 0, daily: 0, weekly: 0, monthly: 0, yearly: 0 } }, 'retention', /would keep nothing/],
    [{ retention: { mode: 'gfs', daily: -2 } }, 'retention.daily', /-1 for unlimited/],
    [{ retention: { mode: 'gfs', yearly: 'many' } }, 'retention.yearly', /Yearly must be a whole number/],
    [{ retention: { mode: 'weekly' } }, 'retention.mode', /newest N, Grandfather-Father-Son, or keep forever/],
  ])('refuses %j on %s', (patch, field, message) => {
    expect(messageFor({ ...valid(), ...patch }, field)).toMatch(message);
  });

  it('reports every bad field at once', () => {
    const fields = errorsOf({ id: 'p', name: '', schedule: { time: 'noon' }, retention: { mode: 'count', keep: -1 } }).map((e) => e.field);
    expect(fields).toEqual(['name', 'schedule.time', 'retention.keep']);
  });

  it('normalises: trims the name, upper-cases and de-duplicates keys, orders weekdays Monday first, reads digit strings', () => {
    const result = validatePlan({
      ...valid(),
      name: '  Weekly ENG  ',
      projects: { mode: 'selected', keys: ['eng', 'ENG', ' ops_2 '] },
      schedule: { days: ['sun', 'mon', 'mon'], time: '23:45' },
      retention: { mode: 'count', keep: '25' },
    });
    expect(result.ok && result.plan).toEqual(expect.objectContaining({
      name: 'Weekly ENG',
      projects: { mode: 'selected', keys: ['ENG', 'OPS_2'] },
      schedule: { days: ['mon', 'sun'], time: '23:45' },
      retention: { mode: 'count', keep: 25 },
    }));
  });

  it('accepts rules, GFS with unlimited counters, forever, and combined plans', () => {
    const result = validatePlan({
      ...valid(),
      content: 'combined', extendedWeekday: 'sat',
      projects: { mode: 'rule', keyPattern: 'eng*', categoryIds: ['10000'] },
      retention: { mode: 'gfs', last: 1, daily: 7, weekly: 4, monthly: -1, yearly: 0 },
    });
    expect(result.ok && result.plan).toEqual(expect.objectContaining({
      content: 'combined', extendedWeekday: 'sat',
      projects: { mode: 'rule', keyPattern: 'ENG*', categoryIds: ['10000'] },
      retention: { mode: 'gfs', last: 1, daily: 7, weekly: 4, monthly: -1, yearly: 0 },
    }));
    expect(validatePlan({ ...valid(), retention: { mode: 'forever' } }).ok).toBe(true);
  });

  it('drops an extended weekday on a plan that is not combined', () => {
    const result = validatePlan({ ...valid(), content: 'basic', extendedWeekday: 'wed' });
    expect(result.ok && 'extendedWeekday' in result.plan).toBe(false);
  });

  it('allows issue-bound data types off while issues are on, and non-issue data without issues', () => {
    const boardsOnly = { issues: false, comments: false, worklogs: false, history: false, links: false, watchersAndVotes: false, properties: false, boardsAndSprints: true, filtersAndDashboards: false, usersAndGroups: false };
    expect(validatePlan({ ...valid(), dataTypes: boardsOnly }).ok).toBe(true);
    expect(validatePlan({ ...valid(), dataTypes: { history: false } }).ok).toBe(true);
  });

  describe('full re-read every N days', () => {
    const message = 'Full re-read every N days: enter a whole number of days from 1 to 90 (7 re-reads everything once a week).';

    it('is 7 when left out, as in plans stored before the setting existed', () => {
      const { fullEveryDays: _absent, ...stored } = defaultPlan('old', 'Stored long ago');
      const result = validatePlan(stored);
      expect(result.ok && result.plan.fullEveryDays).toBe(7);
      expect(validatePlan({ ...stored, fullEveryDays: null }).ok).toBe(true);
    });

    it.each([[1, 1], [90, 90], ['14', 14], [' 30 ', 30]])('accepts %p as %p days', (value, days) => {
      const result = validatePlan({ ...valid(), fullEveryDays: value });
      expect(result.ok && result.plan.fullEveryDays).toBe(days);
    });

    it.each([0, 91, -7, 1.5, '', 'weekly', '7 days', true])('refuses %p with a message saying what is allowed', (value) => {
      expect(errorsOf({ ...valid(), fullEveryDays: value })).toEqual([{ field: 'fullEveryDays', message }]);
    });
  });
});
