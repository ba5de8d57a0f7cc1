/** Knobs of the seeded site generator. Every field has a default, so `generateSite({})` yields a small demo site. */
export interface GeneratorOptions {
  /** Same seed + same options = byte-identical site. Default 1. */
  seed?: number;
  /** Number of projects (≥ 1). Default 3; every other one is team-managed. */
  projects?: number;
  /** Number of issues across all projects. Default 200. */
  issues?: number;
  /** Total attachment bytes, in MiB, spread over issues (one big file of tens of MB when the budget allows). Default 5. */
  attachmentsMb?: number;
  /** Ordinary users besides the admin, the non-admin and the app user. Default 20. */
  users?: number;
  /** The site's "now" at generation: every generated timestamp lies before it. Default 2026-01-15T12:00:00Z. */
  baseTime?: number;
  /** The app user's profile time zone (JQL dates are read in the caller's zone). Default Europe/Berlin. */
  appTimeZone?: string;
  /** Share of issues (0..1) that get hostile text in summary or description. Default 0.05. */
  hostileShare?: number;
}

export interface ResolvedGeneratorOptions {
  seed: number;
  projects: number;
  issues: number;
  attachmentsMb: number;
  users: number;
  baseTime: number;
  appTimeZone: string;
  hostileShare: number;
}

export function resolveGeneratorOptions(options: GeneratorOptions): ResolvedGeneratorOptions {
  const resolved: ResolvedGeneratorOptions = {
    seed: options.seed ?? 1,
    projects: options.projects ?? 3,
    issues: options.issues ?? 200,
    attachmentsMb: options.attachmentsMb ?? 5,
    users: options.users ?? 20,
    baseTime: options.baseTime ?? Date.UTC(2026, 0, 15, 12, 0, 0),
    appTimeZone: options.appTimeZone ?? 'Europe/Berlin',
    hostileShare: options.hostileShare ?? 0.05,
  };
  const wholeNumber = (name: string, value: number, min: number) => {
    if (!Number.isInteger(value) || value < min) {
      throw new Error(`generateSite: ${name} must be a whole number ≥ ${min}, got ${value}. Fix the option and retry.`);
    }
  };
  wholeNumber('seed', resolved.seed, 0);
  wholeNumber('projects', resolved.projects, 1);
  wholeNumber('issues', resolved.issues, 0);
  wholeNumber('users', resolved.users, 0);
  if (!(resolved.attachmentsMb >= 0)) throw new Error(`generateSite: attachmentsMb must be ≥ 0, got ${resolved.attachmentsMb}.`);
  if (resolved.projects > 2000) throw new Error(`generateSite: at most 2000 projects are supported, got ${resolved.projects}.`);
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: resolved.appTimeZone });
  } catch {
    throw new Error(`generateSite: appTimeZone "${resolved.appTimeZone}" is not an IANA time zone (e.g. "Europe/Berlin").`);
  }
  return resolved;
}
