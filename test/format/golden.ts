/** Golden files: compared byte for byte; `UPDATE_GOLDEN=1 npx jest test/format` rewrites them after a deliberate change. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function expectGolden(name: string, actual: string): void {
  const path = join(__dirname, 'golden', name);
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(path, actual);
  if (!existsSync(path)) throw new Error(`Golden file ${path} is missing; create it with UPDATE_GOLDEN=1 npx jest test/format and review it.`);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}
