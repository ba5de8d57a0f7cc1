/**
 * Errors the admin services raise. Each carries what the page needs to show it well: field errors go next to
 * their fields, access errors explain who may use the page, the rest is a sentence an admin can act on.
 */

import type { FieldError } from '../plans/field-errors';

/** One problem with one field of a form (shared with src/core/plans' validators). */
export type { FieldError };

export type AdminErrorCode = 'invalid' | 'forbidden' | 'not-found' | 'conflict' | 'unavailable';

export class AdminError extends Error {
  constructor(
    readonly code: AdminErrorCode,
    message: string,
    /** Present for `invalid`: every field that failed, so the page can mark all of them at once. */
    readonly fields: FieldError[] = [],
  ) {
    super(message);
    this.name = 'AdminError';
  }
}

/** Rejected input; `fields` says where. */
export function invalid(fields: FieldError[], message = 'Some fields need attention: see the messages next to them.'): AdminError {
  return new AdminError('invalid', message, fields);
}

/** HTTP-style status for each code, so logs and the emulator read like Forge's own 403/404. */
export const STATUS_OF: Record<AdminErrorCode, number> = {
  invalid: 400,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  unavailable: 503,
};
