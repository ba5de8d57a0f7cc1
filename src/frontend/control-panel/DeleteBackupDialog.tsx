import React from 'react';
import { Button, Modal, ModalBody, ModalFooter, ModalHeader, ModalTitle, ModalTransition, SectionMessage, Text } from '@forge/react';
import type { FileRow } from '../../core/admin/view-model';

interface DeleteBackupDialogProps {
  file?: FileRow;
  deleting: boolean;
  error?: string;
  onCancel: () => void;
  onConfirm: (file: FileRow) => void;
}

/** Asks before deleting a backup, and says plainly that there is no undo. */
export function DeleteBackupDialog({ file, deleting, error, onCancel, onConfirm }: DeleteBackupDialogProps) {
  return (
    <ModalTransition>
      {file ? (
        <Modal onClose={onCancel} testId="delete-backup-dialog">
          <ModalHeader>
            <ModalTitle appearance="danger">Delete this backup?</ModalTitle>
          </ModalHeader>
          <ModalBody>
            <Text>{`Deleting "${file.name}" is final: it cannot be undone, and you will no longer be able to restore from this backup.`}</Text>
            <Text>Other backups are not affected.</Text>
            {error ? (
              <SectionMessage appearance="error" title="Not deleted">
                <Text>{error}</Text>
              </SectionMessage>
            ) : null}
          </ModalBody>
          <ModalFooter>
            <Button appearance="subtle" onClick={onCancel}>Cancel</Button>
            <Button appearance="danger" isDisabled={deleting} onClick={() => onConfirm(file)}>
              Delete for good
            </Button>
          </ModalFooter>
        </Modal>
      ) : null}
    </ModalTransition>
  );
}
