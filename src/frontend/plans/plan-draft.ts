import type { BackupContent, BackupPlan, DataTypeSelection, RetentionPolicy, Weekday } from '../../core/plans/plan';
import { DEFAULT_FULL_EVERY_DAYS, DEFAULT_KEEP_COUNT, fullEveryDaysOf } from '../../core/plans/plan';

/**
 * The plan form's state: text fields stay text (the resolver parses and validates them, so a half-typed number
 * reaches it as typed and comes back with a message), choices stay as the form shows them.
 */
export interface PlanDraft {
  id?: string;
  name: string;
  enabled: boolean;
  projectsMode: 'all' | 'selected' | 'rule';
  projectKeys: string;
  keyPattern: string;
  content: BackupContent;
  extendedWeekday: Weekday;
  daysMode: 'daily' | 'weekdays';
  weekdays: Weekday[];
  time: string;
  retentionMode: 'count' | 'gfs' | 'forever';
  keep: string;
  gfs: { last: string; daily: string; weekly: string; monthly: string; yearly: string };
  dataTypes: DataTypeSelection;
  /** Days between full re-reads, as typed. */
  fullEveryDays: string;
}

export const ALL_DATA_TYPES: DataTypeSelection = {
  issues: true, comments: true, worklogs: true, history: true, links: true, watchersAndVotes: true,
  properties: true, boardsAndSprints: true, filtersAndDashboards: true, usersAndGroups: true,
};

export function newPlanDraft(): PlanDraft {
  return {
    name: '', enabled: true, projectsMode: 'all', projectKeys: '', keyPattern: '', content: 'basic', extendedWeekday: 'sun',
    daysMode: 'daily', weekdays: ['mon', 'tue', 'wed', 'thu', 'fri'], time: '02:00', retentionMode: 'count', keep: String(DEFAULT_KEEP_COUNT),
    gfs: { last: '3', daily: '7', weekly: '4', monthly: '12', yearly: '2' }, dataTypes: { ...ALL_DATA_TYPES },
    fullEveryDays: String(DEFAULT_FULL_EVERY_DAYS),
  };
}

export function draftFromPlan(plan: BackupPlan): PlanDraft {
  const draft = newPlanDraft();
  draft.id = plan.id;
  draft.name = plan.name;
  draft.enabled = plan.enabled;
  draft.projectsMode = plan.projects.mode;
  if (plan.projects.mode === 'selected') draft.projectKeys = plan.projects.keys.join(', ');
  if (plan.projects.mode === 'rule') draft.keyPattern = plan.projects.keyPattern ?? '';
  draft.content = plan.content;
  draft.extendedWeekday = plan.extendedWeekday ?? 'sun';
  draft.daysMode = plan.schedule.days === 'daily' ? 'daily' : 'weekdays';
  if (plan.schedule.days !== 'daily') draft.weekdays = [...plan.schedule.days];
  draft.time = plan.schedule.time;
  draft.retentionMode = plan.retention.mode;
  if (plan.retention.mode === 'count') draft.keep = String(plan.retention.keep);
  if (plan.retention.mode === 'gfs') {
    const { last, daily, weekly, monthly, yearly } = plan.retention;
    draft.gfs = { last: String(last), daily: String(daily), weekly: String(weekly), monthly: String(monthly), yearly: String(yearly) };
  }
  draft.dataTypes = { ...plan.dataTypes };
  // A plan saved before the setting existed shows the interval it runs with.
  draft.fullEveryDays = String(fullEveryDaysOf(plan));
  return draft;
}

/** What `savePlan` receives: the model's shape, numbers still as typed. */
export function planInputFromDraft(draft: PlanDraft): Record<string, unknown> {
  const projects =
    draft.projectsMode === 'all' ? { mode: 'all' }
    : draft.projectsMode === 'selected' ? { mode: 'selected', keys: draft.projectKeys.split(/[\s,;]+/).filter((key) => key !== '') }
    : { mode: 'rule', keyPattern: draft.keyPattern };
  const retention =
    draft.retentionMode === 'count' ? { mode: 'count', keep: draft.keep }
    : draft.retentionMode === 'gfs' ? { mode: 'gfs', ...draft.gfs }
    : { mode: 'forever' };
  const input: Record<string, unknown> = {
    name: draft.name,
    enabled: draft.enabled,
    projects,
    content: draft.content,
    dataTypes: draft.dataTypes,
    schedule: { days: draft.daysMode === 'daily' ? 'daily' : draft.weekdays, time: draft.time },
    retention,
    fullEveryDays: draft.fullEveryDays,
  };
  if (draft.content === 'combined') input.extendedWeekday = draft.extendedWeekday;
  if (draft.id) input.id = draft.id;
  return input;
}

/** The rotation the draft describes, once its numbers are whole numbers (for the live description under the fields). */
export function retentionOfDraft(draft: PlanDraft): RetentionPolicy | undefined {
  const whole = (text: string) => (/^\s*-?\d+\s*$/.test(text) ? Number(text) : undefined);
  if (draft.retentionMode === 'forever') return { mode: 'forever' };
  if (draft.retentionMode === 'count') {
    const keep = whole(draft.keep);
    return keep !== undefined && keep > 0 ? { mode: 'count', keep } : undefined;
  }
  const counts = { last: whole(draft.gfs.last), daily: whole(draft.gfs.daily), weekly: whole(draft.gfs.weekly), monthly: whole(draft.gfs.monthly), yearly: whole(draft.gfs.yearly) };
  if (Object.values(counts).some((n) => n === undefined || n < -1)) return undefined;
  return { mode: 'gfs', ...(counts as Record<keyof typeof counts, number>) };
}
