/**
 * A tiny snapshot, byte for byte: the manifest, its project list (decompressed), index part, checksum list and pack (decompressed) are golden
 * files, so any change to what the app writes shows up in review. FORMAT.md points at them as examples.
 * Regenerate after a deliberate format change with UPDATE_GOLDEN=1 (and think about the format version).
 */
import { gunzipSync } from 'node:zlib';
import { readSnapshot, snapshotManifestPath } from '../../src/core/format';
import { expectGolden } from './golden';
import { issueRecord, memoryStore, writeFullSnapshot } from './fixtures';

const ID = '20261126T020000Z-daily';

describe('the golden snapshot', () => {
  it('is written exactly as the golden files show', async () => {
    const store = memoryStore();
    await writeFullSnapshot(store, ID, 'ENG', [issueRecord('ENG', 1, 'Login fails'), issueRecord('ENG', 2, 'Typo on the home page')], [
      { type: 'priority', id: '1', data: { name: 'Highest', iconUrl: 'https://example.atlassian.net/images/icons/priorities/highest.svg' } },
    ]);
    const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
    expectGolden('snapshot-manifest.json', text(await store.get(snapshotManifestPath(ID))));
    const manifest = await readSnapshot(store, ID);
    expectGolden('snapshot-projects.jsonl', text(gunzipSync(await store.get(manifest.projectLists![0].path))));
    const [part] = manifest.projects[0].indexParts;
    expectGolden('snapshot-index-part.jsonl', text(gunzipSync(await store.get(part.path))));
    expectGolden('snapshot-checksums.sha256', text(await store.get(part.sums.path)));
    const pack = JSON.parse(text(gunzipSync(await store.get(part.path))).split('\n')[0]).pack as string;
    expectGolden('snapshot-pack.jsonl', text(gunzipSync(await store.get(pack))));
    expectGolden('config.json', text(await store.get('config.json')));
  });
});
