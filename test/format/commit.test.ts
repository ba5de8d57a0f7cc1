/** The manifest is the commit point: nothing is visible before it, it comes last, and committing is idempotent. */
import { StoreError } from '../../src/ports/backup-store';
import {
  commitSnapshot, FormatError, initRepository, listSnapshotIds, readSnapshot, snapshotManifestPath, verifySnapshot,
  writeIndexParts, writeRecords,
} from '../../src/core/format';
import { draft, issueRecord, memoryStore, projectRecord } from './fixtures';

const ID = '20261126T020000Z-daily';

async function prepare(store = memoryStore()) {
  await initRepository(store);
  const records = await writeRecords(store, [projectRecord('ENG'), ...Array.from({ length: 10 }, (_, i) => issueRecord('ENG', i + 1))]);
  const index = await writeIndexParts(store, records.entries);
  return { store, records, index, draft: draft(ID, [{ key: 'ENG', issueCount: 10, indexParts: index.parts }], [], records.bytesWritten + index.bytesWritten) };
}

describe('commitSnapshot', () => {
  it('writes the manifest last, after every object it references', async () => {
    const { store, draft: d } = await prepare();
    const before = store.calls.length;
    const manifest = await commitSnapshot(store, d);
    const puts = store.calls.slice(before).filter((c) => c.operation === 'put').map((c) => c.path);
    // The project list first (written like every object it names), the manifest last.
    expect(puts).toEqual([manifest.projectLists![0].path, snapshotManifestPath(ID)]);
    const stats = store.calls.slice(before).filter((c) => c.operation === 'stat' || c.operation === 'list');
    expect(stats.length).toBeGreaterThan(1); // it looked for the objects before committing
    expect(manifest.totals).toMatchObject({ records: 11 });
    expect(manifest.totals.bytesWritten).toBeGreaterThan(d.bytesWritten);
  });

  it('leaves no visible snapshot when the run dies before the manifest is stored, and a retry commits it', async () => {
    const { store, draft: d } = await prepare();
    // The process dies exactly at the manifest's put: everything else has been written.
    const dying = Object.create(store) as typeof store;
    dying.put = async (path, data, sha) => {
      if (path.startsWith('snapshots/')) throw new StoreError('unreachable', 'relay went away');
      return store.put(path, data, sha);
    };
    await expect(commitSnapshot(dying, d)).rejects.toThrow('relay went away');
    expect(await listSnapshotIds(store)).toEqual([]);
    await expect(readSnapshot(store, ID)).rejects.toMatchObject({ code: 'missing' });

    const manifest = await commitSnapshot(store, d);
    expect(await listSnapshotIds(store)).toEqual([ID]);
    expect((await verifySnapshot(store, ID)).ok).toBe(true);
    expect(manifest.id).toBe(ID);
  });

  it('is idempotent: a redelivered commit returns the committed manifest without writing', async () => {
    const { store, draft: d } = await prepare();
    const first = await commitSnapshot(store, d);
    const before = store.calls.length;
    const second = await commitSnapshot(store, { ...d, finishedAt: d.finishedAt + 5 });
    expect(second).toEqual(first);
    expect(store.calls.slice(before).some((c) => c.operation === 'put')).toBe(false);
  });

  it('refuses an id that another run already committed', async () => {
    const { store, draft: d } = await prepare();
    await commitSnapshot(store, d);
    await expect(commitSnapshot(store, { ...d, planId: 'weekly' })).rejects.toThrow(/already exists and belongs to another run/);
  });

  it('refuses to commit when a referenced pack is gone, and commits nothing', async () => {
    const { store, draft: d, records } = await prepare();
    await store.delete(records.packs[0].path);
    const error = await commitSnapshot(store, d).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FormatError);
    expect(error).toMatchObject({ code: 'missing', path: records.packs[0].path });
    expect(await listSnapshotIds(store)).toEqual([]);
  });

  it.each([
    ['a malformed id', { id: '2026-11-26 daily' }, /id must look like/],
    ['an unknown state', { state: 'done' }, /state must be complete, partial or failed/],
    ['finishedAt before startedAt', { finishedAt: 0 }, /finishedAt is before startedAt/],
    ['a duplicated project', 'dup', /listed twice/],
    ['an index ref whose path does not match its hash', 'badref', /not an index part path matching its sha256/],
    ['an index ref without its checksum list', 'nosums', /no valid checksum list reference/],
    ['projects that are not a list', { projects: 'ENG' }, /projects must be an array/],
  ])('rejects a draft with %s', async (_name, change, message) => {
    const { store, draft: d } = await prepare();
    const bad =
      change === 'dup' ? { ...d, projects: [...d.projects, ...d.projects] }
      : change === 'badref' ? { ...d, globalIndexParts: [{ ...d.projects[0].indexParts[0], sha256: 'a'.repeat(64) }] }
      : change === 'nosums' ? { ...d, globalIndexParts: [{ ...d.projects[0].indexParts[0], sums: undefined }] }
      : { ...d, ...(change as object) };
    await expect(commitSnapshot(store, bad as typeof d)).rejects.toThrow(message);
    expect(await listSnapshotIds(store)).toEqual([]);
  });

  it('refuses a manifest bigger than the store accepts, saying why', async () => {
    const { store, draft: d } = await prepare(memoryStore(64 * 1024));
    const skipped = Array.from({ length: 1000 }, (_, i) => ({ issueKey: `ENG-${i}`, attachmentId: String(i), filename: 'x'.repeat(40), reason: 'Jira answered 404' }));
    await expect(commitSnapshot(store, { ...d, skippedAttachments: skipped, skippedAttachmentCount: 1000 })).rejects.toThrow(/1000 skipped attachments listed\), more than Memory accepts/);
    expect(await listSnapshotIds(store)).toEqual([]);
  });
});

describe('the repository configuration', () => {
  it('is written once with a README and refuses a folder that belongs to something else', async () => {
    const store = memoryStore();
    const config = await initRepository(store);
    expect(config).toMatchObject({ format: 'backup-center-for-jira', formatVersion: 2, hashAlgorithm: 'sha256' });
    expect(new TextDecoder().decode(await store.get('README.txt'))).toMatch(/sha256sum -c/);
    expect(await initRepository(store)).toEqual(config);

    const other = memoryStore();
    const foreign = new TextEncoder().encode('{"format":"restic"}');
    await other.put('config.json', foreign, require('node:crypto').createHash('sha256').update(foreign).digest('hex'));
    await expect(initRepository(other)).rejects.toMatchObject({ code: 'incompatible' });
  });

  it('refuses a repository written by a newer format version', async () => {
    const store = memoryStore();
    const newer = new TextEncoder().encode('{"format":"backup-center-for-jira","formatVersion":3,"hashAlgorithm":"sha256"}');
    await store.put('config.json', newer, require('node:crypto').createHash('sha256').update(newer).digest('hex'));
    await expect(initRepository(store)).rejects.toThrow(/format version 3; this app reads up to 2\. Update the app/);
  });
});
