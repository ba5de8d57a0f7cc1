import type { BackupStore, KeyValue } from '../../ports';
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
  | { ran: false; reason: 'backup-running' | 'nothing-new' }
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
