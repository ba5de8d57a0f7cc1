import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

interface BenchRun {
  run: string;
  readIssues: number;
  requests: number;
  points: number;
  pointsLowerBound: number;
  pointsOverLowerBound: number;
  wallSeconds: number;
  issuesPerMinute: number;
  peakRssMb: number;
  heapLimitMb: number;
  bytesWritten: number;
  state: string;
}

/**
 * `npm run bench` as an admin runs it, on a small site without latency: a full and an incremental run, each in its
 * own process (inside a 256 MB memory cgroup where the machine allows one), and every figure the issue asks for,
 * in the table and in the closing JSON line. Speed is not asserted here; the figures are for people to read.
 */
describe('npm run bench', () => {
  it('backs up full then incremental and prints every figure, the last line as JSON', async () => {
    const root = join(__dirname, '..', '..');
    const { stdout } = await run(join(root, 'node_modules', '.bin', 'tsx'), ['bench/backup-bench.ts', '--issues', '300', '--latency-ms', '0'], {
      cwd: root,
      maxBuffer: 16 * 1024 * 1024,
    });
    const lines = stdout.trim().split('\n');
    const summary = JSON.parse(lines[lines.length - 1]) as { benchmark: string; memoryLimitMb: number | null; runs: BenchRun[] };
    expect(summary.benchmark).toBe('backup');
    expect(summary.runs.map((r) => r.run)).toEqual(['full 300', 'incremental 300']);
    const [full, incremental] = summary.runs;
    for (const figures of summary.runs) {
      expect(figures.state).toBe('complete');
      expect(figures.requests).toBeGreaterThan(0);
      expect(figures.points).toBeGreaterThanOrEqual(figures.pointsLowerBound);
      expect(figures.wallSeconds).toBeGreaterThan(0);
      expect(figures.issuesPerMinute).toBeGreaterThan(0);
      expect(figures.peakRssMb).toBeGreaterThan(0);
      expect(figures.heapLimitMb).toBeGreaterThan(0);
      expect(figures.bytesWritten).toBeGreaterThan(0);
    }
    expect(full.readIssues).toBe(300);
    // 1% changed: the incremental run reads those few issues and stays within 1.2x what a perfect reader spends.
    expect(incremental.readIssues).toBeLessThan(10);
    expect(incremental.pointsOverLowerBound).toBeLessThanOrEqual(1.2);
    expect(incremental.points).toBeLessThan(full.points / 10);
    // Inside the cgroup Node sizes its heap from the limit, far below what it picks on a large machine.
    if (summary.memoryLimitMb !== null) expect(full.heapLimitMb).toBeLessThanOrEqual(summary.memoryLimitMb + 64);
    // The table has a row per run with the same figures.
    expect(stdout).toMatch(/peak RSS MB/);
    expect(stdout).toMatch(/^\s*full 300\s+300\s/m);
  }, 240_000);
});
