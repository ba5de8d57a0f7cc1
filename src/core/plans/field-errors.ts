/** One problem with one form field: `field` is a dotted path into the submitted object (`schedule.time`), `message` speaks to an admin. */
export interface FieldError {
  field: string;
  message: string;
}

export type ValidationResult<K extends string, T> = ({ ok: true } & { [key in K]: T }) | { ok: false; errors: FieldError[] };

/**
 * Collects every bad field instead of stopping at the first, so the page can mark them all at once.
 * One message per field: the first problem found is the one to fix first.
 */
export class FieldErrors {
  readonly list: FieldError[] = [];

  add(field: string, message: string): undefined {
    if (!this.list.some((e) => e.field === field)) this.list.push({ field, message });
    return undefined;
  }

  get ok(): boolean {
    return this.list.length === 0;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whole numbers from JSON or straight from a text field ("10"). */
export function wholeNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? value : undefined;
  if (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)) return Number(value);
  return undefined;
}

// eslint-disable-next-line no-control-regex
export const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;
