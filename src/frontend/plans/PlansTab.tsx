import React, { useState } from 'react';
import {
  Button, DynamicTable, EmptyState, Heading, Inline, Lozenge, Modal, ModalBody, ModalFooter, ModalHeader, ModalTitle, ModalTransition,
  SectionMessage, Spinner, Stack, Text,
} from '@forge/react';
import type { ConfigurationView } from '../../core/admin/configuration-service';
import type { BackupPlan } from '../../core/plans/plan';
import { ErrorPanel } from '../shared/ErrorPanel';
import { callResolver, fieldErrorMap, type FieldErrors } from '../shared/resolver-client';
import { useResolverData } from '../shared/useResolverData';
import { CONTENT_LABEL } from '../control-panel/labels';
import { draftFromPlan, newPlanDraft, planInputFromDraft, type PlanDraft } from './plan-draft';
import { PlanForm } from './PlanForm';
import { projectsText, retentionText, scheduleText } from './plan-summary';

/** The backup plans: a table of them, and the form to create or edit one. */
export function PlansTab({ startWithNewPlan }: { startWithNewPlan: boolean }) {
  const config = useResolverData<ConfigurationView>('getConfiguration');
  const projects = useResolverData<{ key: string; name: string }[]>('listProjects');
  const [draft, setDraft] = useState<PlanDraft | undefined>(startWithNewPlan ? newPlanDraft() : undefined);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | undefined>();
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState<string | undefined>();
  const [toDelete, setToDelete] = useState<BackupPlan | undefined>();

  if (config.loading) return <Spinner label="Loading plans" />;
  if (!config.data) return <ErrorPanel title="Plans could not load" message={config.error?.message ?? 'Unknown error.'} onRetry={() => void config.reload()} />;
  const { plans, timeZone } = config.data;

  const edit = (next: PlanDraft | undefined) => {
    setDraft(next);
    setErrors({});
    setFormError(undefined);
    setSaved(undefined);
  };
  const save = async () => {
    if (!draft) return;
    setSaving(true);
    const result = await callResolver<BackupPlan>('savePlan', { plan: planInputFromDraft(draft) });
    setSaving(false);
    if (!result.ok) {
      setErrors(fieldErrorMap(result.error.fields));
      setFormError(result.error.message);
      return;
    }
    edit(undefined);
    setSaved(`Plan "${result.data.name}" saved.`);
    await config.reload();
  };
  const remove = async (plan: BackupPlan) => {
    const result = await callResolver('deletePlan', { planId: plan.id });
    setToDelete(undefined);
    if (!result.ok) setFormError(result.error.message);
    else setSaved(`Plan "${plan.name}" deleted. Its backups stay in storage.`);
    await config.reload();
  };

  const rows = plans.map((plan) => ({
    key: plan.id,
    cells: [
      { key: 'name', content: plan.name },
      { key: 'projects', content: projectsText(plan) },
      { key: 'content', content: <Lozenge>{CONTENT_LABEL[plan.content]}</Lozenge> },
      { key: 'schedule', content: plan.enabled ? `${scheduleText(plan.schedule)} (${timeZone})` : 'Off (manual only)' },
      { key: 'rotation', content: retentionText(plan) },
      {
        key: 'actions',
        content: (
          <Inline space="space.050">
            <Button spacing="compact" onClick={() => edit(draftFromPlan(plan))}>Edit</Button>
            <Button spacing="compact" appearance="subtle" onClick={() => setToDelete(plan)}>Delete</Button>
          </Inline>
        ),
      },
    ],
  }));

  return (
    <Stack space="space.200">
      <Inline spread="space-between" alignBlock="center">
        <Heading size="medium">Backup plans</Heading>
        {!draft ? <Button appearance="primary" onClick={() => edit(newPlanDraft())}>New plan</Button> : null}
      </Inline>
      {saved ? <SectionMessage appearance="success"><Text>{saved}</Text></SectionMessage> : null}
      {formError ? (
        <SectionMessage appearance="error" title="Not saved">
          <Text>{formError}</Text>
        </SectionMessage>
      ) : null}
      {draft ? (
        <PlanForm
          draft={draft}
          errors={errors}
          timeZone={timeZone}
          saving={saving}
          siteProjects={projects.data}
          projectsProblem={projects.error?.message}
          onChange={setDraft}
          onSave={() => void save()}
          onCancel={() => edit(undefined)}
        />
      ) : plans.length === 0 ? (
        <Stack space="space.100" alignInline="center">
          <EmptyState header="No backup plans yet" description="A plan says which projects to back up, what to include, when to run and how many backups to keep." />
          <Button appearance="primary" onClick={() => edit(newPlanDraft())}>Create a plan</Button>
        </Stack>
      ) : (
        <DynamicTable
          caption="Backup plans"
          head={{ cells: ['Name', 'Projects', 'Type', 'Schedule', 'Rotation', 'Actions'].map((label) => ({ key: label.toLowerCase(), content: label })) }}
          rows={rows}
        />
      )}
      <ModalTransition>
        {toDelete ? (
          <Modal onClose={() => setToDelete(undefined)} testId="delete-plan-dialog">
            <ModalHeader>
              <ModalTitle appearance="warning">{`Delete plan "${toDelete.name}"?`}</ModalTitle>
            </ModalHeader>
            <ModalBody>
              <Text>The plan stops running. Backups it already made stay in storage and can still be restored or deleted.</Text>
            </ModalBody>
            <ModalFooter>
              <Button appearance="subtle" onClick={() => setToDelete(undefined)}>Cancel</Button>
              <Button appearance="warning" onClick={() => void remove(toDelete)}>Delete plan</Button>
            </ModalFooter>
          </Modal>
        ) : null}
      </ModalTransition>
    </Stack>
  );
}
