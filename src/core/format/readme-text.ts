/** README.txt written into every repository, so whoever finds the folder knows what it is and how to read it. */
import { FORMAT_NAME, FORMAT_VERSION } from './constants';

export const REPOSITORY_README = `This folder is a backup repository of Backup Center for Jira
(format "${FORMAT_NAME}", version ${FORMAT_VERSION}). Everything in it can be read without the app,
with bash, zcat, jq and sha256sum. The full description is FORMAT.md in the app's source.

  config.json                       format name and version
  snapshots/<id>.json               one file per snapshot; a snapshot exists once this file exists
  indexes/<aa>/<sha256>.jsonl.gz    gzip'd JSON Lines: where each record is (pack, line, sha256)
  checksums/<aa>/<sha256>.sha256    sha256sum list of the packs and chunks one index part uses
  packs/<aa>/<sha256>.jsonl.gz      gzip'd JSON Lines: the records (issues, projects, configuration, ...)
  blobs/<aa>/<sha256>               attachment bytes, in chunks

Every file under indexes/, checksums/, packs/ and blobs/ is named by the SHA-256 of its bytes.
A snapshot's index is, per project, an ordered list of index parts: for a record the LAST line
that mentions it wins, and {"deleted":true} there means the record was deleted.

Check a snapshot (run in this folder, ID=<snapshot id>):
  { jq -r '(.projects[].indexParts[], .globalIndexParts[]) | "\\(.sha256)  \\(.path)", "\\(.sums.sha256)  \\(.sums.path)"' "snapshots/$ID.json"
    jq -r '(.projects[].indexParts[], .globalIndexParts[]) | .sums.path' "snapshots/$ID.json" | xargs -r cat
  } | sort -u | sha256sum -c --quiet

Find issue ENG-7 and print it:
  for part in $(jq -r '.projects[] | select(.key == "ENG") | .indexParts[].path' "snapshots/$ID.json"); do zcat "$part"; done \\
    | jq -c 'select(.type == "issue" and .key == "ENG-7")' | tail -n 1 > entry.json
  zcat "$(jq -r .pack entry.json)" | sed -n "$(jq -r .line entry.json)p" | jq .

Reassemble an attachment: concatenate blobs/<aa>/<sha256> for each of its data.attachments[].chunks[],
then compare sha256sum with its sha256.
`;
