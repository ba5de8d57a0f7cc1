import React from 'react';
import { Box, Button, Checkbox, Heading, Inline, RadioGroup, Select, Stack, Text, Textfield, Toggle } from '@forge/react';
import { describeRetentionPolicy } from '../../core/retention/describe-policy';
import type { BackupContent, DataTypeSelection, Weekday } from '../../core/plans/plan';
import { Field } from '../shared/Field';
import type { FieldErrors } from '../shared/resolver-client';
import { retentionOfDraft, type PlanDraft } from './plan-draft';

interface PlanFormProps {
  draft: PlanDraft;
  errors: FieldErrors;
  timeZone: string;
  saving: boolean;
  /** The site's projects for the picker; undefined while loading or when they could not be listed (keys are typed then). */
  siteProjects?: { key: string; name: string }[];
  projectsProblem?: string;
  onChange: (draft: PlanDraft) => void;
  onSave: () => void;
  onCancel: () => void;
}

const WEEKDAY_OPTIONS: { value: Weekday; label: string }[] = [
  { value: 'mon', label: 'Monday' }, { value: 'tue', label: 'Tuesday' }, { value: 'wed', label: 'Wednesday' },
  { value: 'thu', label: 'Thursday' }, { value: 'fri', label: 'Friday' }, { value: 'sat', label: 'Saturday' }, { value: 'sun', label: 'Sunday' },
];
const DATA_TYPE_OPTIONS: { key: keyof DataTypeSelection; label: string }[] = [
  { key: 'issues', label: 'Issues (all fields)' }, { key: 'comments', label: 'Comments' }, { key: 'worklogs', label: 'Work logs' },
  { key: 'history', label: 'History' }, { key: 'links', label: 'Issue links' }, { key: 'watchersAndVotes', label: 'Watchers and votes' },
  { key: 'properties', label: 'Entity properties' }, { key: 'boardsAndSprints', label: 'Boards and sprints' },
  { key: 'filtersAndDashboards', label: 'Filters and dashboards' }, { key: 'usersAndGroups', label: 'Users and groups' },
];
const GFS_FIELDS: { key: keyof PlanDraft['gfs']; label: string }[] = [
  { key: 'last', label: 'Latest backups' }, { key: 'daily', label: 'Daily backups' }, { key: 'weekly', label: 'Weekly backups' },
  { key: 'monthly', label: 'Monthly backups' }, { key: 'yearly', label: 'Yearly backups' },
];

/** A value from a UI Kit input event (the host sends a serialisable event with `target`). */
function valueOf(event: unknown): string {
  return String((event as { target?: { value?: unknown } })?.target?.value ?? '');
}
/** The first message for a field or any field under it (`dataTypes` covers `dataTypes.comments`, …). */
function firstError(errors: FieldErrors, prefix: string): string | undefined {
  const key = Object.keys(errors).find((field) => field === prefix || field.startsWith(`${prefix}.`));
  return key ? errors[key] : undefined;
}
function checkedOf(event: unknown): boolean {
  return !!(event as { target?: { checked?: unknown } })?.target?.checked;
}

