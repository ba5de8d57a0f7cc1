import { withDefaults } from './defaults';
import { CONTROL_CHARACTERS, FieldErrors, isRecord, type FieldError, type ValidationResult } from './field-errors';
import type { BackupContent, BackupPlan, Weekday } from './plan';
import { checkDataTypes, checkFullEveryDays, checkProjects, checkRetention, checkSchedule, WEEKDAYS } from './plan-field-checks';

/** Plan ids become KVS key parts and slot ids, so they stay within letters, digits, '-' and '_'. */
export const PLAN_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const PLAN_NAME_MAX_LENGTH = 80;
const CONTENTS: readonly BackupContent[] = ['basic', 'extended', 'combined'];

/**
 * Checks a whole plan as submitted (untrusted: the resolver calls this, never trusting the page) after filling left-out
 * fields with the defaults (withDefaults). Returns the normalised plan (trimmed name, upper-case project keys,
 * weekdays Monday-first) or every bad field with a message for the admin. The caller assigns `id` for new plans.
 */
export function validatePlan(input: unknown): ValidationResult<'plan', BackupPlan> {
  if (!isRecord(input)) return { ok: false, errors: [{ field: 'plan', message: 'The plan is missing or is not an object.' }] };
  const raw = withDefaults(input);
  const errors = new FieldErrors();

  const id = typeof raw.id === 'string' && PLAN_ID_PATTERN.test(raw.id) ? raw.id : undefined;
  if (!id) errors.add('id', 'The plan id must be 1–64 letters, digits, "-" or "_" (the app assigns it; reload the page and try again).');
  const name = checkName(errors, raw.name);
  if (typeof raw.enabled !== 'boolean') errors.add('enabled', 'Enabled must be switched on or off.');
  const content = CONTENTS.includes(raw.content as BackupContent) ? (raw.content as BackupContent) : undefined;
  if (!content) errors.add('content', 'Choose Basic (no attachment files), Extended (with attachment files) or Combined.');
  let extendedWeekday: Weekday | undefined;
  if (content === 'combined') {
    if (WEEKDAYS.includes(raw.extendedWeekday as Weekday)) extendedWeekday = raw.extendedWeekday as Weekday;
    else errors.add('extendedWeekday', 'Choose the weekday on which the Combined plan also backs up attachment files.');
  }
  const projects = checkProjects(errors, raw.projects);
  const dataTypes = checkDataTypes(errors, raw.dataTypes);
  const schedule = checkSchedule(errors, raw.schedule);
  const retention = checkRetention(errors, raw.retention);
  const fullEveryDays = checkFullEveryDays(errors, raw.fullEveryDays);

  if (!errors.ok || !id || !name || !content || !projects || !dataTypes || !schedule || !retention || !fullEveryDays) {
    return { ok: false, errors: errors.list.length > 0 ? errors.list : [unexpected()] };
  }
  const plan: BackupPlan = { id, name, enabled: raw.enabled as boolean, projects, content, dataTypes, schedule, retention, fullEveryDays };
  if (extendedWeekday) plan.extendedWeekday = extendedWeekday;
  return { ok: true, plan };
}

function checkName(errors: FieldErrors, value: unknown): string | undefined {
  const name = typeof value === 'string' ? value.trim() : '';
  if (name === '') return errors.add('name', 'Enter a name for the plan, e.g. "Nightly backup".');
  if (name.length > PLAN_NAME_MAX_LENGTH) return errors.add('name', `The name is too long: at most ${PLAN_NAME_MAX_LENGTH} characters (this one has ${name.length}).`);
  if (CONTROL_CHARACTERS.test(name)) return errors.add('name', 'The name cannot contain line breaks or other control characters.');
  return name;
}

function unexpected(): FieldError {
  return { field: 'plan', message: 'The plan could not be read. Reload the page and try again.' };
}
