import { readPlanInput } from '../../src/core/admin';
import { validPlanInput } from './fakes';

describe('readPlanInput', () => {
  it('accepts a complete plan and fills in defaults (enabled, every data type on)', () => {
    const { plan, errors } = readPlanInput(validPlanInput({ enabled: undefined }));
    expect(errors).toEqual([]);
    expect(plan).toMatchObject({ name: 'Nightly', enabled: true, projects: { mode: 'all' }, schedule: { days: 'daily', time: '02:30' } });
    expect(Object.values(plan!.dataTypes).every(Boolean)).toBe(true);
  });

  it.each([
    ['empty name', { name: '  ' }, 'name', 'Enter the name.'],
    ['long name', { name: 'x'.repeat(81) }, 'name', 'Name is too long: at most 80 characters (this one has 81).'],
    ['unknown content', { content: 'full' }, 'content', 'Backup type must be one of: basic, extended, combined (got "full").'],
    ['bad time', { schedule: { days: 'daily', time: '25:00' } }, 'schedule.time', 'Use 24-hour HH:MM, e.g. 02:30.'],
    ['no weekdays', { schedule: { days: [], time: '02:00' } }, 'schedule.days', 'Choose at least one weekday, or "Every day".'],
    ['unknown weekday', { schedule: { days: ['mon', 'funday'], time: '02:00' } }, 'schedule.days', 'Unknown weekday: funday.'],
    ['keep zero', { retention: { mode: 'count', keep: 0 } }, 'retention.keep', 'Backups to keep must be between 1 and 1000 (got 0).'],
    ['keep text', { retention: { mode: 'count', keep: 'ten' } }, 'retention.keep', 'Backups to keep must be a whole number.'],
    ['selected without keys', { projects: { mode: 'selected', keys: ' , ' } }, 'projects.keys', 'List at least one project key, e.g. ENG, OPS.'],
    ['bad key', { projects: { mode: 'selected', keys: 'ENG, 9X' } }, 'projects.keys',
      'Not a Jira project key: 9X. Keys are 2–10 capital letters, digits or _, starting with a letter.'],
    ['empty rule', { projects: { mode: 'rule' } }, 'projects.keyPattern', 'A rule needs a key pattern (e.g. ENG*) or at least one project category.'],
    ['all-zero GFS', { retention: { mode: 'gfs', last: 0, daily: 0, weekly: 0, monthly: '0', yearly: 0 } }, 'retention.last',
      'Keep at least one backup: set one of the counts above zero, or choose "Keep forever".'],
    ['comments without issues', { dataTypes: { issues: false, comments: true } }, 'dataTypes.issues',
      'Comments, Work logs, History, Issue links, Watchers and votes, Entity properties belong to issues: turn Issues on, or turn these off.'],
  ])('rejects %s with a message on the field', (_case, override, field, message) => {
    const { plan, errors } = readPlanInput(validPlanInput(override));
    expect(plan).toBeUndefined();
    expect(errors).toContainEqual({ field, message });
  });

  it('reports every bad field at once, not just the first', () => {
    const { errors } = readPlanInput({ name: '', content: 'x', schedule: { days: 'daily', time: '7pm' }, retention: { mode: 'count' } });
    expect(errors.map((e) => e.field).sort()).toEqual(['content', 'name', 'projects.mode', 'retention.keep', 'schedule.time']);
  });

  it('normalises keys from the text field, rule patterns, weekdays order and digit strings', () => {
    const selected = readPlanInput(validPlanInput({ projects: { mode: 'selected', keys: 'eng, OPS ops;SUP' } })).plan!;
    expect(selected.projects).toEqual({ mode: 'selected', keys: ['ENG', 'OPS', 'SUP'] });
    const rule = readPlanInput(validPlanInput({ projects: { mode: 'rule', keyPattern: 'eng*' } })).plan!;
    expect(rule.projects).toEqual({ mode: 'rule', keyPattern: 'ENG*' });
    const days = readPlanInput(validPlanInput({ schedule: { days: ['fri', 'mon'], time: '23:59' } })).plan!;
    expect(days.schedule.days).toEqual(['mon', 'fri']);
    const gfs = readPlanInput(validPlanInput({ retention: { mode: 'gfs', last: '3', daily: 7, weekly: 4, monthly: 12, yearly: 0 } })).plan!;
    expect(gfs.retention).toEqual({ mode: 'gfs', last: 3, daily: 7, weekly: 4, monthly: 12, yearly: 0 });
  });

  it('gives Combined plans an Extended day (Sunday unless chosen) and only Combined plans', () => {
    expect(readPlanInput(validPlanInput({ content: 'combined' })).plan!.extendedWeekday).toBe('sun');
    expect(readPlanInput(validPlanInput({ content: 'combined', extendedWeekday: 'wed' })).plan!.extendedWeekday).toBe('wed');
    expect(readPlanInput(validPlanInput({ content: 'extended', extendedWeekday: 'wed' })).plan!.extendedWeekday).toBeUndefined();
  });
});
