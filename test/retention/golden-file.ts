import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RetentionPolicy } from '../../src/core/plans/plan';
import type { RetentionResult, RetentionSnapshotState } from '../../src/core/retention';

/** One golden case: input snapshots (literal ISO timestamps) + policy + zone + now → the expected keep/remove with reasons. */
export interface GoldenCase {
  description: string;
  timeZone: string;
  now: string;
  policy: RetentionPolicy;
  snapshots: { id: string; startedAt: string; state: RetentionSnapshotState }[];
  /** null until generated with UPDATE_GOLDEN=1 (then reviewed by a human before committing). */
  expected: RetentionResult | null;
}

export const GOLDEN_DIR = join(__dirname, 'golden');

export function goldenFiles(): string[] {
  return readdirSync(GOLDEN_DIR).filter((name) => name.endsWith('.json')).sort();
}

export function readGolden(name: string): GoldenCase {
  return JSON.parse(readFileSync(join(GOLDEN_DIR, name), 'utf8')) as GoldenCase;
}

export function writeGolden(name: string, golden: GoldenCase): void {
  writeFileSync(join(GOLDEN_DIR, name), `${JSON.stringify(golden, null, 2)}\n`);
}

export function epochMs(iso: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`Golden file has a bad timestamp "${iso}"`);
  return ms;
}
