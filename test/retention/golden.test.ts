import { applyRetention } from '../../src/core/retention';
import { epochMs, goldenFiles, readGolden, writeGolden } from './golden-file';

/** Golden files in test/retention/golden. `UPDATE_GOLDEN=1 npx jest test/retention` rewrites `expected` from the current code. */
const update = process.env.UPDATE_GOLDEN === '1';

describe('retention golden files', () => {
  it('has golden cases to check', () => {
    expect(goldenFiles().length).toBeGreaterThanOrEqual(10);
  });

  for (const name of goldenFiles()) {
    it(name.replace(/\.json$/, ''), () => {
      const golden = readGolden(name);
      const snapshots = golden.snapshots.map((s) => ({ ...s, startedAt: epochMs(s.startedAt) }));
      const actual = applyRetention(snapshots, golden.policy, { timeZone: golden.timeZone, now: epochMs(golden.now) });
      if (update) {
        writeGolden(name, { ...golden, expected: actual });
        return;
      }
      if (golden.expected === null) throw new Error(`${name} has no expected result yet: run with UPDATE_GOLDEN=1 and review it.`);
      expect(actual).toEqual(golden.expected);
      // Every snapshot is decided exactly once.
      const decided = [...actual.keep.map((k) => k.id), ...actual.remove.map((r) => r.id)].sort();
      expect(decided).toEqual(golden.snapshots.map((s) => s.id).sort());
    });
  }
});
