import React, { useState } from 'react';
import { Button, DynamicTable, EmptyState, Inline, Lozenge, SectionMessage, Spinner, Stack, Text, Textfield } from '@forge/react';
import { Field } from '../shared/Field';
import { callRestore } from './restore-client';
import type { IssueRow } from './restore-types';

interface IssueSearchProps {
  fileId: string;
  projectKey: string;
  chosen: IssueRow[];
  onAdd: (issue: IssueRow) => void;
  onView: (issue: IssueRow) => void;
}

const HEAD = {
  cells: [
    { key: 'key', content: 'Key' },
    { key: 'summary', content: 'Summary' },
    { key: 'type', content: 'Type' },
    { key: 'status', content: 'Status' },
    { key: 'actions', content: '' },
  ],
};

/** Finds issues in the backup by key or summary text; each result can be viewed as it was, or added to the restore. */
export function IssueSearch({ fileId, projectKey, chosen, onAdd, onView }: IssueSearchProps) {
  const [filter, setFilter] = useState({ text: '', issueType: '', status: '' });
  const [state, setState] = useState<{ searching: boolean; results?: IssueRow[]; error?: string }>({ searching: false });
  const search = async () => {
    setState({ searching: true });
    const result = await callRestore<IssueRow[]>('restoreFindIssues', { fileId, projectKey, ...filter });
    setState(result.ok ? { searching: false, results: result.data } : { searching: false, error: result.error.message });
  };
  const chosenIds = new Set(chosen.map((issue) => issue.id));
  return (
    <Stack space="space.100">
      <Inline space="space.100" alignBlock="end">
        <Field name="searchText" label="Find issues in the backup" helper="An issue key (ENG-12) or words of the summary; empty lists the first 50.">
          <Textfield id="searchText" name="searchText" value={filter.text} onChange={(e) => setFilter({ ...filter, text: valueOf(e) })} />
        </Field>
        <Field name="searchIssueType" label="Issue type (optional)">
          <Textfield id="searchIssueType" name="searchIssueType" value={filter.issueType} placeholder="e.g. Bug" onChange={(e) => setFilter({ ...filter, issueType: valueOf(e) })} />
        </Field>
        <Field name="searchStatus" label="Status (optional)">
          <Textfield id="searchStatus" name="searchStatus" value={filter.status} placeholder="e.g. Done" onChange={(e) => setFilter({ ...filter, status: valueOf(e) })} />
        </Field>
        <Button onClick={() => void search()} isDisabled={state.searching}>Search</Button>
      </Inline>
      {state.searching ? <Spinner label="Searching the backup" /> : null}
      {state.error ? (
        <SectionMessage appearance="error" title="The search did not work">
          <Text>{state.error}</Text>
        </SectionMessage>
      ) : null}
      {state.results && state.results.length === 0 ? (
        <EmptyState header="No matching issues in this backup" description="Try the issue key, fewer words, or another backup." />
      ) : null}
      {state.results && state.results.length > 0 ? (
        <DynamicTable
          caption="Issues found in the backup"
          head={HEAD}
          rowsPerPage={10}
          rows={state.results.map((issue) => ({
            key: issue.id,
            cells: [
              { key: 'key', content: issue.key },
              { key: 'summary', content: issue.summary },
              { key: 'type', content: issue.issueType },
              { key: 'status', content: issue.status },
              {
                key: 'actions',
                content: (
                  <Inline space="space.050">
                    <Button spacing="compact" appearance="subtle" onClick={() => onView(issue)}>View</Button>
                    {chosenIds.has(issue.id) ? (
                      <Lozenge appearance="success">Added</Lozenge>
                    ) : (
                      <Button spacing="compact" onClick={() => onAdd(issue)}>Add</Button>
                    )}
                  </Inline>
                ),
              },
            ],
          }))}
        />
      ) : null}
    </Stack>
  );
}

function valueOf(event: unknown): string {
  return String((event as { target?: { value?: unknown } })?.target?.value ?? '');
}
