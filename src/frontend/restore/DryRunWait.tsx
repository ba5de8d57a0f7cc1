import React, { useEffect } from 'react';
import { Button, Inline, Spinner, Stack, Text } from '@forge/react';
import type { PreviewStatusView, RestorePreview } from './restore-types';
import { planningText } from './restore-text';
import { usePlanningStatus } from './usePlanningStatus';

export interface DryRunResult {
  preview?: RestorePreview;
  error?: { message: string; fields: { field: string; message: string }[] };
}

/**
 * Waits for a queued dry run: the worker reads the backup and the site (a large project takes minutes), the page polls
 * and shows how many issues were read, then hands the preview — or the dry run's error — to `onResult`.
 */
export function DryRunWait({ planningId, pollIntervalMs, onResult }: { planningId: string; pollIntervalMs: number; onResult: (result: DryRunResult) => void }) {
  const status = usePlanningStatus<PreviewStatusView>('restorePreviewStatus', { planningId }, pollIntervalMs);
  const data = status.data;
  const lost = status.error?.code === 'not-found' ? status.error : undefined;
  useEffect(() => {
    if (data?.state === 'done' && data.preview) onResult({ preview: data.preview });
    else if (data?.state === 'failed') onResult({ error: data.error ?? { message: 'The dry run failed.', fields: [] } });
    // A dry run that is no longer known will not finish: polling on would spin forever.
    else if (lost) onResult({ error: { message: lost.message, fields: [] } });
  }, [data, lost]);
  return (
    <Stack space="space.050">
      <Inline space="space.100" alignBlock="center">
        <Spinner label="Preparing the dry run (nothing is written)" />
        <Text>{planningText('Preparing the dry run', data)}</Text>
      </Inline>
      {status.error && !lost ? <Text>{`Could not refresh: ${status.error.message}`}</Text> : null}
      {pollIntervalMs <= 0 ? (
        <Inline space="space.100">
          <Button onClick={() => void status.reload()}>Refresh</Button>
        </Inline>
      ) : null}
    </Stack>
  );
}
