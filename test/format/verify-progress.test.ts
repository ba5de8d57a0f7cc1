import { blobPath, continueVerify, sha256Hex, startVerify, type VerifyProgress } from '../../src/core/format';
import { deterministicBytes, issueRecord, memoryStore, storeAttachment, writeFullSnapshot } from './fixtures';

const ID = '20261126T020000Z-daily';

describe('verify as a resumable job', () => {
  it('advances in bounded steps through a JSON checkpoint and counts each problem once', async () => {
    const store = memoryStore(64 * 1024);
    const attachment = await storeAttachment(store, '9', 'big.bin', deterministicBytes(300_000, 4));
    const issues = Array.from({ length: 200 }, (_, i) => issueRecord('VP', i + 1, `S ${'word '.repeat(40)}`, i === 0 ? [attachment] : []));
    const manifest = await writeFullSnapshot(store, ID, 'VP', issues);

    const damage = async (path: string): Promise<void> => {
      const bytes = await store.get(path);
      bytes[10] ^= 0xff;
      await store.put(path, bytes, sha256Hex(bytes));
    };
    const chunk = blobPath(attachment.chunks[2].sha256);
    await damage(chunk); // found when its turn comes (data stage)
    const sums = manifest.projects[0].indexParts[0].sums.path;
    await damage(sums); // found on every step while reading the index (index stage)

    let progress: VerifyProgress = startVerify(ID);
    let steps = 0;
    while (!progress.done) {
      progress = JSON.parse(JSON.stringify(await continueVerify(store, progress, 3))) as VerifyProgress; // through a checkpoint
      expect(JSON.stringify(progress).length).toBeLessThan(4096);
      steps++;
    }
    expect(steps).toBe(Math.ceil(progress.objectsTotal / 3));
    expect(progress.objectsChecked).toBe(progress.objectsTotal);
    expect(progress.ok).toBe(false);
    expect(progress.problemCount).toBe(2);
    expect(progress.problems.map((p) => [p.stage, p.path]).sort()).toEqual([['data', chunk], ['index', sums]]);
    expect(await continueVerify(store, progress, 3)).toBe(progress); // done stays done
  });
});