/** Creating or editing one backup plan. Validation happens in the resolver; its messages appear under each field. */
export function PlanForm({ draft, errors, timeZone, saving, siteProjects, projectsProblem, onChange, onSave, onCancel }: PlanFormProps) {
  const set = (patch: Partial<PlanDraft>) => onChange({ ...draft, ...patch });
  const retention = retentionOfDraft(draft);
  const selectedKeys = draft.projectKeys.split(/[\s,;]+/).filter((key) => key !== '');
  return (
    <Box testId="plan-form">
      <Stack space="space.200">
        <Heading size="small">{draft.id ? `Edit plan "${draft.name}"` : 'New backup plan'}</Heading>
        <Field name="name" label="Name" error={errors.name}>
          <Textfield id="name" name="name" value={draft.name} placeholder="e.g. Nightly backup" onChange={(e) => set({ name: valueOf(e) })} />
        </Field>
        <Field name="enabled" label="Run on schedule" error={errors.enabled} helper="When off, the plan only runs with “Back up now”.">
          <Toggle id="enabled" name="enabled" isChecked={draft.enabled} onChange={(e) => set({ enabled: checkedOf(e) })} />
        </Field>

        <Field name="projects.mode" label="Projects" error={errors['projects.mode'] ?? errors.projects}>
          <RadioGroup
            name="projects.mode"
            value={draft.projectsMode}
            options={[
              { value: 'all', label: 'All projects' },
              { value: 'selected', label: 'Selected projects' },
              { value: 'rule', label: 'Projects matching a rule' },
            ]}
            onChange={(e) => set({ projectsMode: valueOf(e) as PlanDraft['projectsMode'] })}
          />
        </Field>
        {draft.projectsMode === 'selected' && siteProjects && siteProjects.length > 0 ? (
          <Field name="projects.keys" label="Projects to back up" error={errors['projects.keys']}>
            <Select
              inputId="projects.keys"
              name="projects.keys"
              isMulti
              options={siteProjects.map((p) => ({ value: p.key, label: `${p.name} (${p.key})` }))}
              value={siteProjects.filter((p) => selectedKeys.includes(p.key)).map((p) => ({ value: p.key, label: `${p.name} (${p.key})` }))}
              onChange={(options: { value: string }[] | null) => set({ projectKeys: (options ?? []).map((o) => o.value).join(', ') })}
            />
          </Field>
        ) : null}
        {draft.projectsMode === 'selected' && !(siteProjects && siteProjects.length > 0) ? (
          <Field name="projects.keys" label="Project keys" error={errors['projects.keys']}
            helper={`Separate keys with commas, e.g. ENG, OPS.${projectsProblem ? ` (${projectsProblem})` : ''}`}>
            <Textfield id="projects.keys" name="projects.keys" value={draft.projectKeys} onChange={(e) => set({ projectKeys: valueOf(e) })} />
          </Field>
        ) : null}
        {draft.projectsMode === 'rule' ? (
          <Field name="projects.keyPattern" label="Project key pattern" error={errors['projects.keyPattern']} helper="* matches any characters, e.g. ENG* backs up ENG, ENGWEB, …">
            <Textfield id="projects.keyPattern" name="projects.keyPattern" value={draft.keyPattern} onChange={(e) => set({ keyPattern: valueOf(e) })} />
          </Field>
        ) : null}

        <Field name="content" label="Backup type" error={errors.content}>
          <RadioGroup
            name="content"
            value={draft.content}
            options={[
              { value: 'basic', label: 'Basic — all project and issue data, without attachment files' },
              { value: 'extended', label: 'Extended — everything, including attachment files' },
              { value: 'combined', label: 'Combined — Basic on most days, Extended once a week' },
            ]}
            onChange={(e) => set({ content: valueOf(e) as BackupContent })}
          />
        </Field>
        {draft.content === 'combined' ? (
          <Field name="extendedWeekday" label="Extended backup on" error={errors.extendedWeekday}>
            <Select
              inputId="extendedWeekday"
              name="extendedWeekday"
              options={WEEKDAY_OPTIONS}
              value={WEEKDAY_OPTIONS.find((o) => o.value === draft.extendedWeekday)}
              onChange={(option: { value: Weekday } | null) => option && set({ extendedWeekday: option.value })}
            />
          </Field>
        ) : null}

        <Field name="dataTypes" label="What to include" error={firstError(errors, 'dataTypes')}>
          <Stack space="space.050">
            {DATA_TYPE_OPTIONS.map(({ key, label }) => (
              <Checkbox
                key={key}
                name={`dataTypes.${key}`}
                label={label}
                isChecked={draft.dataTypes[key]}
                onChange={(e) => set({ dataTypes: { ...draft.dataTypes, [key]: checkedOf(e) } })}
              />
            ))}
          </Stack>
        </Field>

        <Field name="schedule.days" label="Days" error={errors['schedule.days'] ?? errors.schedule}>
          <Stack space="space.050">
            <RadioGroup
              name="schedule.days"
              value={draft.daysMode}
              options={[{ value: 'daily', label: 'Every day' }, { value: 'weekdays', label: 'On chosen weekdays' }]}
              onChange={(e) => set({ daysMode: valueOf(e) as PlanDraft['daysMode'] })}
            />
            {draft.daysMode === 'weekdays' ? (
              <Inline space="space.100" shouldWrap>
                {WEEKDAY_OPTIONS.map(({ value, label }) => (
                  <Checkbox
                    key={value}
                    name={`weekday.${value}`}
                    label={label}
                    isChecked={draft.weekdays.includes(value)}
                    onChange={(e) =>
                      set({ weekdays: checkedOf(e) ? [...draft.weekdays.filter((d) => d !== value), value] : draft.weekdays.filter((d) => d !== value) })
                    }
                  />
                ))}
              </Inline>
            ) : null}
          </Stack>
        </Field>
        <Field name="schedule.time" label={`Time of day (24-hour, ${timeZone})`} error={errors['schedule.time']}
          helper={`Times are in the Jira site's time zone, ${timeZone}; daylight-saving changes are taken into account.`}>
          <Textfield id="schedule.time" name="schedule.time" value={draft.time} placeholder="02:30" onChange={(e) => set({ time: valueOf(e) })} />
        </Field>

        <Field name="fullEveryDays" label="Full re-read every N days" error={errors.fullEveryDays}
          helper="Incremental backups read only issues Jira marks as updated; watchers and votes are refreshed by a full re-read.">
          <Textfield id="fullEveryDays" name="fullEveryDays" value={draft.fullEveryDays} width={80} onChange={(e) => set({ fullEveryDays: valueOf(e) })} />
        </Field>

        <Field name="retention.mode" label="Rotation" error={errors['retention.mode'] ?? errors.retention}>
          <RadioGroup
            name="retention.mode"
            value={draft.retentionMode}
            options={[
              { value: 'count', label: 'Keep the latest N backups' },
              { value: 'gfs', label: 'Grandfather-father-son (keep daily, weekly, monthly, yearly backups)' },
              { value: 'forever', label: 'Keep every backup forever' },
            ]}
            onChange={(e) => set({ retentionMode: valueOf(e) as PlanDraft['retentionMode'] })}
          />
        </Field>
        {draft.retentionMode === 'count' ? (
          <Field name="retention.keep" label="Backups to keep" error={errors['retention.keep']}>
            <Textfield id="retention.keep" name="retention.keep" value={draft.keep} onChange={(e) => set({ keep: valueOf(e) })} />
          </Field>
        ) : null}
        {draft.retentionMode === 'gfs' ? (
          <Inline space="space.150" shouldWrap>
            {GFS_FIELDS.map(({ key, label }) => (
              <Field key={key} name={`retention.${key}`} label={label} error={errors[`retention.${key}`]} helper="-1 keeps all">
                <Textfield
                  id={`retention.${key}`}
                  name={`retention.${key}`}
                  value={draft.gfs[key]}
                  width={80}
                  onChange={(e) => set({ gfs: { ...draft.gfs, [key]: valueOf(e) } })}
                />
              </Field>
            ))}
          </Inline>
        ) : null}

        {retention ? <Text>{describeRetentionPolicy(retention)}</Text> : null}

        <Inline space="space.100">
          <Button appearance="primary" isDisabled={saving} onClick={onSave}>Save plan</Button>
          <Button appearance="subtle" onClick={onCancel}>Cancel</Button>
        </Inline>
      </Stack>
    </Box>
  );
}
