import React, { useState } from 'react';
import { Box, Tab, TabList, TabPanel, Tabs } from '@forge/react';
import type { ConfigurationView } from '../core/admin/configuration-service';
import { AuditLogTab } from './audit/AuditLogTab';
import { ControlPanelTab } from './control-panel/ControlPanelTab';
import { PlansTab } from './plans/PlansTab';
import { RestoreTab } from './restore/RestoreTab';
import { StorageTab } from './storage/StorageTab';
import { useResolverData } from './shared/useResolverData';
import { ErrorPanel } from './shared/ErrorPanel';

export interface AppProps {
  /** How often the control panel refreshes while a backup runs (ms); 0 turns it off. */
  pollIntervalMs?: number;
}

// Restore is last so the earlier tabs keep their indexes.
const TABS = ['control-panel', 'plans', 'storage', 'audit', 'restore'] as const;

/** Backup Center's admin page: control panel, plans, storage, audit log, restore. */
export function App({ pollIntervalMs = 5000 }: AppProps) {
  const [selected, setSelected] = useState(0);
  const [newPlanRequested, setNewPlanRequested] = useState(false);
  // Loaded once up front: a non-admin sees the refusal here instead of four broken tabs.
  const config = useResolverData<ConfigurationView>('getConfiguration');
  if (!config.loading && !config.data && config.error?.code === 'forbidden') {
    return <ErrorPanel title="Backup Center is for Jira administrators" message={config.error.message} />;
  }
  const timeZone = config.data?.timeZone ?? 'UTC';
  return (
    <Box testId="backup-center">
      <Tabs
        id="backup-center-tabs"
        selected={selected}
        onChange={(index: number) => {
          setNewPlanRequested(false);
          setSelected(index);
        }}
      >
        <TabList>
          <Tab testId={`tab-${TABS[0]}`}>Control panel</Tab>
          <Tab testId={`tab-${TABS[1]}`}>Plans</Tab>
          <Tab testId={`tab-${TABS[2]}`}>Storage</Tab>
          <Tab testId={`tab-${TABS[3]}`}>Audit log</Tab>
          <Tab testId={`tab-${TABS[4]}`}>Restore</Tab>
        </TabList>
        <TabPanel>
          {selected === 0 ? (
            <ControlPanelTab
              pollIntervalMs={pollIntervalMs}
              onCreatePlan={() => {
                setNewPlanRequested(true);
                setSelected(1);
              }}
            />
          ) : null}
        </TabPanel>
        <TabPanel>{selected === 1 ? <PlansTab startWithNewPlan={newPlanRequested} /> : null}</TabPanel>
        <TabPanel>{selected === 2 ? <StorageTab /> : null}</TabPanel>
        <TabPanel>{selected === 3 ? <AuditLogTab timeZone={timeZone} /> : null}</TabPanel>
        <TabPanel>{selected === 4 ? <RestoreTab pollIntervalMs={pollIntervalMs} /> : null}</TabPanel>
      </Tabs>
    </Box>
  );
}
