import { TIME_OF_DAY_PATTERN } from '../schedule/time-of-day';
import { DATA_TYPE_LABELS, DATA_TYPES, NEEDS_ISSUES } from './data-types';
import { FieldErrors, isRecord, wholeNumber } from './field-errors';
import { MAX_FULL_EVERY_DAYS, MIN_FULL_EVERY_DAYS, type DataTypeSelection, type ProjectSelection, type RetentionPolicy, type Schedule, type Weekday } from './plan';
import { globCanMatchAKey, normaliseProjectKey, PROJECT_KEY_GLOB_PATTERN, PROJECT_KEY_PATTERN } from './project-keys';

export const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
export const MAX_KEEP_COUNT = 1000;
const MAX_SELECTED_PROJECTS = 1000;
const GFS_FIELDS = [
  ['last', 'Keep last'], ['daily', 'Daily'], ['weekly', 'Weekly'], ['monthly', 'Monthly'], ['yearly', 'Yearly'],
] as const;

export function checkProjects(errors: FieldErrors, value: unknown): ProjectSelection | undefined {
  if (!isRecord(value)) return errors.add('projects', 'Choose which projects to back up: all, selected, or by rule.');
  switch (value.mode) {
    case 'all':
      return { mode: 'all' };
    case 'selected': {
      if (!Array.isArray(value.keys) || value.keys.length === 0) return errors.add('projects.keys', 'Select at least one project.');
      if (value.keys.length > MAX_SELECTED_PROJECTS) {
        return errors.add('projects.keys', `Select at most ${MAX_SELECTED_PROJECTS} projects, or use "All projects" or a rule.`);
      }
      const keys = value.keys.map((k) => (typeof k === 'string' ? normaliseProjectKey(k) : ''));
      const bad = keys.filter((k) => !PROJECT_KEY_PATTERN.test(k));
      if (bad.length > 0) {
        return errors.add('projects.keys', `${bad.map((k) => `"${k}"`).join(', ')} ${bad.length === 1 ? 'is not a' : 'are not'} Jira project key${bad.length === 1 ? '' : 's'}: a key starts with a letter and has 2–10 letters, digits or underscores (e.g. ENG).`);
      }
      return { mode: 'selected', keys: [...new Set(keys)] };
    }
    case 'rule':
      return checkRule(errors, value);
    default:
      return errors.add('projects.mode', 'Choose all projects, selected projects, or a rule.');
  }
}

function checkRule(errors: FieldErrors, value: Record<string, unknown>): ProjectSelection | undefined {
  const rule: { mode: 'rule'; keyPattern?: string; categoryIds?: string[] } = { mode: 'rule' };
  if (value.keyPattern !== undefined && value.keyPattern !== '') {
    const glob = typeof value.keyPattern === 'string' ? normaliseProjectKey(value.keyPattern) : '';
    if (!PROJECT_KEY_GLOB_PATTERN.test(glob) || !globCanMatchAKey(glob)) {
      errors.add('projects.keyPattern', 'Use project key characters with * (any characters) or ? (one character), e.g. ENG* — up to 20 characters, starting with a letter or a wildcard.');
    } else rule.keyPattern = glob;
  }
  if (value.categoryIds !== undefined) {
    const ids = value.categoryIds;
    if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string' || !/^\d{1,18}$/.test(id))) {
      errors.add('projects.categoryIds', 'Project categories must be chosen from the list (numeric category ids).');
    } else if (ids.length > 0) rule.categoryIds = [...new Set(ids as string[])];
  }
  if (!errors.ok) return undefined;
  if (!rule.keyPattern && !rule.categoryIds) {
    return errors.add('projects.keyPattern', 'A rule needs a key pattern (e.g. ENG*) or at least one project category.');
  }
  return rule;
}

