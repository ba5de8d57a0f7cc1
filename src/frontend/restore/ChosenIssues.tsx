import React from 'react';
import { Button, DynamicTable, Text } from '@forge/react';
import type { IssueRow } from './restore-types';

/** The issues the admin picked for this restore, each removable. */
export function ChosenIssues({ issues, verb, onRemove }: { issues: IssueRow[]; verb: string; onRemove: (issue: IssueRow) => void }) {
  if (issues.length === 0) return <Text>No issues chosen yet: search the backup, or show what changed since it, and add issues.</Text>;
  return (
    <DynamicTable
      caption={`Issues to ${verb} (${issues.length})`}
      head={{ cells: [{ key: 'key', content: 'Key' }, { key: 'summary', content: 'Summary' }, { key: 'remove', content: '' }] }}
      rows={issues.map((issue) => ({
        key: issue.id,
        cells: [
          { key: 'key', content: issue.key },
          { key: 'summary', content: issue.summary },
          { key: 'remove', content: <Button spacing="compact" appearance="subtle" onClick={() => onRemove(issue)}>Remove</Button> },
        ],
      }))}
    />
  );
}
