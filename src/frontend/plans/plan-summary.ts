import type { BackupPlan } from '../../core/plans/plan';
import { scheduleText } from '../../core/admin/control-panel-service';

/** One-line descriptions for the plans table. */
export function projectsText(plan: BackupPlan): string {
  if (plan.projects.mode === 'all') return 'All projects';
  if (plan.projects.mode === 'selected') return plan.projects.keys.join(', ');
  return `Rule: ${plan.projects.keyPattern ?? ''}${plan.projects.categoryIds?.length ? ` + ${plan.projects.categoryIds.length} categories` : ''}`;
}

export function retentionText(plan: BackupPlan): string {
  const r = plan.retention;
  if (r.mode === 'forever') return 'Keep forever';
  if (r.mode === 'count') return `Keep latest ${r.keep}`;
  return `GFS: ${r.last} latest, ${r.daily} daily, ${r.weekly} weekly, ${r.monthly} monthly, ${r.yearly} yearly`;
}

export { scheduleText };
