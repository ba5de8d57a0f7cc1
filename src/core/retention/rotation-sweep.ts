import { randomUUID } from 'node:crypto';
import type { BackupStore, KeyValue } from '../../ports';
import { releaseMaintenanceLock, takeMaintenanceLock } from '../backup/claims';
import type { BackupPlan } from '../plans/plan';
import { rotatePlan, type RotationReport } from './rotate-plan';

export interface RotationSweepDeps {
  store: BackupStore;
  kv: KeyValue;
  plans: BackupPlan[];
  /** The site's IANA time zone. */
  timeZone: string;
  now: number;
  /**
   * True while any backup job writes to the store. Rotation then waits: a running job may reuse (deduplicate) an
   * object that only a snapshot about to be removed references, and its commit would find that object gone.
   */
  backupRunning: () => Promise<boolean>;
  /** Deletions per plan per sweep, so one sweep stays well inside a trigger's time. */
  maxDeletesPerPlan?: number;
  onDeleted?: (plan: BackupPlan, report: RotationReport) => Promise<void>;
}

export type RotationSweepResult =
  /** `maintenance`: another sweep or an admin's delete holds the store's maintenance lock. */
  | { ran: false; reason: 'backup-running' | 'nothing-new' | 'maintenance' }
  | { ran: true; reports: { planId: string; deleted: string[]; unreadable: number; done: boolean }[] };

export const ROTATION_SEEN_KEY = 'retention:seen-snapshots';
const DEFAULT_MAX_DELETES = 20;

/**
 * Applies every plan's retention policy once new snapshots have landed. It runs from the scheduled trigger, never
 * beside a running backup, and only when the store's snapshot list changed since the last complete sweep (listing
 * `snapshots/` is cheap; reading every manifest, as rotation must, is not — on FTP especially).
 */
export async function rotationSweep(deps: RotationSweepDeps): Promise<RotationSweepResult> {
  if (await deps.backupRunning()) return { ran: false, reason: 'backup-running' };
  const listed = (await deps.store.list('snapshots/')).map((o) => o.path).sort();
  const fingerprint = listed.join('\n');
  if ((await deps.kv.get<string>(ROTATION_SEEN_KEY)) === fingerprint) return { ran: false, reason: 'nothing-new' };

  // Hold the store's maintenance lock while deleting: no backup starts meanwhile. Look for running backups again
  // AFTER taking it — a backup that started between the first look and the lock is seen now (it marks itself running
  // before it checks the lock), so of the two at least one stands back.
  const owner = `rotation-${randomUUID()}`;
  if (!(await takeMaintenanceLock(deps.kv, owner, deps.now))) return { ran: false, reason: 'maintenance' };
  try {
    if (await deps.backupRunning()) return { ran: false, reason: 'backup-running' };
    return await sweep(deps);
  } finally {
    await releaseMaintenanceLock(deps.kv, owner);
  }
}

async function sweep(deps: RotationSweepDeps): Promise<RotationSweepResult> {
  const reports: { planId: string; deleted: string[]; unreadable: number; done: boolean }[] = [];
  for (const plan of deps.plans) {
    const report = await rotatePlan({
      store: deps.store,
      planId: plan.id,
      policy: plan.retention,
      timeZone: deps.timeZone,
      now: deps.now,
      maxDeletes: deps.maxDeletesPerPlan ?? DEFAULT_MAX_DELETES,
    });
    if (report.deleted.length > 0) await deps.onDeleted?.(plan, report);
    reports.push({ planId: plan.id, deleted: report.deleted, unreadable: report.unreadable.length, done: report.done });
  }
  // Remember what was swept only when every plan finished, so an interrupted sweep runs again next tick.
  if (reports.every((r) => r.done)) {
    const after = (await deps.store.list('snapshots/')).map((o) => o.path).sort().join('\n');
    await deps.kv.set(ROTATION_SEEN_KEY, after);
  }
  return { ran: true, reports };
}
