import React, { useState } from 'react';
import { Button, DynamicTable, Heading, Inline, SectionMessage, Spinner, Stack, Text } from '@forge/react';
import type { DiffStatusView, IssueRow, ProjectDiff } from './restore-types';
import { useRestoreData } from './useRestoreData';
import { usePlanningStatus } from './usePlanningStatus';
import { newRequestId, planningText, plural } from './restore-text';

interface ProjectDiffViewProps {
  fileId: string;
  projectKey: string;
  chosen: IssueRow[];
  onAdd: (issues: IssueRow[]) => void;
  pollIntervalMs: number;
}

/**
 * What differs between the backup and the live site for one project: deleted issues (addable), changed fields, lost
 * comments and attachments. The comparison reads every issue of the project, so it is queued: the worker compares,
 * the page polls until the answer is there. "Try again" makes a new request id, so the site is read afresh.
 */
export function ProjectDiffView({ fileId, projectKey, chosen, onAdd, pollIntervalMs }: ProjectDiffViewProps) {
  const [requestId, setRequestId] = useState(newRequestId);
  const queued = useRestoreData<{ diffId: string }>('restoreDiffProject', { fileId, projectKey, requestId });
  const status = usePlanningStatus<DiffStatusView>('restoreDiffStatus', queued.data ? { diffId: queued.data.diffId } : null, pollIntervalMs);
  const failure = queued.data ? (status.data?.state === 'failed' ? status.data.error : status.error?.code === 'not-found' ? status.error : undefined) : queued.error;
  if (failure || (!queued.loading && !queued.data)) {
    return (
      <SectionMessage appearance="error" title="Could not compare with the site">
        <Text>{failure?.message ?? 'Unknown error.'}</Text>
        <Button onClick={() => setRequestId(newRequestId())}>Try again</Button>
      </SectionMessage>
    );
  }
  if (!status.data?.diff) {
    return (
      <Stack space="space.050">
        <Inline space="space.100" alignBlock="center">
          <Spinner label="Comparing the backup with the site" />
          <Text>{planningText('Comparing the backup with the site', status.data)}</Text>
        </Inline>
        {status.error ? <Text>{`Could not refresh: ${status.error.message}`}</Text> : null}
        {pollIntervalMs <= 0 && queued.data ? (
          <Inline space="space.100">
            <Button onClick={() => void status.reload()}>Refresh</Button>
          </Inline>
        ) : null}
      </Stack>
    );
  }
  const d: ProjectDiff = status.data.diff;
  const chosenIds = new Set(chosen.map((issue) => issue.id));
  const notChosen = d.deletedIssues.filter((issue) => !chosenIds.has(issue.id));
  const nothing = d.deletedIssues.length + d.changedIssues.length + d.deletedComments.length + d.deletedAttachments.length === 0;
  return (
    <Stack space="space.100">
      <Heading size="small">{`Changes in ${projectKey} since this backup`}</Heading>
      {nothing ? <Text>{`Nothing restorable differs: the site matches the backup${d.newIssueCount > 0 ? ` (${plural(d.newIssueCount, 'issue')} created since are left alone)` : ''}.`}</Text> : null}
      {d.deletedIssues.length > 0 ? (
        <Stack space="space.050">
          <Inline space="space.100" alignBlock="center">
            <Text>{`${plural(d.deletedIssues.length, 'issue')} deleted from the site`}</Text>
            <Button spacing="compact" isDisabled={notChosen.length === 0} onClick={() => onAdd(notChosen)}>Add all deleted issues</Button>
          </Inline>
          <DynamicTable
            caption="Deleted issues"
            head={{ cells: [{ key: 'key', content: 'Key' }, { key: 'summary', content: 'Summary' }, { key: 'add', content: '' }] }}
            rowsPerPage={10}
            rows={d.deletedIssues.map((issue) => ({
              key: issue.id,
              cells: [
                { key: 'key', content: issue.key },
                { key: 'summary', content: issue.summary },
                { key: 'add', content: chosenIds.has(issue.id) ? 'Added' : <Button spacing="compact" onClick={() => onAdd([issue])}>Add</Button> },
              ],
            }))}
          />
        </Stack>
      ) : null}
      {d.changedIssues.length > 0 ? (
        <Stack space="space.050">
          <Text>{`${plural(d.changedIssues.length, 'issue')} with fields changed since the backup`}</Text>
          <DynamicTable
            caption="Changed issues"
            head={{ cells: [{ key: 'key', content: 'Key' }, { key: 'fields', content: 'Fields changed' }, { key: 'add', content: '' }] }}
            rowsPerPage={10}
            rows={d.changedIssues.map((issue) => ({
              key: issue.id,
              cells: [
                { key: 'key', content: issue.key },
                { key: 'fields', content: issue.fields.map((f) => f.name).join(', ') },
                { key: 'add', content: chosenIds.has(issue.id) ? 'Added' : <Button spacing="compact" onClick={() => onAdd([changedRow(issue, projectKey)])}>Add</Button> },
              ],
            }))}
          />
        </Stack>
      ) : null}
      {d.deletedComments.length > 0 ? <Text>{`${plural(d.deletedComments.length, 'comment')} deleted (on ${[...new Set(d.deletedComments.map((c) => c.issueKey))].join(', ')}): restoring those issues adds them back`}</Text> : null}
      {d.deletedAttachments.length > 0 ? <Text>{`${plural(d.deletedAttachments.length, 'attachment')} deleted (${d.deletedAttachments.slice(0, 5).map((a) => `${a.issueKey}: ${a.filename}`).join('; ')}): restoring those issues adds them back`}</Text> : null}
    </Stack>
  );
}

/** A changed live issue as a row the admin can add (to revert it), with its summary as the backup has it. */
function changedRow(issue: ProjectDiff['changedIssues'][number], projectKey: string): IssueRow {
  return { id: issue.id, key: issue.key, projectKey, summary: issue.summary, issueType: '', status: '' };
}
