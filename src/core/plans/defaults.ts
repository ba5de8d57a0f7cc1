import { ALL_DATA_TYPES } from './data-types';
import {
  DEFAULT_FULL_EVERY_DAYS, DEFAULT_KEEP_COUNT, DEFAULT_QUOTA_BYTES,
  type BackupPlan, type RemoteProtocol, type RetentionPolicy, type Schedule, type StorageSettings,
} from './plan';

/** 02:00 in the site's zone: after the working day everywhere the site is used, before most people start. */
export const DEFAULT_SCHEDULE: Schedule = { days: 'daily', time: '02:00' };
export const DEFAULT_RETENTION: RetentionPolicy = { mode: 'count', keep: DEFAULT_KEEP_COUNT };
/** What the form offers when an admin switches to Grandfather-Father-Son: a week of dailies, a month of weeklies, a year of monthlies. */
export const DEFAULT_GFS: Extract<RetentionPolicy, { mode: 'gfs' }> = { mode: 'gfs', last: 0, daily: 7, weekly: 4, monthly: 12, yearly: 3 };
export const DEFAULT_PORTS: Record<RemoteProtocol, number> = { ftp: 21, 'ftps-explicit': 21, 'ftps-implicit': 990, sftp: 22 };

/** A new plan as the form first shows it: all projects, Basic, every data type, daily at 02:00, keep 10, full re-read weekly. */
export function defaultPlan(id: string, name = 'Daily backup'): BackupPlan {
  return {
    id,
    name,
    enabled: true,
    projects: { mode: 'all' },
    content: 'basic',
    dataTypes: { ...ALL_DATA_TYPES },
    schedule: { ...DEFAULT_SCHEDULE },
    retention: { ...DEFAULT_RETENTION },
    fullEveryDays: DEFAULT_FULL_EVERY_DAYS,
  };
}

/**
 * Fills what the input leaves out (undefined or null) with the defaults above, one level into the nested objects:
 * a missing data type is on, a missing keep count is 10, a missing GFS counter comes from DEFAULT_GFS.
 * Present values are passed through untouched (validatePlan judges them).
 */
export function withDefaults(input: Record<string, unknown>): Record<string, unknown> {
  // Id and name have no default: an emptied name must be reported, not silently renamed.
  const base = defaultPlan(String(input.id ?? ''), '');
  const merged: Record<string, unknown> = { ...base, ...definedOnly(input) };
  if (isObject(input.dataTypes)) merged.dataTypes = { ...base.dataTypes, ...definedOnly(input.dataTypes) };
  if (isObject(input.schedule)) merged.schedule = { ...base.schedule, ...definedOnly(input.schedule) };
  if (isObject(input.retention)) {
    const mode = input.retention.mode;
    const defaults = mode === 'gfs' ? DEFAULT_GFS : mode === 'count' ? DEFAULT_RETENTION : {};
    merged.retention = { ...defaults, ...definedOnly(input.retention) };
  }
  if (merged.content === 'combined' && merged.extendedWeekday == null) merged.extendedWeekday = 'sun';
  return merged;
}

/** Managed storage with the default 20 GB quota: what a site uses until an admin chooses otherwise. */
export function defaultStorageSettings(): StorageSettings {
  return { kind: 'managed', quotaBytes: DEFAULT_QUOTA_BYTES };
}

/** Fills the quota (managed) or the protocol's port and password sign-in (remote) when left out. */
export function withStorageDefaults(input: Record<string, unknown>): Record<string, unknown> {
  const present = definedOnly(input);
  // An emptied port field means "the protocol's usual port", which the form shows as its placeholder.
  if (present.port === '') delete present.port;
  if (present.kind === 'managed') return { quotaBytes: DEFAULT_QUOTA_BYTES, ...present };
  if (present.kind === 'remote') {
    const port = typeof present.protocol === 'string' ? DEFAULT_PORTS[present.protocol as RemoteProtocol] : undefined;
    return { ...(port ? { port } : {}), auth: 'password', ...present };
  }
  return present;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Drops undefined and null: a left-out field gets its default. An emptied text field ('') is kept and reported. */
function definedOnly(input: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined && v !== null));
}
