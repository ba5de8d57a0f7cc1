import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * The round trip end to end against the real Jira simulator, the real backup engine and the snapshot format:
 * back up, delete issues, comments, attachments and a project, restore, compare. Runs `bench/roundtrip.ts` as the
 * admin would (`npm run roundtrip`), small and in-process (--direct) to stay quick; the emulator path is the default
 * of the script itself.
 */
describe('npm run roundtrip', () => {
  it('restores everything except what it lists as not settable, with 0 unexplained differences', async () => {
    const root = join(__dirname, '..', '..');
    const { stdout } = await run(join(root, 'node_modules', '.bin', 'tsx'), ['bench/roundtrip.ts', '--direct', '--issues', '40', '--seed', '5'], { cwd: root, maxBuffer: 16 * 1024 * 1024 });
    const lines = stdout.trim().split('\n');
    const counts = JSON.parse(lines[lines.length - 1]) as { entitiesCompared: number; equal: number; differentWithReason: number; differentUnexplained: number };
    expect(counts.differentUnexplained).toBe(0);
    expect(counts.entitiesCompared).toBeGreaterThan(500);
    expect(counts.equal).toBeGreaterThan(counts.differentWithReason);
    // The data loss really happened and was really restored (not an empty comparison).
    expect(stdout).toMatch(/data loss: [1-9]\d* issues/);
    expect(stdout).toMatch(/restore [A-Z]+: done/);
  }, 240_000);
});
