import React from 'react';
import { Button, DynamicTable, Heading, SectionMessage, Spinner, Stack, Text } from '@forge/react';
import type { IssueView } from './restore-types';
import { useRestoreData } from './useRestoreData';

/** One issue as it was in the backup: its fields by name, and how much content it had. */
export function IssueDetails({ fileId, issueKey, onClose }: { fileId: string; issueKey: string; onClose: () => void }) {
  const issue = useRestoreData<IssueView>('restoreShowIssue', { fileId, issue: issueKey });
  return (
    <Stack space="space.100">
      <Heading size="small">{`${issueKey} as it was in the backup`}</Heading>
      {issue.loading ? <Spinner label={`Loading ${issueKey}`} /> : null}
      {!issue.loading && !issue.data ? (
        <SectionMessage appearance="error" title={`Could not show ${issueKey}`}>
          <Text>{issue.error?.message ?? 'Unknown error.'}</Text>
        </SectionMessage>
      ) : null}
      {issue.data ? (
        <Stack space="space.050">
          <Text>{`${issue.data.comments} comments, ${issue.data.worklogs} worklogs, ${issue.data.attachments} attachments`}</Text>
          <DynamicTable
            caption={`Fields of ${issueKey}`}
            head={{ cells: [{ key: 'name', content: 'Field' }, { key: 'value', content: 'Value' }] }}
            rows={issue.data.fields.map((field, index) => ({ key: `${index}`, cells: [{ key: 'name', content: field.name }, { key: 'value', content: field.value.slice(0, 300) }] }))}
          />
        </Stack>
      ) : null}
      <Button appearance="subtle" onClick={onClose}>Close</Button>
    </Stack>
  );
}
