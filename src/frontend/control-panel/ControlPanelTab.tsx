import React, { useEffect, useState } from 'react';
import { Button, EmptyState, Heading, SectionMessage, Spinner, Stack, Text } from '@forge/react';
import type { BackupDownload } from '../../core/admin/collaborators';
import type { ControlPanelView, FileRow } from '../../core/admin/view-model';
import { ErrorPanel } from '../shared/ErrorPanel';
import { callResolver } from '../shared/resolver-client';
import { useResolverData } from '../shared/useResolverData';
import { BackupFilesTable } from './BackupFilesTable';
import { DeleteBackupDialog } from './DeleteBackupDialog';
import { DownloadNotice } from './DownloadNotice';
import { PlanStatus } from './PlanStatus';
import { StorageUsage } from './StorageUsage';

interface ControlPanelTabProps {
  /** How often to refresh while a backup runs; 0 turns refreshing off. */
  pollIntervalMs: number;
  onCreatePlan: () => void;
}

/** The control panel: plans with their latest run, storage use, and the backup files. */
export function ControlPanelTab({ pollIntervalMs, onCreatePlan }: ControlPanelTabProps) {
  const panel = useResolverData<ControlPanelView>('getControlPanel');
  const [starting, setStarting] = useState<string | undefined>();
  const [actionError, setActionError] = useState<string | undefined>();
  const [toDelete, setToDelete] = useState<FileRow | undefined>();
  const [deleteState, setDeleteState] = useState<{ deleting: boolean; error?: string }>({ deleting: false });
  const [download, setDownload] = useState<{ file: FileRow; download: BackupDownload } | undefined>();

  const anyRunning = !!panel.data?.plans.some((p) => p.latest?.state === 'queued' || p.latest?.state === 'running');
  useEffect(() => {
    // Refresh progress while something runs; stop as soon as nothing does.
    if (!anyRunning || pollIntervalMs <= 0) return undefined;
    const timer = setTimeout(() => void panel.reload(), pollIntervalMs);
    return () => clearTimeout(timer);
  }, [anyRunning, pollIntervalMs, panel.data, panel.reload]);

  if (panel.loading) return <Spinner label="Loading the control panel" />;
  if (!panel.data) {
    return <ErrorPanel title="The control panel could not load" message={panel.error?.message ?? 'Unknown error.'} onRetry={() => void panel.reload()} />;
  }
  const view = panel.data;

  const backUpNow = async (planId: string) => {
    setStarting(planId);
    setActionError(undefined);
    const result = await callResolver<{ jobId: string }>('backupNow', { planId });
    if (!result.ok) setActionError(result.error.message);
    await panel.reload();
    setStarting(undefined);
  };
  const confirmDelete = async (file: FileRow) => {
    setDeleteState({ deleting: true });
    const result = await callResolver('deleteBackup', { fileId: file.id, confirmed: true });
    if (!result.ok) {
      setDeleteState({ deleting: false, error: result.error.message });
      return;
    }
    setDeleteState({ deleting: false });
    setToDelete(undefined);
    await panel.reload();
  };
  const requestDownload = async (file: FileRow) => {
    setActionError(undefined);
    const result = await callResolver<BackupDownload>('getDownload', { fileId: file.id });
    if (result.ok) setDownload({ file, download: result.data });
    else setActionError(result.error.message);
  };

  return (
    <Stack space="space.300">
      {panel.error ? <ErrorPanel title="Could not refresh" message={panel.error.message} onRetry={() => void panel.reload()} /> : null}
      {actionError ? (
        <SectionMessage appearance="error" title="That did not work">
          <Text>{actionError}</Text>
        </SectionMessage>
      ) : null}
      <Stack space="space.200">
        <Heading size="medium">Backup plans</Heading>
        {view.plans.length === 0 ? (
          <Stack space="space.100" alignInline="center">
            <EmptyState header="No backup plans yet" description="Create a plan to choose what to back up, when, and how many backups to keep." />
            <Button appearance="primary" onClick={onCreatePlan}>Create a plan</Button>
          </Stack>
        ) : (
          view.plans.map((plan) => (
            <PlanStatus key={plan.planId} plan={plan} timeZone={view.timeZone} starting={starting === plan.planId} onBackUpNow={(id) => void backUpNow(id)} />
          ))
        )}
      </Stack>
      <StorageUsage storage={view.storage} />
      <Stack space="space.100">
        <Heading size="medium">Backup files</Heading>
        {download ? <DownloadNotice fileName={download.file.name} download={download.download} onClose={() => setDownload(undefined)} /> : null}
        <BackupFilesTable
          files={view.files}
          error={view.filesError}
          onDownload={(file) => void requestDownload(file)}
          onDelete={(file) => {
            setDeleteState({ deleting: false });
            setToDelete(file);
          }}
        />
      </Stack>
      <DeleteBackupDialog
        file={toDelete}
        deleting={deleteState.deleting}
        error={deleteState.error}
        onCancel={() => setToDelete(undefined)}
        onConfirm={(file) => void confirmDelete(file)}
      />
    </Stack>
  );
}
