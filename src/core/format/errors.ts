/**
 * Why a snapshot could not be read or written. Messages name the object and say what the admin can do,
 * because they end up in the control panel and in job logs.
 */
export type FormatErrorCode =
  /** Bytes do not hash to what their name or index says. */
  | 'corrupt'
  /** A referenced object is absent from the store. */
  | 'missing'
  /** Input that the format cannot represent (bad record, bad id, bad manifest). */
  | 'invalid'
  /** A single record or object is larger than the store accepts. */
  | 'too-large'
  /** The repository was written by another program or a newer format version. */
  | 'incompatible';

export class FormatError extends Error {
  constructor(
    readonly code: FormatErrorCode,
    message: string,
    /** The store path involved, when there is one. */
    readonly path?: string,
  ) {
    super(message);
    this.name = 'FormatError';
  }
}
