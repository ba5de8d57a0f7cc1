import React, { useEffect } from 'react';
import { Box, Button, Heading, List, ListItem, Lozenge, ProgressBar, SectionMessage, Spinner, Stack, Text } from '@forge/react';
import type { RestoreStatusView } from './restore-types';
import { isFinished, phaseText, progressFraction } from './restore-text';
import { useRestoreData } from './useRestoreData';

const STATE = {
  running: { label: 'Running', appearance: 'inprogress' },
  waiting: { label: 'Paused by Jira', appearance: 'moved' },
  done: { label: 'Done', appearance: 'success' },
  failed: { label: 'Failed', appearance: 'removed' },
} as const;

/** A finished restore is labelled by how it went, so a run that left items out never shows a green "Done". */
const OUTCOME = {
  complete: STATE.done,
  partial: { label: 'Partly restored', appearance: 'moved' },
  failed: STATE.failed,
} as const;

/** Follows a running restore (polling its status) and, when it ends, shows the per-item report. */
export function RestoreProgress({ restoreId, pollIntervalMs, onNewRestore }: { restoreId: string; pollIntervalMs: number; onNewRestore: () => void }) {
  const status = useRestoreData<RestoreStatusView>('restoreStatus', { restoreId });
  const finished = isFinished(status.data);
  // Each answer (data or error) schedules the next poll: a failed poll keeps the progress shown and asks again.
  useEffect(() => {
    if (finished || pollIntervalMs <= 0 || status.loading) return undefined;
    const timer = setTimeout(() => void status.reload(), pollIntervalMs);
    return () => clearTimeout(timer);
  }, [finished, pollIntervalMs, status.data, status.error, status.loading, status.reload]);

  if (status.loading) return <Spinner label="Loading the restore's progress" />;
  if (!status.data) {
    return (
      <SectionMessage appearance="error" title="Could not read the restore's progress">
        <Text>{status.error?.message ?? 'Unknown error.'}</Text>
        <Button onClick={() => void status.reload()}>Try again</Button>
      </SectionMessage>
    );
  }
  const s = status.data;
  const state = s.state === 'done' && s.outcome ? OUTCOME[s.outcome] : STATE[s.state];
  return (
    <Box testId="restore-progress">
      <Stack space="space.150">
        <Heading size="medium">{`Restore into ${s.target ?? 'the site'}`}</Heading>
        <Lozenge appearance={state.appearance}>{state.label}</Lozenge>
        {!finished ? (
          <Stack space="space.050">
            <ProgressBar ariaLabel="Restore progress" value={progressFraction(s)} />
            <Text>{`${phaseText(s)}: ${s.progress.done} of ${s.progress.total} steps done`}</Text>
            {!pollIntervalMs ? <Button onClick={() => void status.reload()}>Refresh</Button> : null}
          </Stack>
        ) : null}
        {s.state === 'failed' ? (
          <SectionMessage appearance="error" title="The restore stopped">
            <Text>{`${s.error ?? 'Unknown error.'} What was restored stays; running the same restore again continues without duplicates.`}</Text>
          </SectionMessage>
        ) : null}
        {status.error ? <Text>{`Could not refresh: ${status.error.message}`}</Text> : null}
        {finished ? (
          <Stack space="space.100">
            <Heading size="small">Report</Heading>
            <Text>{s.issues.filter((i) => i.targetKey).map((i) => (i.targetKey === i.sourceKey ? i.sourceKey : `${i.sourceKey} is now ${i.targetKey}`)).join(', ') || 'No issue was written.'}</Text>
            <List type="unordered">
              {s.report.map((line) => <ListItem key={line}>{line}</ListItem>)}
            </List>
            {s.rateLimitedPauses > 0 ? <Text>{`Jira asked the restore to slow down ${s.rateLimitedPauses} times; it waited and carried on.`}</Text> : null}
            <SectionMessage appearance="information" title="Kept in the issues instead of set">
              <List type="unordered">
                {s.notSettable.map((line) => <ListItem key={line}>{line}</ListItem>)}
              </List>
            </SectionMessage>
            <Button onClick={onNewRestore}>Start another restore</Button>
          </Stack>
        ) : null}
      </Stack>
    </Box>
  );
}
