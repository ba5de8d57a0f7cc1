/** Fixed facts of snapshot format version 2 (FORMAT.md). Changing any of them needs a new format version. */

export const FORMAT_NAME = 'backup-center-for-jira';
/**
 * Bumped when a reader of the previous version could misread a repository written by this one. 2: the project list
 * moved out of the manifest (`projectLists`), so a version 1 reader would see a snapshot without projects.
 */
export const FORMAT_VERSION = 2;
export const HASH_ALGORITHM = 'sha256';

/**
 * Attachments are cut into fixed-size chunks (capped by the store's object limit). Fixed-size, not
 * content-defined, chunking is enough: Jira attachments are immutable, so identical bytes always cut identically.
 */
export const DEFAULT_CHUNK_BYTES = 4 * 1024 * 1024;

/**
 * Target for a pack's uncompressed JSON Lines. JSON compresses 5–10×, so a pack stays far below the store's
 * limit; the writer also checks the compressed size against `maxObjectBytes` and splits further when needed.
 */
export const DEFAULT_PACK_TARGET_BYTES = 8 * 1024 * 1024;

/** Same idea for index parts (one line per record, ~250 bytes each uncompressed). */
export const DEFAULT_INDEX_PART_TARGET_BYTES = 8 * 1024 * 1024;

/** Checksum lists are plain text (`sha256sum -c` reads them directly); ~150 bytes a line. */
export const DEFAULT_CHECKSUM_PART_TARGET_BYTES = 2 * 1024 * 1024;
