import React from 'react';
import { Button, Modal, ModalBody, ModalFooter, ModalHeader, ModalTitle, ModalTransition, SectionMessage, Text } from '@forge/react';
import type { RestorePreview } from './restore-types';
import { plural } from './restore-text';

interface ConfirmRestoreDialogProps {
  preview?: RestorePreview;
  open: boolean;
  starting: boolean;
  error?: string;
  onCancel: () => void;
  onConfirm: () => void;
}

/** Asks before writing to the live site, restating what the dry run showed. */
export function ConfirmRestoreDialog({ preview, open, starting, error, onCancel, onConfirm }: ConfirmRestoreDialogProps) {
  return (
    <ModalTransition>
      {open && preview ? (
        <Modal onClose={onCancel} testId="confirm-restore-dialog">
          <ModalHeader>
            <ModalTitle appearance="warning">Restore now?</ModalTitle>
          </ModalHeader>
          <ModalBody>
            <Text>
              {`This writes to your Jira site${preview.target.createProject ? `, creating project ${preview.target.createProject.key}` : ` in project ${preview.target.projectKey}`}: ` +
                `${plural(preview.totals.issuesToCreate, 'issue')} created, ${plural(preview.totals.issuesToUpdate, 'issue')} completed, ${plural(preview.totals.issuesToRevert, 'issue')} reverted, exactly as the dry run shows.`}
            </Text>
            <Text>Nothing is deleted. The restore runs in the background; you can follow it here, and running it again never creates duplicates.</Text>
            {error ? (
              <SectionMessage appearance="error" title="Not started">
                <Text>{error}</Text>
              </SectionMessage>
            ) : null}
          </ModalBody>
          <ModalFooter>
            <Button appearance="subtle" onClick={onCancel}>Cancel</Button>
            <Button appearance="primary" isDisabled={starting} onClick={onConfirm}>Restore now</Button>
          </ModalFooter>
        </Modal>
      ) : null}
    </ModalTransition>
  );
}