export function checkDataTypes(errors: FieldErrors, value: unknown): DataTypeSelection | undefined {
  if (!isRecord(value)) return errors.add('dataTypes', 'Choose which data to back up.');
  const selection = {} as DataTypeSelection;
  for (const type of DATA_TYPES) {
    if (typeof value[type] !== 'boolean') errors.add(`dataTypes.${type}`, `${DATA_TYPE_LABELS[type]} must be switched on or off.`);
    else selection[type] = value[type] as boolean;
  }
  if (!errors.ok) return undefined;
  if (!selection.issues) {
    for (const type of NEEDS_ISSUES.filter((t) => selection[t])) {
      errors.add(`dataTypes.${type}`, `${DATA_TYPE_LABELS[type]} are stored with their issues: switch Issues on, or switch ${DATA_TYPE_LABELS[type]} off.`);
    }
  }
  if (DATA_TYPES.every((type) => !selection[type])) errors.add('dataTypes', 'Choose at least one kind of data to back up.');
  return errors.ok ? selection : undefined;
}

export function checkSchedule(errors: FieldErrors, value: unknown): Schedule | undefined {
  if (!isRecord(value)) return errors.add('schedule', 'Choose when the plan runs.');
  let days: Schedule['days'] | undefined;
  if (value.days === 'daily') days = 'daily';
  else if (Array.isArray(value.days) && value.days.length > 0 && value.days.every((d) => WEEKDAYS.includes(d as Weekday))) {
    days = WEEKDAYS.filter((d) => (value.days as string[]).includes(d)); // Monday-first order, no repeats
  } else errors.add('schedule.days', 'Choose "Every day" or at least one weekday.');
  const time = typeof value.time === 'string' ? value.time.trim() : '';
  if (!TIME_OF_DAY_PATTERN.test(time)) errors.add('schedule.time', 'Enter the time as HH:MM on a 24-hour clock, e.g. 02:30.');
  return days && TIME_OF_DAY_PATTERN.test(time) ? { days, time } : undefined;
}

export function checkRetention(errors: FieldErrors, value: unknown): RetentionPolicy | undefined {
  if (!isRecord(value)) return errors.add('retention', 'Choose how many backups to keep.');
  switch (value.mode) {
    case 'forever':
      return { mode: 'forever' };
    case 'count': {
      const keep = wholeNumber(value.keep);
      if (keep === undefined || keep < 1 || keep > MAX_KEEP_COUNT) {
        return errors.add('retention.keep', `Keep must be a whole number from 1 to ${MAX_KEEP_COUNT}.`);
      }
      return { mode: 'count', keep };
    }
    case 'gfs': {
      const counts: Record<string, number> = {};
      for (const [field, label] of GFS_FIELDS) {
        const n = wholeNumber(value[field]);
        if (n === undefined || n < -1 || n > MAX_KEEP_COUNT) {
          errors.add(`retention.${field}`, `${label} must be a whole number from 0 to ${MAX_KEEP_COUNT}, or -1 for unlimited.`);
        } else counts[field] = n;
      }
      if (!errors.ok) return undefined;
      if (Object.values(counts).every((n) => n === 0)) {
        return errors.add('retention', 'This rotation would keep nothing: set at least one of keep last, daily, weekly, monthly or yearly above 0 (or -1 for unlimited).');
      }
      return { mode: 'gfs', last: counts.last, daily: counts.daily, weekly: counts.weekly, monthly: counts.monthly, yearly: counts.yearly };
    }
    default:
      return errors.add('retention.mode', 'Choose keep the newest N, Grandfather-Father-Son, or keep forever.');
  }
}

export function checkFullEveryDays(errors: FieldErrors, value: unknown): number | undefined {
  const days = wholeNumber(value);
  if (days === undefined || days < MIN_FULL_EVERY_DAYS || days > MAX_FULL_EVERY_DAYS) {
    return errors.add('fullEveryDays', `Full re-read every N days: enter a whole number of days from ${MIN_FULL_EVERY_DAYS} to ${MAX_FULL_EVERY_DAYS} (7 re-reads everything once a week).`);
  }
  return days;
}
