/** README.txt written into every repository, so whoever finds the folder knows what it is and how to read it. */
import { FORMAT_NAME, FORMAT_VERSION } from './constants';

export const REPOSITORY_README = `This folder is a backup repository of Backup Center for Jira
(format "${FORMAT_NAME}", version ${FORMAT_VERSION}). Everything in it can be read without the app:

  config.json                          format name and version
  snapshots/<id>.json                  one file per snapshot (the snapshot exists once this file exists)
  checksums/<aa>/<sha256>.sha256       sha256sum lists of every object a snapshot uses
  indexes/<aa>/<sha256>.jsonl.gz       gzip'd JSON Lines: where each record is (pack, line, sha256)
  packs/<aa>/<sha256>.jsonl.gz         gzip'd JSON Lines: the records (issues, projects, configuration, ...)
  blobs/<aa>/<sha256>                  attachment bytes, in chunks

Every file under checksums/, indexes/, packs/ and blobs/ is named by the SHA-256 of its bytes.

Check a snapshot (run in this folder):
  jq -r '.checksums[].path' snapshots/<id>.json | xargs cat | sha256sum -c --quiet

Find an issue by key and show it:
  for p in $(jq -r '.projects[].indexParts[].path' snapshots/<id>.json); do zcat "$p"; done \\
    | jq -c 'select(.type=="issue" and .key=="ENG-1")'
  zcat <pack> | sed -n '<line>p' | jq .

Reassemble an attachment (chunks listed in the issue record's data.attachments[].chunks):
  cat blobs/ab/ab12... blobs/cd/cd34... > file; sha256sum file

The full description is FORMAT.md in the app's source.
`;
