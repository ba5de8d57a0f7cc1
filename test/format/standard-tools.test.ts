/**
 * THE STANDARD-TOOLS TEST: a repository copied to a folder can be checked and read with nothing but bash, zcat,
 * jq and sha256sum — the commands FORMAT.md gives, run verbatim. No app code touches the folder after it is written.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { MemoryStore } from '../../src/adapters/storage/memory-store';
import { carryOver, commitSnapshot, writeRecords, type SnapshotManifest } from '../../src/core/format';
import { deterministicBytes, draft, issueRecord, memoryStore, storeAttachment, writeFullSnapshot } from './fixtures';
import { createHash } from 'node:crypto';

const FIRST = '20261126T020000Z-daily';
const SECOND = '20261127T020000Z-daily';

/** Copies every object of the store to files under `dir`, as an FTP/SFTP repository would hold them. */
async function exportStore(store: MemoryStore, dir: string): Promise<void> {
  for (const object of await store.list('')) {
    const file = join(dir, object.path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, await store.get(object.path));
  }
}

function bash(script: string, cwd: string, env: Record<string, string> = {}): string {
  return execFileSync('bash', ['-euo', 'pipefail', '-c', script], { cwd, env: { ...process.env, ...env }, encoding: 'utf8' });
}

// The commands of FORMAT.md §"Reading a repository by hand", verbatim.
const CHECK_SNAPSHOT = `
{ jq -r '(.projects[].indexParts[], .globalIndexParts[]) | "\\(.sha256)  \\(.path)", "\\(.sums.sha256)  \\(.sums.path)"' "snapshots/$ID.json"
  jq -r '(.projects[].indexParts[], .globalIndexParts[]) | .sums.path' "snapshots/$ID.json" | xargs -r cat
} | sort -u | sha256sum -c --quiet
`;
const FIND_ISSUE = `
PROJECT=\${KEY%%-*}
for part in $(jq -r --arg p "$PROJECT" '.projects[] | select(.key == $p) | .indexParts[].path' "snapshots/$ID.json"); do
  zcat "$part"
done | jq -c --arg k "$KEY" 'select(.type == "issue" and .key == $k)' | tail -n 1 > entry.json
jq -e 'has("deleted") | not' entry.json > /dev/null || { echo "$KEY was deleted"; exit 3; }
PACK=$(jq -r .pack entry.json); LINE=$(jq -r .line entry.json)
zcat "$PACK" | sed -n "\${LINE}p" > record.json
[ "$(tr -d '\\n' < record.json | sha256sum | cut -d' ' -f1)" = "$(jq -r .sha256 entry.json)" ]
`;
const CHECK_MANIFEST = `
[ "$(jq -cjS 'del(.manifestSha256)' "snapshots/$ID.json" | sha256sum | cut -d' ' -f1)" = "$(jq -r .manifestSha256 "snapshots/$ID.json")" ]
`;
const REASSEMBLE_ATTACHMENT = `
jq -c --arg f "$FILENAME" '.data.attachments[] | select(.filename == $f)' record.json > attachment.json
for h in $(jq -r '.chunks[].sha256' attachment.json); do cat "blobs/\${h:0:2}/$h"; done > "restored-$FILENAME"
[ "$(sha256sum < "restored-$FILENAME" | cut -d' ' -f1)" = "$(jq -r .sha256 attachment.json)" ]
[ "$(stat -c %s "restored-$FILENAME")" = "$(jq -r .size attachment.json)" ]
`;

