/**
 * THE STANDARD-TOOLS TEST: a repository copied to a folder can be checked and read with nothing but bash, zcat,
 * jq and sha256sum — the commands FORMAT.md gives, run verbatim. No app code touches the folder after it is written.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { MemoryStore } from '../../src/adapters/storage/memory-store';
import { carryOver, commitSnapshot, writeRecords, type SnapshotManifest } from '../../src/core/format';
import { deterministicBytes, draft, issueRecord, memoryStore, storeAttachment, writeFullSnapshot, writeVersion1Manifest } from './fixtures';
import { createHash } from 'node:crypto';

const FIRST = '20261126T020000Z-daily';
const SECOND = '20261127T020000Z-daily';
/** FIRST as a format version 1 app stored it: projects inline in the manifest. */
const OLD = '20261125T020000Z-daily';

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

/**
 * The ```bash blocks of FORMAT.md § "Reading a repository by hand", in order: run verbatim, not copies of them. The
 * first defines `projects` (which the others use, as a reader's shell would have it) and lists the projects.
 */
function formatMdCommands(): { projectsFn: string; list: string; check: string; manifest: string; find: string; reassemble: string; count: string } {
  const text = readFileSync(join(__dirname, '..', '..', 'FORMAT.md'), 'utf8');
  const section = text.slice(text.indexOf('## Reading a repository by hand'), text.indexOf('## Compatibility rules'));
  const blocks = [...section.matchAll(/```bash\n([\s\S]*?)```/g)].map((m) => m[1]);
  if (blocks.length !== 6) throw new Error(`FORMAT.md should have 6 bash blocks under "Reading a repository by hand", found ${blocks.length}`);
  const [list, check, manifest, find, reassemble, count] = blocks;
  const fnEnd = list.indexOf('\n}\n');
  if (!list.startsWith('projects() {') || fnEnd < 0) throw new Error('FORMAT.md: the first block should define projects() { … }');
  const projectsFn = list.slice(0, fnEnd + 3);
  // The by-hand recipe names its example key; the test chooses the key through the environment instead.
  if (!find.startsWith('KEY=ENG-7; ')) throw new Error('FORMAT.md: the find-an-issue block should start with "KEY=ENG-7; "');
  return { projectsFn, list, check, manifest, find: find.slice('KEY=ENG-7; '.length), reassemble, count };
}

const commands = formatMdCommands();
const { projectsFn: PROJECTS_FN, list: LIST_PROJECTS, manifest: CHECK_MANIFEST, reassemble: REASSEMBLE_ATTACHMENT } = commands;
const CHECK_SNAPSHOT = PROJECTS_FN + commands.check;
const FIND_ISSUE = PROJECTS_FN + commands.find;
const COUNT_RECORDS = PROJECTS_FN + commands.count;

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

    await writeVersion1Manifest(store, first, OLD);

    dir = mkdtempSync(join(tmpdir(), 'bcj-format-'));
    await exportStore(store, dir);
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lists the projects of a snapshot, from its project list or (version 1) its manifest', () => {
    expect(bash(`jq -c 'has("projects"), (.projectLists | length)' snapshots/${SECOND}.json`, dir)).toBe('false\n1\n');
    for (const id of [SECOND, OLD]) expect(bash(LIST_PROJECTS, dir, { ID: id })).toBe('ENG\tcomplete\t' + (id === SECOND ? 29 : 30) + '\tProject ENG\n');
  });

  it('checks every object of each snapshot with sha256sum -c', () => {
    for (const id of [FIRST, SECOND, OLD]) expect(() => bash(CHECK_SNAPSHOT, dir, { ID: id })).not.toThrow();
    const lines = bash(CHECK_SNAPSHOT.replace('sha256sum -c --quiet', 'wc -l'), dir, { ID: SECOND }).trim();
    expect(Number(lines)).toBe(second.totals.objects); // the project list, index parts, checksum lists, packs, chunks
    const old = bash(CHECK_SNAPSHOT.replace('sha256sum -c --quiet', 'wc -l'), dir, { ID: OLD }).trim();
    expect(Number(old)).toBe(Number(bash(CHECK_SNAPSHOT.replace('sha256sum -c --quiet', 'wc -l'), dir, { ID: FIRST }).trim()) - 1); // no list
  });

  it('README.txt in the repository gives the same check command as FORMAT.md', () => {
    const readme = readFileSync(join(dir, 'README.txt'), 'utf8');
    for (const line of CHECK_SNAPSHOT.split('\n').map((l) => l.trim()).filter(Boolean)) expect(readme).toContain(line);
    for (const line of LIST_PROJECTS.split('\n').map((l) => l.trim()).filter(Boolean)) expect(readme).toContain(line);
  });

  it('checks the manifest against its own SHA-256 with jq', () => {
    for (const id of [FIRST, SECOND, OLD]) expect(() => bash(CHECK_MANIFEST, dir, { ID: id })).not.toThrow();
  });

  it('finds an issue by key and reads its summary and a comment', () => {
    const printed = bash(FIND_ISSUE, dir, { ID: FIRST, KEY: 'ENG-7' });
    expect(printed).toBe('Checkout button does nothing – “Pay now”\nFirst comment on ENG-7\n');
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

  it('counts the live records of a project in each snapshot', () => {
    expect(bash(COUNT_RECORDS, dir, { ID: FIRST }).trim()).toBe('31'); // 30 issues + the project
    expect(bash(COUNT_RECORDS, dir, { ID: SECOND }).trim()).toBe('30'); // ENG-4 deleted
    expect(bash(COUNT_RECORDS, dir, { ID: OLD }).trim()).toBe('31');
  });

  it('reassembles an attachment whose SHA-256 matches', () => {
    bash(FIND_ISSUE, dir, { ID: SECOND, KEY: 'ENG-7' });
    bash(REASSEMBLE_ATTACHMENT, dir, { FILENAME: 'screenshot.png' });
    expect(bash(`jq -r '.chunks | length' attachment.json`, dir).trim()).toBe('3');
    const restored = bash(`sha256sum restored-screenshot.png | cut -d' ' -f1`, dir).trim();
    expect(restored).toBe(createHash('sha256').update(attachmentBytes).digest('hex'));
  });

  it('sha256sum -c fails, naming the file, when a pack is damaged', () => {
    const pack = bash(`zcat ${second.projects[0].indexParts[0].path} | head -n 1 | jq -r .pack`, dir).trim();
    appendFileSync(join(dir, pack), 'x');
    const result = spawnSync('bash', ['-euo', 'pipefail', '-c', CHECK_SNAPSHOT], { cwd: dir, env: { ...process.env, ID: FIRST }, encoding: 'utf8' });
    expect(result.status).not.toBe(0);
    expect(result.stdout).toContain(`${pack}: FAILED`);
  });
});
