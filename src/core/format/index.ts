/**
 * The snapshot format (FORMAT.md): the only code that knows how snapshots are laid out in a BackupStore.
 *
 * Backup engine, per run:   initRepository → per step: AttachmentWriter (attachments), writeRecords (packs),
 *                           appendIndexLayer (the step's entries; keep the returned refs in the checkpoint)
 *                           → per project: carryOver(previous project parts, {changedParts, deletedKeys})
 *                           (or mergeIndexParts for a full run) → commitSnapshot(draft): writes the project lists,
 *                           then the manifest (the commit point).
 * Restore / control panel:  listSnapshots, readSnapshot (every project in `projects`, read from the project lists),
 *                           readSnapshotHeader (the manifest alone: the file table's one read per snapshot),
 *                           readIndex(manifest, {project} | 'global'),
 *                           PackReader / readRecords (verified), readAttachment(Chunks), verifySnapshot.
 * Retention:                referencedObjects, deleteSnapshot(id, keptIds), collectGarbage.
 * Every read checks SHA-256s and throws FormatError ('corrupt' | 'missing' | …) naming the object.
 */
export * from './constants';
export * from './errors';
export { canonicalJson, type JsonValue } from './canonical-json';
export { sha256Hex, isSha256Hex } from './hashing';
export {
  CONFIG_PATH, README_PATH, SNAPSHOTS_PREFIX, objectPath, packPath, blobPath, indexPartPath, checksumPartPath, projectListPath,
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
export { listSnapshotIds, listSnapshots, readSnapshot, readSnapshotHeader, readIndex, type IndexScope } from './catalog';
export { readChecksumList, type ChecksumLine } from './checksums';
export { verifySnapshot, type VerifyOptions, type VerifyReport, type VerifyProblem, type VerifyProblemKind } from './verify';
export { startVerify, continueVerify, MAX_LISTED_VERIFY_PROBLEMS, type VerifyProgress } from './verify-progress';
export { referencedObjects, deleteSnapshot, collectGarbage, type DeleteResult, type GarbageOptions } from './rotation';
