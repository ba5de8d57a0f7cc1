import { join } from 'node:path';
import { ForgePlatform, ForgePlatformOptions } from '../../local/forge';

export const FIXTURE_APP_DIR = join(__dirname, 'fixture-app');
/** A fixed platform time, so trigger and retry times are literal in assertions. */
export const T0 = Date.UTC(2026, 10, 26, 12, 0, 0);

/** Starts the emulator on the fixture app with in-memory data and a manual clock at T0. */
export function startFixture(options: Partial<ForgePlatformOptions> = {}): Promise<ForgePlatform> {
  return ForgePlatform.start({ appDir: FIXTURE_APP_DIR, dataDir: 'memory', clock: { startAt: T0 }, ...options });
}
