import type { BackupPlan, DataTypeSelection, ProjectSelection, RetentionPolicy, Schedule, Weekday } from '../plans/plan';
import type { FieldError } from './errors';
import { FieldReader } from './field-reader';

export const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const CONTENTS = ['basic', 'extended', 'combined'] as const;
const PROJECT_MODES = ['all', 'selected', 'rule'] as const;
const RETENTION_MODES = ['count', 'gfs', 'forever'] as const;
const DATA_TYPES: readonly (keyof DataTypeSelection)[] = [
  'issues', 'comments', 'worklogs', 'history', 'links', 'watchersAndVotes', 'properties',
  'boardsAndSprints', 'filtersAndDashboards', 'usersAndGroups',
];
/** These live inside issues: without issues there is nothing to hang them on. */
const NEEDS_ISSUES: readonly (keyof DataTypeSelection)[] = ['comments', 'worklogs', 'history', 'links', 'watchersAndVotes', 'properties'];
const DATA_TYPE_LABEL: Record<keyof DataTypeSelection, string> = {
  issues: 'Issues', comments: 'Comments', worklogs: 'Work logs', history: 'History', links: 'Issue links',
  watchersAndVotes: 'Watchers and votes', properties: 'Entity properties', boardsAndSprints: 'Boards and sprints',
  filtersAndDashboards: 'Filters and dashboards', usersAndGroups: 'Users and groups',
};
export const PLAN_NAME_MAX = 80;
/** Jira project keys: a capital letter, then capitals, digits or underscores; 2–10 characters. */
const PROJECT_KEY = /^[A-Z][A-Z0-9_]{1,9}$/;
const KEY_PATTERN = /^[A-Z0-9_*?]{1,20}$/;
const TIME_OF_DAY = /^([01]\d|2[0-3]):[0-5]\d$/;
const MAX_KEEP = 1000;

export type PlanFields = Omit<BackupPlan, 'id'>;

/** Turns what the plan form sent into a plan, or lists every field that is wrong and why. */
export function readPlanInput(input: unknown): { plan?: PlanFields; errors: FieldError[] } {
  const r = new FieldReader();
  const raw = r.object(input, 'plan', 'The plan') ?? {};
  const name = r.text(raw.name, 'name', 'Name', { required: true, max: PLAN_NAME_MAX });
  const enabled = r.boolean(raw.enabled, 'enabled', 'Enabled', true);
  const projects = readProjects(r, raw.projects);
  const content = r.oneOf(raw.content, 'content', 'Backup type', CONTENTS);
  const extendedWeekday =
    content === 'combined' ? r.oneOf(raw.extendedWeekday ?? 'sun', 'extendedWeekday', 'Extended backup day', WEEKDAYS) : undefined;
  const dataTypes = readDataTypes(r, raw.dataTypes);
  const schedule = readSchedule(r, raw.schedule);
  const retention = readRetention(r, raw.retention);
  if (!r.ok) return { errors: r.errors };
  const plan: PlanFields = {
    name: name!, enabled: enabled!, projects: projects!, content: content!, dataTypes: dataTypes!, schedule: schedule!, retention: retention!,
  };
  if (extendedWeekday) plan.extendedWeekday = extendedWeekday;
  return { plan, errors: [] };
}

function readProjects(r: FieldReader, value: unknown): ProjectSelection | undefined {
  const raw = r.object(value, 'projects.mode', 'Projects');
  if (!raw) return undefined;
  const mode = r.oneOf(raw.mode, 'projects.mode', 'Projects', PROJECT_MODES);
  if (mode === 'all') return { mode };
  if (mode === 'selected') {
    const keys = readKeyList(r, raw.keys);
    return keys ? { mode, keys } : undefined;
  }
  if (mode === 'rule') {
    const keyPattern = r.text(raw.keyPattern, 'projects.keyPattern', 'Key pattern');
    if (keyPattern !== undefined && !KEY_PATTERN.test(keyPattern.toUpperCase())) {
      return r.fail('projects.keyPattern', 'Use capital letters, digits, _ and the wildcards * and ?, e.g. ENG* (at most 20 characters).');
    }
    const categoryIds = Array.isArray(raw.categoryIds) ? raw.categoryIds.filter((id) => typeof id === 'string' && id !== '') : [];
    if (raw.categoryIds !== undefined && !Array.isArray(raw.categoryIds)) return r.fail('projects.categoryIds', 'Categories must be a list.');
    if (!keyPattern && categoryIds.length === 0) {
      return r.fail('projects.keyPattern', 'A rule needs a key pattern (e.g. ENG*) or at least one project category.');
    }
    const rule: ProjectSelection = { mode };
    if (keyPattern) rule.keyPattern = keyPattern.toUpperCase();
    if (categoryIds.length > 0) rule.categoryIds = categoryIds as string[];
    return rule;
  }
  return undefined;
}

