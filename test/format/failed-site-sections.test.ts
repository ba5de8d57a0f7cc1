/**
 * `failedSiteSections` in the manifest: optional (manifests written before it read as before), and when present it
 * must be coherent, since the control panel tells the admin from it how old a section's records are.
 */
import { commitSnapshot, FormatError, initRepository, readSnapshot, writeIndexParts, writeRecords, type FailedSiteSection, type SnapshotDraft } from '../../src/core/format';
import { draft, memoryStore, projectRecord, T0 } from './fixtures';

const ID = '20261126T020000Z-daily';
const BASE = '20261125T020000Z-daily';

async function prepared(): Promise<{ store: ReturnType<typeof memoryStore>; draft: SnapshotDraft }> {
  const store = memoryStore();
  await initRepository(store);
  const records = await writeRecords(store, [projectRecord('ENG')]);
  const index = await writeIndexParts(store, records.entries);
  return { store, draft: draft(ID, [{ key: 'ENG', issueCount: 0, indexParts: index.parts }], [], records.bytesWritten + index.bytesWritten) };
}

const kept: FailedSiteSection = {
  name: 'workflows',
  error: 'Jira answered 403 to /rest/api/3/workflows/search: Administrator privileges are required.',
  recordTypes: ['workflow'],
  keptFrom: { snapshotId: BASE, startedAt: T0 - 86_400_000, records: 12 },
};

describe('failedSiteSections', () => {
  it('is written and read back as given', async () => {
    const { store, draft: d } = await prepared();
    const missing: FailedSiteSection = { name: 'groups', error: 'Jira answered 403', recordTypes: ['group'] };
    await commitSnapshot(store, { ...d, state: 'partial', failedSiteSections: [kept, missing] });
    expect((await readSnapshot(store, ID)).failedSiteSections).toEqual([kept, missing]);
  });

  it('is absent when nothing failed, and a manifest without it reads', async () => {
    const { store, draft: d } = await prepared();
    await commitSnapshot(store, d);
    const manifest = await readSnapshot(store, ID);
    expect('failedSiteSections' in manifest).toBe(false);
    expect(manifest.state).toBe('complete');
  });

  it.each<[string, Partial<SnapshotDraft>, RegExp]>([
    ['a complete snapshot with failed sections', { state: 'complete', failedSiteSections: [kept] }, /cannot be complete/],
    ['a section without an error', { failedSiteSections: [{ ...kept, error: '' }] }, /must say why/],
    ['a section listed twice', { failedSiteSections: [kept, kept] }, /listed as failed twice/],
    ['an invalid record type', { failedSiteSections: [{ ...kept, recordTypes: ['work flow'] }] }, /recordTypes/],
    ['records kept from itself', { failedSiteSections: [{ ...kept, keptFrom: { ...kept.keptFrom!, snapshotId: ID } }] }, /another snapshot/],
    ['records kept from a later snapshot', { failedSiteSections: [{ ...kept, keptFrom: { ...kept.keptFrom!, startedAt: T0 + 1 } }] }, /before this snapshot started/],
    ['a negative record count', { failedSiteSections: [{ ...kept, keptFrom: { ...kept.keptFrom!, records: -1 } }] }, /count/],
  ])('refuses %s, writing nothing', async (_name, change, message) => {
    const { store, draft: d } = await prepared();
    const error = await commitSnapshot(store, { ...d, state: 'partial', ...change }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FormatError);
    expect((error as FormatError).message).toMatch(message);
    expect((await store.list('snapshots/')).length).toBe(0);
  });
});
