import React from 'react';
import { Box, Button, Heading, Inline, List, ListItem, Lozenge, ProgressBar, SectionMessage, Stack, Text } from '@forge/react';
import type { PlanPanel } from '../../core/admin/view-model';
import { CONTENT_LABEL, KIND_LABEL, RUN_STATE } from './labels';

interface PlanStatusProps {
  plan: PlanPanel;
  timeZone: string;
  starting: boolean;
  onBackUpNow: (planId: string) => void;
}

/** One plan on the control panel: its latest run (with live progress while it runs), errors per project, next run, "Back up now". */
export function PlanStatus({ plan, timeZone, starting, onBackUpNow }: PlanStatusProps) {
  const run = plan.latest;
  const active = run?.state === 'queued' || run?.state === 'running';
  return (
    <Box testId={`plan-${plan.planId}`}>
      <Stack space="space.100">
        <Inline space="space.100" alignBlock="center">
          <Heading size="small">{plan.planName}</Heading>
          <Lozenge>{CONTENT_LABEL[plan.content]}</Lozenge>
          {run ? <Lozenge appearance={RUN_STATE[run.state].appearance}>{RUN_STATE[run.state].label}</Lozenge> : <Lozenge>Never ran</Lozenge>}
        </Inline>
        {run ? (
          <Text>
            {`Latest backup${run.kind ? ` (${KIND_LABEL[run.kind]})` : ''}: started ${run.startedText}${run.finishedText ? `, finished ${run.finishedText}` : ''}`}
          </Text>
        ) : (
          <Text>This plan has not run yet.</Text>
        )}
        {run?.modeText ? <Text>{run.modeText}</Text> : null}
        {run && active ? (
          <Stack space="space.050">
            <ProgressBar
              ariaLabel={`Backup progress of ${plan.planName}`}
              value={run.progress.fraction ?? 0}
              isIndeterminate={run.progress.fraction === undefined}
            />
            <Text>{`${run.progress.text} done`}</Text>
          </Stack>
        ) : run ? (
          <Text>{run.progress.text}</Text>
        ) : null}
        {run?.message ? (
          <SectionMessage appearance="error" title="The backup stopped">
            <Text>{run.message}</Text>
          </SectionMessage>
        ) : null}
        {run && run.projectErrors.length > 0 ? (
          <SectionMessage appearance="warning" title={`Errors in ${failedCount(run)} project${failedCount(run) === 1 ? '' : 's'}`}>
            <List type="unordered">
              {run.projectErrors.map((e) => (
                <ListItem key={e.project}>{`${e.project}: ${e.message}`}</ListItem>
              ))}
              {failedCount(run) > run.projectErrors.length ? (
                <ListItem key="…">{`…and ${failedCount(run) - run.projectErrors.length} more projects`}</ListItem>
              ) : null}
            </List>
          </SectionMessage>
        ) : null}
        <Text>{`Schedule: ${plan.scheduleText}. Next scheduled run: ${plan.nextRunText ? `${plan.nextRunText} (${timeZone})` : 'none'}`}</Text>
        <Inline space="space.100" alignBlock="center">
          <Button appearance="primary" isDisabled={!plan.canBackUpNow || starting} onClick={() => onBackUpNow(plan.planId)}>
            Back up now
          </Button>
          {plan.backUpNowBlockedReason ? <Text>{plan.backUpNowBlockedReason}</Text> : null}
        </Inline>
      </Stack>
    </Box>
  );
}

/** Failed projects in all: the run lists only the first few of a site with thousands. */
function failedCount(run: NonNullable<PlanPanel['latest']>): number {
  return Math.max(run.projectErrorCount ?? 0, run.projectErrors.length);
}