/** Keys come as a list, or as the text field's "ENG, OPS SUP". */
function readKeyList(r: FieldReader, value: unknown): string[] | undefined {
  const items = typeof value === 'string' ? value.split(/[\s,;]+/) : Array.isArray(value) ? value : undefined;
  if (!items) return r.fail('projects.keys', 'List the project keys to back up, e.g. ENG, OPS.');
  const keys = [...new Set(items.filter((k): k is string => typeof k === 'string').map((k) => k.trim().toUpperCase()).filter(Boolean))];
  if (keys.length === 0) return r.fail('projects.keys', 'List at least one project key, e.g. ENG, OPS.');
  const bad = keys.filter((k) => !PROJECT_KEY.test(k));
  if (bad.length > 0) {
    return r.fail('projects.keys', `Not a Jira project key: ${bad.join(', ')}. Keys are 2–10 capital letters, digits or _, starting with a letter.`);
  }
  return keys;
}

function readDataTypes(r: FieldReader, value: unknown): DataTypeSelection | undefined {
  const raw = value === undefined ? {} : r.object(value, 'dataTypes', 'Data types');
  if (!raw) return undefined;
  const selection = {} as DataTypeSelection;
  for (const type of DATA_TYPES) {
    const on = r.boolean(raw[type], `dataTypes.${type}`, DATA_TYPE_LABEL[type], true);
    if (on !== undefined) selection[type] = on;
  }
  if (!r.ok) return undefined;
  if (!selection.issues) {
    const dependent = NEEDS_ISSUES.filter((type) => selection[type]);
    if (dependent.length > 0) {
      return r.fail('dataTypes.issues', `${dependent.map((t) => DATA_TYPE_LABEL[t]).join(', ')} belong to issues: turn Issues on, or turn these off.`);
    }
  }
  if (!DATA_TYPES.some((type) => selection[type])) return r.fail('dataTypes', 'Choose at least one kind of data to back up.');
  return selection;
}

function readSchedule(r: FieldReader, value: unknown): Schedule | undefined {
  const raw = r.object(value, 'schedule.days', 'Schedule');
  if (!raw) return undefined;
  let days: Schedule['days'] | undefined;
  if (raw.days === 'daily') days = 'daily';
  else if (Array.isArray(raw.days)) {
    const unknown = raw.days.filter((d) => !(WEEKDAYS as readonly unknown[]).includes(d));
    if (unknown.length > 0) r.fail('schedule.days', `Unknown weekday: ${unknown.map(String).join(', ')}.`);
    else if (raw.days.length === 0) r.fail('schedule.days', 'Choose at least one weekday, or "Every day".');
    else days = WEEKDAYS.filter((d) => (raw.days as unknown[]).includes(d));
  } else r.fail('schedule.days', 'Choose "Every day" or the weekdays to run on.');
  const time = r.text(raw.time, 'schedule.time', 'Time of day', { required: true });
  if (time !== undefined && !TIME_OF_DAY.test(time)) return r.fail('schedule.time', 'Use 24-hour HH:MM, e.g. 02:30.');
  return days && time ? { days, time } : undefined;
}

function readRetention(r: FieldReader, value: unknown): RetentionPolicy | undefined {
  const raw = r.object(value, 'retention.mode', 'Rotation');
  if (!raw) return undefined;
  const mode = r.oneOf(raw.mode, 'retention.mode', 'Rotation', RETENTION_MODES);
  if (mode === 'forever') return { mode };
  if (mode === 'count') {
    const keep = r.integer(raw.keep, 'retention.keep', 'Backups to keep', { min: 1, max: MAX_KEEP });
    return keep === undefined ? undefined : { mode, keep };
  }
  if (mode === 'gfs') {
    const counts = {
      last: r.integer(raw.last, 'retention.last', 'Latest backups', { min: 0, max: MAX_KEEP }),
      daily: r.integer(raw.daily, 'retention.daily', 'Daily backups', { min: 0, max: MAX_KEEP }),
      weekly: r.integer(raw.weekly, 'retention.weekly', 'Weekly backups', { min: 0, max: MAX_KEEP }),
      monthly: r.integer(raw.monthly, 'retention.monthly', 'Monthly backups', { min: 0, max: MAX_KEEP }),
      yearly: r.integer(raw.yearly, 'retention.yearly', 'Yearly backups', { min: 0, max: MAX_KEEP }),
    };
    if (Object.values(counts).some((n) => n === undefined)) return undefined;
    if (Object.values(counts).every((n) => n === 0)) {
      // An all-zero policy would delete every backup: refuse it as restic and kopia do.
      return r.fail('retention.last', 'Keep at least one backup: set one of the counts above zero, or choose "Keep forever".');
    }
    return { mode, ...(counts as Record<keyof typeof counts, number>) };
  }
  return undefined;
}
