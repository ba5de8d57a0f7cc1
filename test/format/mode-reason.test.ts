/**
 * `modeReason` in the manifest: optional (manifests written before it read as before), a short text for people saying
 * why the run was full or incremental.
 */
import { commitSnapshot, FormatError, initRepository, readSnapshot, writeIndexParts, writeRecords, type SnapshotDraft } from '../../src/core/format';
import { draft, memoryStore, projectRecord } from './fixtures';

const ID = '20261126T020000Z-daily';

async function prepared(): Promise<{ store: ReturnType<typeof memoryStore>; draft: SnapshotDraft }> {
  const store = memoryStore();
  await initRepository(store);
  const records = await writeRecords(store, [projectRecord('ENG')]);
  const index = await writeIndexParts(store, records.entries);
  return { store, draft: draft(ID, [{ key: 'ENG', issueCount: 0, indexParts: index.parts }], [], records.bytesWritten + index.bytesWritten) };
}

describe('modeReason', () => {
  it('is written and read back as given', async () => {
    const { store, draft: d } = await prepared();
    await commitSnapshot(store, { ...d, modeReason: 'full: last full re-read 7 days ago (every 7 days)' });
    expect((await readSnapshot(store, ID)).modeReason).toBe('full: last full re-read 7 days ago (every 7 days)');
  });

  it('is optional: a manifest without it reads', async () => {
    const { store, draft: d } = await prepared();
    await commitSnapshot(store, d);
    expect('modeReason' in (await readSnapshot(store, ID))).toBe(false);
  });

  it.each([['empty', ''], ['too long', 'x'.repeat(501)], ['not text', 7]])('is refused when %s', async (_label, value) => {
    const { store, draft: d } = await prepared();
    const commit = commitSnapshot(store, { ...d, modeReason: value as string });
    await expect(commit).rejects.toThrow(new FormatError('invalid', `Snapshot ${ID}: modeReason, when present, must be a text of 1 to 500 characters.`));
  });
});
