import React, { useRef, useState } from 'react';
import { Button, Heading, Inline, RadioGroup, Select, SectionMessage, Spinner, Stack, Text, Textfield } from '@forge/react';
import { Field } from '../shared/Field';
import { ErrorPanel } from '../shared/ErrorPanel';
import { fieldErrorMap, type FieldErrors } from '../shared/resolver-client';
import { ChosenIssues } from './ChosenIssues';
import { ConfirmRestoreDialog } from './ConfirmRestoreDialog';
import { DryRunView } from './DryRunView';
import { DryRunWait, type DryRunResult } from './DryRunWait';
import { IssueDetails } from './IssueDetails';
import { IssueSearch } from './IssueSearch';
import { ProjectDiffView } from './ProjectDiffView';
import { RestoreProgress } from './RestoreProgress';
import { SnapshotPicker } from './SnapshotPicker';
import { callRestore } from './restore-client';
import { newRequestId, requestFor } from './restore-text';
import type { IssueRow, RestoreChoice, RestorePreview, SnapshotProjectRow } from './restore-types';
import { useRestoreData } from './useRestoreData';

const NO_CHOICE: RestoreChoice = { mode: 'issues', issues: [], target: 'original', newProjectKey: '' };

/**
 * Restore from the control panel: pick a backup → choose issues or a whole project (and where to) → read the dry run →
 * confirm → watch progress → read the report. Changing any choice drops the dry run, so what is confirmed is always
 * exactly what was shown.
 */