describe('a repository read with bash, zcat, jq and sha256sum only', () => {
  let dir: string;
  let attachmentBytes: Uint8Array;
  let second: SnapshotManifest;

  beforeAll(async () => {
    for (const tool of ['jq', 'zcat', 'sha256sum']) {
      if (spawnSync('bash', ['-c', `command -v ${tool}`]).status !== 0) throw new Error(`${tool} is not installed: apt-get install jq gzip coreutils`);
    }
    const store = memoryStore(1024 * 1024); // 1 MiB objects: the attachment spans three chunks
    attachmentBytes = deterministicBytes(2_500_000, 42);
    const attachment = await storeAttachment(store, '30007', 'screenshot.png', attachmentBytes);
    const issues = Array.from({ length: 30 }, (_, i) => issueRecord('ENG', i + 1, `Summary of ENG-${i + 1}`));
    issues[6] = issueRecord('ENG', 7, 'Checkout button does nothing – “Pay now”', [attachment]);
    const first = await writeFullSnapshot(store, FIRST, 'ENG', issues, [{ type: 'priority', id: '1', data: { name: 'Highest' } }]);

    // Next day: ENG-3 edited, ENG-4 deleted; the second snapshot is the first's index plus one layer.
    const written = await writeRecords(store, [issueRecord('ENG', 3, 'Edited on day two')]);
    const index = await carryOver(store, first.projects[0].indexParts, { changedEntries: written.entries, deletedKeys: ['issue/10004'] });
    second = await commitSnapshot(store, draft(SECOND, [{ key: 'ENG', issueCount: 29, indexParts: index.parts }], first.globalIndexParts, 0, FIRST));
    expect(second.projects[0].indexParts.length).toBe(first.projects[0].indexParts.length + 1);

    dir = mkdtempSync(join(tmpdir(), 'bcj-format-'));
    await exportStore(store, dir);
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('checks every object of each snapshot with sha256sum -c', () => {
    for (const id of [FIRST, SECOND]) expect(() => bash(CHECK_SNAPSHOT, dir, { ID: id })).not.toThrow();
    const lines = bash(CHECK_SNAPSHOT.replace('sha256sum -c --quiet', 'wc -l'), dir, { ID: SECOND }).trim();
    expect(Number(lines)).toBe(second.totals.objects);
  });

  it('checks the manifest against its own SHA-256 with jq', () => {
    for (const id of [FIRST, SECOND]) expect(() => bash(CHECK_MANIFEST, dir, { ID: id })).not.toThrow();
  });

  it('finds an issue by key and reads its summary and a comment', () => {
    bash(FIND_ISSUE, dir, { ID: FIRST, KEY: 'ENG-7' });
    expect(bash(`jq -r '.data.fields.summary' record.json`, dir).trim()).toBe('Checkout button does nothing – “Pay now”');
    expect(bash(`jq -r '.data.comments[0].body' record.json`, dir).trim()).toBe('First comment on ENG-7');
  });

  it('sees the latest layer: an edited issue has its new summary, a deleted one is reported deleted', () => {
    bash(FIND_ISSUE, dir, { ID: SECOND, KEY: 'ENG-3' });
    expect(bash(`jq -r '.data.fields.summary' record.json`, dir).trim()).toBe('Edited on day two');
    bash(FIND_ISSUE, dir, { ID: FIRST, KEY: 'ENG-3' });
    expect(bash(`jq -r '.data.fields.summary' record.json`, dir).trim()).toBe('Summary of ENG-3');
    const deleted = spawnSync('bash', ['-euo', 'pipefail', '-c', FIND_ISSUE], { cwd: dir, env: { ...process.env, ID: SECOND, KEY: 'ENG-4' }, encoding: 'utf8' });
    expect(deleted.status).toBe(3);
    expect(deleted.stdout).toContain('ENG-4 was deleted');
  });

  it('reassembles an attachment whose SHA-256 matches', () => {
    bash(FIND_ISSUE, dir, { ID: SECOND, KEY: 'ENG-7' });
    bash(REASSEMBLE_ATTACHMENT, dir, { FILENAME: 'screenshot.png' });
    expect(bash(`jq -r '.chunks | length' attachment.json`, dir).trim()).toBe('3');
    const restored = bash(`sha256sum restored-screenshot.png | cut -d' ' -f1`, dir).trim();
    expect(restored).toBe(createHash('sha256').update(attachmentBytes).digest('hex'));
  });

  it('sha256sum -c fails, naming the file, when a pack is damaged', () => {
    const pack = bash(`zcat $(jq -r '.projects[0].indexParts[0].path' snapshots/${FIRST}.json) | head -n 1 | jq -r .pack`, dir).trim();
    appendFileSync(join(dir, pack), 'x');
    const result = spawnSync('bash', ['-euo', 'pipefail', '-c', CHECK_SNAPSHOT], { cwd: dir, env: { ...process.env, ID: FIRST }, encoding: 'utf8' });
    expect(result.status).not.toBe(0);
    expect(result.stdout).toContain(`${pack}: FAILED`);
  });
});
