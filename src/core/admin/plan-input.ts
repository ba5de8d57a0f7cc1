import { validatePlan, type BackupPlan } from '../plans';
import type { FieldError } from './errors';

/**
 * Reads what the plan form sent. Every rule lives in src/core/plans' validatePlan (shared with the scheduler and the
 * engine, so the page can never save a plan they would reject); this only supplies the id the plan will be stored under.
 */
export function readPlanInput(input: unknown, id: string): { plan?: BackupPlan; errors: FieldError[] } {
  if (!input || typeof input !== 'object' || Array.isArray(input)) return { errors: [{ field: 'plan', message: 'The plan is missing. Reload the page.' }] };
  const result = validatePlan({ ...(input as Record<string, unknown>), id });
  return result.ok ? { plan: result.plan, errors: [] } : { errors: result.errors };
}
