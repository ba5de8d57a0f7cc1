/** README.txt written into every repository, so whoever finds the folder knows what it is and how to read it. */
import { FORMAT_NAME, FORMAT_VERSION } from './constants';

export const REPOSITORY_README = `This folder is a backup repository of Backup Center for Jira
(format "${FORMAT_NAME}", version ${FORMAT_VERSION}). Everything in it can be read without the app,
with bash, zcat, jq and sha256sum. The full description is FORMAT.md in the app's source.

  config.json                       format name and version
  snapshots/<id>.json               one file per snapshot; a snapshot exists once this file exists
  projects/<aa>/<sha256>.jsonl.gz   gzip'd JSON Lines: a snapshot's projects (named in its projectLists)
  indexes/<aa>/<sha256>.jsonl.gz    gzip'd JSON Lines: where each record is (pack, line, sha256)
  checksums/<aa>/<sha256>.sha256    sha256sum list of the packs and chunks one index part uses
  packs/<aa>/<sha256>.jsonl.gz      gzip'd JSON Lines: the records (issues, projects, configuration, ...)
  blobs/<aa>/<sha256>               attachment bytes, in chunks

Every file under projects/, indexes/, checksums/, packs/ and blobs/ is named by the SHA-256 of its bytes.
A snapshot's index is, per project, an ordered list of index parts: for a record the LAST line
that mentions it wins, and {"deleted":true} there means the record was deleted.

The projects of a snapshot, one JSON object per line (run in this folder, ID=<snapshot id>;
snapshots of format version 1 list them in the manifest itself):
  projects() {
    jq -c '.projects[]?' "snapshots/$ID.json"
    jq -r '.projectLists[]?.path' "snapshots/$ID.json" | xargs -r zcat
  }
  projects | jq -r '[.key, .state, .issueCount, .name] | @tsv'

Check a snapshot (with projects defined as above):
  { jq -r '.projectLists[]? | "\\(.sha256)  \\(.path)"' "snapshots/$ID.json"
    { projects | jq -c '.indexParts[]'; jq -c '.globalIndexParts[]' "snapshots/$ID.json"; } > parts.jsonl
    jq -r '"\\(.sha256)  \\(.path)", "\\(.sums.sha256)  \\(.sums.path)"' parts.jsonl
    jq -r '.sums.path' parts.jsonl | xargs -r cat
  } | sort -u | sha256sum -c --quiet

Find issue ENG-7 and print it:
  for part in $(projects | jq -r 'select(.key == "ENG") | .indexParts[].path'); do zcat "$part"; done \\
    | jq -c 'select(.type == "issue" and .key == "ENG-7")' | tail -n 1 > entry.json
  zcat "$(jq -r .pack entry.json)" | sed -n "$(jq -r .line entry.json)p" | jq .

Reassemble an attachment: concatenate blobs/<aa>/<sha256> for each of its data.attachments[].chunks[],
then compare sha256sum with its sha256.
`;
