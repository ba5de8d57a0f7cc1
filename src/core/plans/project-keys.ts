/**
 * Jira Cloud project keys: an upper-case letter, then upper-case letters, digits or underscores, 2–10 characters
 * in all (Jira's default key rules). Input is trimmed and upper-cased first, since admins type "eng".
 */
export const PROJECT_KEY_PATTERN = /^[A-Z][A-Z0-9_]{1,9}$/;
/** A key glob for "rule" selections: key characters plus `*` (any run) and `?` (one character), e.g. `ENG*`, `OPS_?`. */
export const PROJECT_KEY_GLOB_PATTERN = /^[A-Z0-9_*?]{1,20}$/;

export function normaliseProjectKey(raw: string): string {
  return raw.trim().toUpperCase();
}

/** Whether a key matches a rule glob (whole key, case-insensitive). */
export function projectKeyMatchesGlob(key: string, glob: string): boolean {
  const pattern = normaliseProjectKey(glob).replace(/[*?]/g, (c) => (c === '*' ? '.*' : '.'));
  return new RegExp(`^${pattern}$`).test(normaliseProjectKey(key));
}

/** Whether the glob can match at least one valid key (so `9*` — keys never start with a digit — is refused). */
export function globCanMatchAKey(glob: string): boolean {
  const first = glob[0];
  return first === '*' || first === '?' || /[A-Z]/.test(first);
}
