/**
 * The snapshot format (FORMAT.md): the only code that knows how snapshots are laid out in a BackupStore.
 * The backup engine writes through it, restore and the control panel read through it.
 */
export * from './constants';
export * from './errors';
export { canonicalJson, type JsonValue } from './canonical-json';
export { sha256Hex, isSha256Hex } from './hashing';
export {
  CONFIG_PATH, README_PATH, SNAPSHOTS_PREFIX, objectPath, packPath, blobPath, indexPartPath, checksumPartPath,
  parseObjectPath, sha256OfPath, isSnapshotId, snapshotIdFor, snapshotManifestPath, type ObjectKind,
} from './layout';
export * from './types';
export { encodeRecord, recordKey, blobRefsOf, type EncodedRecord } from './records';
export { initRepository, readRepositoryConfig, defaultRepositoryConfig } from './repository';
export { writeRecords, type WriteRecordsOptions, type WriteRecordsResult } from './pack-writer';
export { PackReader, readRecord, readRecords } from './pack-reader';
export { writeIndexParts, readIndexPart, readIndexEntries, resolveIndex, objectsOf, type WriteIndexResult, type IndexPartOptions } from './index-parts';
export { appendIndexLayer, type AppendIndexOptions } from './index-layers';
export { carryOver, mergeIndexParts, type IndexChanges, type CarryOverOptions, type CarryOverResult } from './carry-over';
export {
  AttachmentWriter, attachmentChunkBytes, attachmentChunksPresent, writeAttachmentChunk, readAttachment, readAttachmentChunks, isStoredAttachment,
} from './attachments';
export { commitSnapshot, type CommitOptions } from './commit';
export { listSnapshotIds, listSnapshots, readSnapshot, readIndex, type IndexScope } from './catalog';
export { readChecksumList, type ChecksumLine } from './checksums';
export { verifySnapshot, type VerifyOptions, type VerifyReport, type VerifyProblem, type VerifyProblemKind } from './verify';
export { referencedObjects, deleteSnapshot, collectGarbage, type DeleteResult, type GarbageOptions } from './rotation';
