import React from 'react';
import { Button, DynamicTable, EmptyState, Inline, Lozenge, SectionMessage, Text } from '@forge/react';
import type { FileRow } from '../../core/admin/view-model';
import { FILE_STATE, KIND_LABEL } from './labels';

interface BackupFilesTableProps {
  files: FileRow[];
  error?: string;
  onDownload: (file: FileRow) => void;
  onDelete: (file: FileRow) => void;
}

const HEAD = {
  cells: [
    { key: 'name', content: 'Backup', isSortable: true },
    { key: 'kind', content: 'Type' },
    { key: 'size', content: 'Size', isSortable: true },
    { key: 'state', content: 'State' },
    { key: 'actions', content: 'Actions' },
  ],
};

/** The backup files, newest first. Cells hold host components only: DynamicTable flattens function components. */
export function BackupFilesTable({ files, error, onDownload, onDelete }: BackupFilesTableProps) {
  if (error) {
    return (
      <SectionMessage appearance="error" title="Backup files unavailable">
        <Text>{error}</Text>
      </SectionMessage>
    );
  }
  if (files.length === 0) {
    return <EmptyState header="No backups yet" description="Run a plan with “Back up now”, or wait for its scheduled time." />;
  }
  const rows = files.map((file) => ({
    key: file.id,
    cells: [
      { key: 'name', content: file.name },
      { key: 'kind', content: KIND_LABEL[file.kind] },
      { key: 'size', content: file.sizeText },
      { key: 'state', content: <Lozenge appearance={FILE_STATE[file.state].appearance}>{FILE_STATE[file.state].label}</Lozenge> },
      {
        key: 'actions',
        content: (
          <Inline space="space.050">
            <Button spacing="compact" onClick={() => onDownload(file)}>Download</Button>
            <Button spacing="compact" appearance="subtle" onClick={() => onDelete(file)}>Delete</Button>
          </Inline>
        ),
      },
    ],
  }));
  return (
    <DynamicTable
      caption="Backup files"
      head={HEAD}
      rows={rows}
      rowsPerPage={20}
    />
  );
}
