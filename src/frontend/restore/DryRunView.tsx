import React from 'react';
import { Box, DynamicTable, Heading, Lozenge, List, ListItem, SectionMessage, Stack, Text } from '@forge/react';
import type { RestorePreview } from './restore-types';
import { plural } from './restore-text';

const ACTION = {
  create: { label: 'Create', appearance: 'new' },
  update: { label: 'Add missing content', appearance: 'inprogress' },
  revert: { label: 'Revert fields', appearance: 'moved' },
} as const;

/** A long list of reasons would bury the rest of the dry run; the report lists all of them. */
const SHOWN_REASONS = 100;

/** The dry run: counts, then exactly what will be created or changed per issue, what cannot be set, and why. */
export function DryRunView({ preview }: { preview: RestorePreview }) {
  const t = preview.totals;
  const into = preview.target.createProject
    ? `into a new project ${preview.target.createProject.key} ("${preview.target.createProject.name}"), created first`
    : `into project ${preview.target.projectKey}`;
  const counts = [
    t.issuesToCreate ? plural(t.issuesToCreate, 'issue') + ' created' : '',
    t.issuesToUpdate ? plural(t.issuesToUpdate, 'existing issue') + ' completed' : '',
    t.issuesToRevert ? plural(t.issuesToRevert, 'issue') + ' reverted' : '',
    t.comments ? plural(t.comments, 'comment') : '',
    t.worklogs ? plural(t.worklogs, 'worklog') : '',
    t.attachments ? plural(t.attachments, 'attachment') : '',
    t.links ? plural(t.links, 'link') : '',
    t.remoteLinks ? plural(t.remoteLinks, 'remote link') : '',
    t.watchers ? plural(t.watchers, 'watcher') : '',
    t.properties ? plural(t.properties, 'property', 'properties') : '',
  ].filter(Boolean);
  const blocked = preview.issues.filter((issue) => issue.blockedReason);
  const notSet = preview.issues.flatMap((issue) => issue.fieldsNotSet.map((f) => `${issue.sourceKey} ${f.name}: ${f.reason}`));
  const skipped = preview.issues.flatMap((issue) => issue.skipped.map((s) => `${issue.sourceKey} ${s.what}: ${s.reason}`));
  return (
    <Box testId="restore-dry-run">
      <Stack space="space.200">
        <Heading size="medium">Dry run</Heading>
        <Text>{`Nothing has been written yet. Restoring ${into} will write: ${counts.length > 0 ? counts.join(', ') : 'nothing (everything is already there)'}.`}</Text>
        {preview.componentsToCreate.length + preview.versionsToCreate.length > 0 ? (
          <Text>{`Also created first: ${[...preview.componentsToCreate.map((c) => `component ${c}`), ...preview.versionsToCreate.map((v) => `version ${v}`)].join(', ')}.`}</Text>
        ) : null}
        {preview.warnings.map((warning) => (
          <SectionMessage key={warning} appearance="warning" title="Check before restoring">
            <Text>{warning}</Text>
          </SectionMessage>
        ))}
        {blocked.length > 0 ? (
          <SectionMessage appearance="error" title={`${plural(blocked.length, 'issue')} cannot be restored`}>
            <List type="unordered">
              {blocked.map((issue) => <ListItem key={issue.sourceKey}>{`${issue.sourceKey}: ${issue.blockedReason}`}</ListItem>)}
            </List>
          </SectionMessage>
        ) : null}
        <DynamicTable
          caption="What the restore will do"
          rowsPerPage={20}
          head={{
            cells: [
              { key: 'key', content: 'Issue' }, { key: 'summary', content: 'Summary' }, { key: 'action', content: 'Action' },
              { key: 'fields', content: 'Fields' }, { key: 'content', content: 'Content' },
            ],
          }}
          rows={preview.issues.map((issue) => ({
            key: issue.sourceKey,
            cells: [
              { key: 'key', content: issue.existingKey && issue.existingKey !== issue.sourceKey ? `${issue.sourceKey} → ${issue.existingKey}` : issue.sourceKey },
              { key: 'summary', content: issue.summary },
              { key: 'action', content: <Lozenge appearance={issue.blockedReason ? 'removed' : ACTION[issue.action].appearance}>{issue.blockedReason ? 'Cannot restore' : ACTION[issue.action].label}</Lozenge> },
              { key: 'fields', content: `${issue.fieldsSet} set${issue.fieldsNotSet.length > 0 ? `, ${issue.fieldsNotSet.length} not` : ''}${issue.targetStatus ? `; status → ${issue.targetStatus}` : ''}` },
              { key: 'content', content: `${issue.comments} comments, ${issue.worklogs} worklogs, ${issue.attachments} attachments, ${issue.links} links` },
            ],
          }))}
        />
        {notSet.length + skipped.length > 0 ? (
          <SectionMessage appearance="warning" title="Not restored, and why">
            <List type="unordered">
              {[...notSet, ...skipped].slice(0, SHOWN_REASONS).map((line) => <ListItem key={line}>{line}</ListItem>)}
            </List>
            {notSet.length + skipped.length > SHOWN_REASONS ? <Text>{`… and ${notSet.length + skipped.length - SHOWN_REASONS} more; the report after the restore lists every one.`}</Text> : null}
          </SectionMessage>
        ) : null}
        <SectionMessage appearance="information" title="What Jira does not let an app set">
          <List type="unordered">
            {preview.notSettable.map((line) => <ListItem key={line}>{line}</ListItem>)}
          </List>
        </SectionMessage>
      </Stack>
    </Box>
  );
}
