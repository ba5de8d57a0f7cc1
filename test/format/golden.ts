/** Golden files: compared byte for byte; `UPDATE_GOLDEN=1 npx jest test/format` rewrites them after a deliberate change. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function expectGolden(name: string, actual: string): void {
  const path = join(__dirname, 'golden', name);
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(path)) writeFileSync(path, actual);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}
