import type { FieldError } from './errors';

/**
 * Reads untrusted form input (whatever the browser sent) field by field, collecting one message per bad field
 * instead of stopping at the first, so the page can mark every problem at once. Paths are dotted (`schedule.time`).
 */
export class FieldReader {
  readonly errors: FieldError[] = [];

  fail(field: string, message: string): undefined {
    if (!this.errors.some((e) => e.field === field)) this.errors.push({ field, message });
    return undefined;
  }

  get ok(): boolean {
    return this.errors.length === 0;
  }

  object(value: unknown, field: string, label: string): Record<string, unknown> | undefined {
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
    return this.fail(field, `${label} is missing.`);
  }

  text(value: unknown, field: string, label: string, options: { required?: boolean; max?: number } = {}): string | undefined {
    if (value === undefined || value === null || value === '') {
      return options.required ? this.fail(field, `Enter the ${lowerFirst(label)}.`) : undefined;
    }
    if (typeof value !== 'string') return this.fail(field, `${label} must be text.`);
    const trimmed = value.trim();
    if (options.required && trimmed === '') return this.fail(field, `Enter the ${lowerFirst(label)}.`);
    if (options.max !== undefined && trimmed.length > options.max) {
      return this.fail(field, `${label} is too long: at most ${options.max} characters (this one has ${trimmed.length}).`);
    }
    return trimmed;
  }

  /** Whole numbers arrive as numbers or, straight from a text field, as digit strings. */
  integer(value: unknown, field: string, label: string, range: { min: number; max: number }): number | undefined {
    const number = typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value;
    if (value === undefined || value === null || value === '') return this.fail(field, `Enter the ${lowerFirst(label)}.`);
    if (typeof number !== 'number' || !Number.isInteger(number)) return this.fail(field, `${label} must be a whole number.`);
    if (number < range.min || number > range.max) {
      return this.fail(field, `${label} must be between ${range.min} and ${range.max} (got ${number}).`);
    }
    return number;
  }

  boolean(value: unknown, field: string, label: string, fallback?: boolean): boolean | undefined {
    if (value === undefined && fallback !== undefined) return fallback;
    if (typeof value !== 'boolean') return this.fail(field, `${label} must be on or off.`);
    return value;
  }

  oneOf<T extends string>(value: unknown, field: string, label: string, allowed: readonly T[]): T | undefined {
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
    if (value === undefined || value === null || value === '') return this.fail(field, `Choose the ${lowerFirst(label)}.`);
    return this.fail(field, `${label} must be one of: ${allowed.join(', ')} (got "${String(value)}").`);
  }
}

/** "Relay URL" → "relay URL": sentence case inside a message without mangling acronyms. */
function lowerFirst(label: string): string {
  return label.charAt(0).toLowerCase() + label.slice(1);
}