export function RestoreTab({ pollIntervalMs }: { pollIntervalMs: number }) {
  const [fileId, setFileId] = useState<string | undefined>();
  const [projectKey, setProjectKey] = useState<string | undefined>();
  const [choice, setChoiceState] = useState<RestoreChoice>(NO_CHOICE);
  const [viewing, setViewing] = useState<string | undefined>();
  const [showDiff, setShowDiff] = useState(false);
  // running: asked for, not answered yet; planningId: queued, the worker is reading (DryRunWait polls it).
  const [preview, setPreview] = useState<{ running: boolean; planningId?: string; plan?: RestorePreview; error?: string; fields: FieldErrors }>({ running: false, fields: {} });
  const [confirm, setConfirm] = useState<{ open: boolean; starting: boolean; error?: string }>({ open: false, starting: false });
  const [restoreId, setRestoreId] = useState<string | undefined>();
  const projects = useRestoreData<SnapshotProjectRow[]>('restoreListProjects', fileId ? { fileId } : null);
  // Counts dry-run requests and choice changes: a dry run still in flight when the choice changes planned the old
  // choice, so its answer must not become the plan the admin confirms under the new one.
  const dryRunSeq = useRef(0);

  const setChoice = (patch: Partial<RestoreChoice>) => {
    setChoiceState((current) => ({ ...current, ...patch }));
    dryRunSeq.current += 1;
    setPreview({ running: false, fields: {} });
  };
  const pickFile = (id: string) => {
    setFileId(id);
    setProjectKey(undefined);
    setShowDiff(false);
    setViewing(undefined);
    setChoice(NO_CHOICE);
  };
  const pickProject = (key: string) => {
    setProjectKey(key);
    setShowDiff(false);
    setViewing(undefined);
    setChoice({ issues: [] });
  };
  const addIssues = (issues: IssueRow[]) => setChoice({ issues: [...choice.issues, ...issues.filter((i) => !choice.issues.some((c) => c.id === i.id))] });

  const runDryRun = async () => {
    if (!fileId || !projectKey) return;
    const request = ++dryRunSeq.current;
    setPreview({ running: true, fields: {} });
    // The resolver only checks the request and queues it; DryRunWait follows it until the worker has the plan.
    const result = await callRestore<{ planningId: string }>('restorePreview', { fileId, request: requestFor(choice, projectKey), requestId: newRequestId() });
    if (request !== dryRunSeq.current) return;
    setPreview(result.ok ? { running: true, planningId: result.data.planningId, fields: {} } : { running: false, error: result.error.message, fields: fieldErrorMap(result.error.fields) });
  };
  const dryRunDone = (planningId: string, result: DryRunResult) =>
    // Only the dry run still on screen may land: a choice change has dropped (and unmounted) any other.
    setPreview((current) => {
      if (current.planningId !== planningId) return current;
      if (result.preview) return { running: false, plan: result.preview, fields: {} };
      return { running: false, error: result.error?.message, fields: fieldErrorMap(result.error?.fields ?? []) };
    });
  const start = async () => {
    if (!preview.plan) return;
    setConfirm({ open: true, starting: true });
    const result = await callRestore<{ restoreId: string }>('restoreStart', { previewId: preview.plan.previewId, confirmed: true });
    if (!result.ok) {
      setConfirm({ open: true, starting: false, error: result.error.message });
      return;
    }
    setConfirm({ open: false, starting: false });
    setRestoreId(result.data.restoreId);
  };

  if (restoreId) {
    return (
      <RestoreProgress
        restoreId={restoreId}
        pollIntervalMs={pollIntervalMs}
        onNewRestore={() => {
          setRestoreId(undefined);
          setPreview({ running: false, fields: {} });
        }}
      />
    );
  }

  const canDryRun = !!projectKey && (choice.mode === 'project' || choice.issues.length > 0) && !preview.running;
  return (
    <Stack space="space.300">
      <Stack space="space.100">
        <Heading size="medium">1. Backup</Heading>
        <SnapshotPicker fileId={fileId} onPick={pickFile} />
      </Stack>
      {fileId ? (
        <Stack space="space.150">
          <Heading size="medium">2. What to restore</Heading>
          {projects.loading ? <Spinner label="Reading the backup's projects" /> : null}
          {!projects.loading && !projects.data ? (
            <ErrorPanel title="This backup's projects could not be read" message={projects.error?.message ?? 'Unknown error.'} onRetry={() => void projects.reload()} />
          ) : null}
          {projects.data && projects.data.length === 0 ? <Text>This backup holds no projects: pick another backup.</Text> : null}
          {projects.data && projects.data.length > 0 ? (
            <Field name="projectKey" label="Project in the backup">
              <Select
                inputId="projectKey"
                name="projectKey"
                placeholder="Choose a project"
                options={projects.data.map((p) => ({ value: p.key, label: `${p.name} (${p.key}) · ${p.issueCount} issues` }))}
                value={projects.data.filter((p) => p.key === projectKey).map((p) => ({ value: p.key, label: `${p.name} (${p.key}) · ${p.issueCount} issues` }))[0] ?? null}
                onChange={(option: { value: string } | null) => option && pickProject(option.value)}
              />
            </Field>
          ) : null}
          {projectKey ? (
            <Field name="mode" label="Restore">
              <RadioGroup
                name="mode"
                value={choice.mode}
                options={[
                  { value: 'issues', label: 'Chosen issues (deleted ones are re-created, existing ones get their missing content)' },
                  { value: 'revert', label: "Revert chosen issues' fields to their backup values (undo an unwanted bulk edit; the status is walked back too)" },
                  { value: 'project', label: 'The whole project' },
                ]}
                onChange={(e) => setChoice({ mode: valueOf(e) as RestoreChoice['mode'] })}
              />
            </Field>
          ) : null}
          {fileId && projectKey && choice.mode !== 'project' ? (
            <Stack space="space.150">
              <IssueSearch fileId={fileId} projectKey={projectKey} chosen={choice.issues} onAdd={(issue) => addIssues([issue])} onView={(issue) => setViewing(issue.key)} />
              {viewing ? <IssueDetails fileId={fileId} issueKey={viewing} onClose={() => setViewing(undefined)} /> : null}
              {showDiff ? (
                <ProjectDiffView fileId={fileId} projectKey={projectKey} chosen={choice.issues} onAdd={addIssues} pollIntervalMs={pollIntervalMs} />
              ) : (
                <Inline space="space.100">
                  <Button appearance="subtle" onClick={() => setShowDiff(true)}>Show what changed since this backup</Button>
                </Inline>
              )}
              <ChosenIssues issues={choice.issues} verb={choice.mode === 'revert' ? 'revert' : 'restore'} onRemove={(issue) => setChoice({ issues: choice.issues.filter((i) => i.id !== issue.id) })} />
            </Stack>
          ) : null}
          {projectKey && choice.mode === 'project' ? (
            <Stack space="space.100">
              <Field name="target" label="Into">
                <RadioGroup
                  name="target"
                  value={choice.target}
                  options={[
                    { value: 'original', label: `The original project ${projectKey} (only what is missing is written)` },
                    { value: 'new', label: 'A new project, with a key I choose' },
                  ]}
                  onChange={(e) => setChoice({ target: valueOf(e) as RestoreChoice['target'] })}
                />
              </Field>
              {choice.target === 'new' ? (
                <Field name="newProjectKey" label="New project key" error={preview.fields.newProjectKey} helper="2–10 capital letters, digits or underscores, starting with a letter.">
                  <Textfield id="newProjectKey" name="newProjectKey" value={choice.newProjectKey} onChange={(e) => setChoice({ newProjectKey: valueOf(e) })} />
                </Field>
              ) : null}
            </Stack>
          ) : null}
        </Stack>
      ) : null}
      {projectKey ? (
        <Stack space="space.150">
          <Heading size="medium">3. Dry run</Heading>
          <Inline space="space.100" alignBlock="center">
            <Button appearance={preview.plan ? 'default' : 'primary'} isDisabled={!canDryRun} onClick={() => void runDryRun()}>Dry run</Button>
            {!canDryRun && !preview.running ? <Text>Choose at least one issue first.</Text> : null}
          </Inline>
          {preview.running && !preview.planningId ? <Spinner label="Preparing the dry run (nothing is written)" /> : null}
          {preview.planningId ? (
            <DryRunWait key={preview.planningId} planningId={preview.planningId} pollIntervalMs={pollIntervalMs} onResult={(result) => dryRunDone(preview.planningId!, result)} />
          ) : null}
          {preview.error ? (
            <SectionMessage appearance="error" title="The dry run did not work">
              <Text>{preview.error}</Text>
            </SectionMessage>
          ) : null}
          {preview.plan ? (
            <Stack space="space.150">
              <DryRunView preview={preview.plan} />
              <Heading size="medium">4. Restore</Heading>
              <Inline space="space.100">
                <Button appearance="primary" onClick={() => setConfirm({ open: true, starting: false })}>Restore…</Button>
              </Inline>
            </Stack>
          ) : null}
        </Stack>
      ) : null}
      <ConfirmRestoreDialog
        preview={preview.plan}
        open={confirm.open}
        starting={confirm.starting}
        error={confirm.error}
        onCancel={() => setConfirm({ open: false, starting: false })}
        onConfirm={() => void start()}
      />
    </Stack>
  );
}

function valueOf(event: unknown): string {
  return String((event as { target?: { value?: unknown } })?.target?.value ?? '');
}
