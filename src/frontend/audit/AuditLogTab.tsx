import React, { useEffect, useState } from 'react';
import { Button, DynamicTable, EmptyState, Heading, Spinner, Stack, Text, User } from '@forge/react';
import type { AuditEntry, AuditPage } from '../../core/admin/audit-log';
import { formatDateTime } from '../../core/admin/display-format';
import { ErrorPanel } from '../shared/ErrorPanel';
import { callResolver } from '../shared/resolver-client';

const ACTION_LABEL: Record<AuditEntry['action'], string> = {
  'plan.created': 'Plan created',
  'plan.updated': 'Plan changed',
  'plan.deleted': 'Plan deleted',
  'storage.changed': 'Storage changed',
  'storage.tested': 'Connection tested',
  'backup.started': 'Backup started',
  'backup.deleted': 'Backup deleted',
  'storage.cleaned': 'Unused files removed',
  'storage.tidied': 'Old app records removed',
  'restore.started': 'Restore started',
  'restore.finished': 'Restore finished',
};
const APP_ACTORS = new Set(['scheduler', 'system', 'retention']);
const PAGE_SIZE = 25;

/** Who changed what and when: configuration, backups, deletions and restores, newest first. */
export function AuditLogTab({ timeZone }: { timeZone: string }) {
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [cursor, setCursor] = useState<string | undefined>();
  const [state, setState] = useState<{ loading: boolean; error?: string }>({ loading: true });

  const load = async (from?: string) => {
    setState({ loading: true });
    const result = await callResolver<AuditPage>('getAuditLog', { cursor: from, limit: PAGE_SIZE });
    if (!result.ok) {
      setState({ loading: false, error: result.error.message });
      return;
    }
    setEntries((previous) => (from ? [...previous, ...result.data.entries] : result.data.entries));
    setCursor(result.data.nextCursor);
    setState({ loading: false });
  };
  useEffect(() => {
    void load();
  }, []);

  if (state.loading && entries.length === 0) return <Spinner label="Loading the audit log" />;
  if (state.error && entries.length === 0) return <ErrorPanel title="The audit log could not load" message={state.error} onRetry={() => void load()} />;
  if (entries.length === 0) {
    return <EmptyState header="Nothing recorded yet" description="Changes to plans and storage, backups, deletions and restores will appear here." />;
  }
  const rows = entries.map((entry, index) => ({
    key: `${entry.at}-${index}`,
    cells: [
      { key: 'when', content: formatDateTime(entry.at, timeZone) },
      { key: 'who', content: APP_ACTORS.has(entry.actor) ? `Backup Center (${entry.actor})` : <User accountId={entry.actor} /> },
      { key: 'what', content: ACTION_LABEL[entry.action] ?? entry.action },
      { key: 'subject', content: entry.subject },
    ],
  }));
  return (
    <Stack space="space.200">
      <Heading size="medium">Audit log</Heading>
      <Text>{`Times in ${timeZone}.`}</Text>
      <DynamicTable
        caption="Audit log"
        head={{ cells: [{ key: 'when', content: 'When' }, { key: 'who', content: 'Who' }, { key: 'what', content: 'What' }, { key: 'subject', content: 'Subject' }] }}
        rows={rows}
      />
      {state.error ? <ErrorPanel title="Could not load more" message={state.error} /> : null}
      {cursor ? (
        <Button isDisabled={state.loading} onClick={() => void load(cursor)}>Load older entries</Button>
      ) : null}
    </Stack>
  );
}
