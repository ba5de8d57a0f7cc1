import React from 'react';
import { EmptyState, Select, Spinner } from '@forge/react';
import { Field } from '../shared/Field';
import { ErrorPanel } from '../shared/ErrorPanel';
import type { SnapshotList } from './restore-types';
import { useRestoreData } from './useRestoreData';

const KIND = { basic: 'Basic', extended: 'Extended' } as const;

/** Step 1: the backup file (snapshot) to restore from, newest first. Failed backups hold nothing to restore and are left out. */
export function SnapshotPicker({ fileId, onPick }: { fileId?: string; onPick: (fileId: string) => void }) {
  const list = useRestoreData<SnapshotList>('restoreListSnapshots', {});
  if (list.loading) return <Spinner label="Loading the backups" />;
  if (!list.data) return <ErrorPanel title="The backups could not be listed" message={list.error?.message ?? 'Unknown error.'} onRetry={() => void list.reload()} />;
  if (list.data.error) return <ErrorPanel title="The backups could not be listed" message={list.data.error} onRetry={() => void list.reload()} />;
  if (list.data.files.length === 0) {
    return <EmptyState header="No backups to restore from" description="Run a backup plan first (Control panel → “Back up now”); its backups appear here." />;
  }
  const options = list.data.files.map((file) => ({
    value: file.id,
    label: `${file.name} · ${KIND[file.kind]}${file.state === 'partial' ? ' · partial' : ''}`,
  }));
  return (
    <Field name="fileId" label={`Backup to restore from (times in ${list.data.timeZone})`} helper="Partial backups restore the projects they hold.">
      <Select
        inputId="fileId"
        name="fileId"
        placeholder="Choose a backup"
        options={options}
        value={options.find((o) => o.value === fileId) ?? null}
        onChange={(option: { value: string } | null) => option && onPick(option.value)}
      />
    </Field>
  );
}
