import React, { useEffect, useState } from 'react';
import { Button, Heading, Inline, RadioGroup, SectionMessage, Spinner, Stack, Text, Textfield } from '@forge/react';
import type { ConnectionReport } from '../../core/admin/collaborators';
import type { ConfigurationView, StorageView } from '../../core/admin/configuration-service';
import { ErrorPanel } from '../shared/ErrorPanel';
import { Field } from '../shared/Field';
import { callResolver, fieldErrorMap, type FieldErrors } from '../shared/resolver-client';
import { useResolverData } from '../shared/useResolverData';
import { ConnectionReportView } from './ConnectionReportView';
import { RemoteServerFields } from './RemoteServerFields';
import { approveRelayUrl } from './relay-remote';
import { draftFromStorage, storageInputFromDraft, type StorageDraft } from './storage-draft';

function valueOf(event: unknown): string {
  return String((event as { target?: { value?: unknown } })?.target?.value ?? '');
}

/** Where backups are kept: managed storage with a quota, or the customer's FTP / FTPS / SFTP server. */
export function StorageTab() {
  const config = useResolverData<ConfigurationView>('getConfiguration');
  const [storage, setStorage] = useState<StorageView | undefined>();
  const [draft, setDraft] = useState<StorageDraft | undefined>();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<{ appearance: 'success' | 'error'; title: string; text: string } | undefined>();
  const [report, setReport] = useState<ConnectionReport | undefined>();
  const [busy, setBusy] = useState<'testing' | 'saving' | undefined>();

  useEffect(() => {
    if (config.data && !storage) {
      setStorage(config.data.storage);
      setDraft(draftFromStorage(config.data.storage));
    }
  }, [config.data, storage]);

  if (config.loading || (config.data && !draft)) return <Spinner label="Loading storage settings" />;
  if (!config.data || !draft || !storage) {
    return <ErrorPanel title="Storage settings could not load" message={config.error?.message ?? 'Unknown error.'} onRetry={() => void config.reload()} />;
  }

  const change = (next: StorageDraft) => {
    setDraft(next);
    setMessage(undefined);
  };
  /** The relay remote must point at the typed URL before the backend can reach it; a bad URL is left to the resolver to report. */
  const approveRelay = async (): Promise<boolean> => {
    if (draft.kind !== 'remote' || !/^https:\/\/\S+$/.test(draft.relayUrl.trim())) return true;
    const problem = await approveRelayUrl(draft.relayUrl);
    if (problem) setMessage({ appearance: 'error', title: 'Relay not approved', text: problem });
    return !problem;
  };
  const testConnection = async () => {
    setBusy('testing');
    setReport(undefined);
    setMessage(undefined);
    if (!(await approveRelay())) {
      setBusy(undefined);
      return;
    }
    const result = await callResolver<ConnectionReport>('testConnection', { storage: storageInputFromDraft(draft) });
    setBusy(undefined);
    if (result.ok) {
      setErrors({});
      setReport(result.data);
    } else {
      setErrors(fieldErrorMap(result.error.fields));
      setMessage({ appearance: 'error', title: 'Could not test', text: result.error.message });
    }
  };
  const save = async () => {
    setBusy('saving');
    if (!(await approveRelay())) {
      setBusy(undefined);
      return;
    }
    const result = await callResolver<StorageView>('saveStorage', { storage: storageInputFromDraft(draft) });
    setBusy(undefined);
    if (!result.ok) {
      setErrors(fieldErrorMap(result.error.fields));
      setMessage({ appearance: 'error', title: 'Not saved', text: result.error.message });
      return;
    }
    setErrors({});
    setStorage(result.data);
    setDraft({ ...draftFromStorage(result.data) });
    setMessage({ appearance: 'success', title: 'Saved', text: `Backups now go to ${result.data.description}.` });
  };

  return (
    <Stack space="space.200">
      <Heading size="medium">Storage</Heading>
      <Text>{`Currently: ${storage.description}${storage.configured ? '' : ' (default; not saved yet)'}`}</Text>
      {message ? (
        <SectionMessage appearance={message.appearance} title={message.title}>
          <Text>{message.text}</Text>
        </SectionMessage>
      ) : null}
      <Field name="kind" label="Keep backups in" error={errors.kind}>
        <RadioGroup
          name="kind"
          value={draft.kind}
          options={[
            { value: 'managed', label: 'Managed storage (inside Atlassian, no server needed)' },
            { value: 'remote', label: 'My own FTP, FTPS or SFTP server' },
          ]}
          onChange={(e) => change({ ...draft, kind: valueOf(e) as StorageDraft['kind'] })}
        />
      </Field>
      {draft.kind === 'managed' ? (
        <Field name="quotaGb" label="Quota (GB)" error={errors.quotaGb} helper="Backups stop with a clear error once they would exceed the quota.">
          <Textfield id="quotaGb" name="quotaGb" value={draft.quotaGb} onChange={(e) => change({ ...draft, quotaGb: valueOf(e) })} />
        </Field>
      ) : (
        <RemoteServerFields draft={draft} errors={errors} passwordSet={storage.passwordSet} privateKeySet={storage.privateKeySet} passphraseSet={storage.passphraseSet} onChange={change} />
      )}
      <Inline space="space.100">
        {draft.kind === 'remote' ? (
          <Button isDisabled={busy !== undefined} onClick={() => void testConnection()}>
            {busy === 'testing' ? 'Testing…' : 'Test connection'}
          </Button>
        ) : null}
        <Button appearance="primary" isDisabled={busy !== undefined} onClick={() => void save()}>Save storage</Button>
      </Inline>
      {report && draft.kind === 'remote' ? (
        <ConnectionReportView
          report={report}
          pinnedFingerprint={draft.hostKeyFingerprint}
          onTrustHostKey={(fingerprint) => change({ ...draft, hostKeyFingerprint: fingerprint })}
        />
      ) : null}
    </Stack>
  );
}
