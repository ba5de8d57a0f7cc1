import { randomUUID } from 'node:crypto';
import {
  AuditLog, ConfigurationService, ConfigurationStore, ControlPanelService,
  type BackupFiles, type BackupJobs, type ConnectionTester, type NextRun, type SiteProjects, type SiteTimeZone, type StorageGauge,
} from '../../core/admin';
import { nextRunAt } from '../../core/schedule/slots';
import type { Clock, JiraClient, KeyValue, Secrets } from '../../ports';
import type { AdminApp } from './admin-app';

/**
 * Everything the admin page's services need, as ports. The Forge composition root (or a test, or the local CLI)
 * supplies them; `adminAppFrom` builds the services for one call.
 */
export interface AdminPorts {
  kv: KeyValue;
  secrets: Secrets;
  clock: Clock;
  /** Jira as the calling user, for the administrator check. */
  jiraAsUser: (accountId: string | undefined) => JiraClient;
  siteTimeZone: SiteTimeZone;
  siteProjects: SiteProjects;
  jobs: BackupJobs;
  files: BackupFiles;
  gauge: StorageGauge;
  tester: ConnectionTester;
  /** Defaults to src/core/schedule's nextRun. */
  nextRun?: NextRun;
  newId?: () => string;
}

export function adminAppFrom(ports: AdminPorts, accountId: string | undefined): AdminApp {
  const store = new ConfigurationStore(ports.kv, ports.secrets);
  const audit = new AuditLog(ports.kv, ports.clock, () => randomUUID().slice(0, 8));
  const newId = ports.newId ?? (() => randomUUID());
  const nextRun: NextRun = ports.nextRun ?? nextRunAt;
  return {
    config: new ConfigurationService({ store, secrets: ports.secrets, audit, tester: ports.tester, siteTimeZone: ports.siteTimeZone, siteProjects: ports.siteProjects, newId }),
    panel: new ControlPanelService({
      store, jobs: ports.jobs, files: ports.files, gauge: ports.gauge, nextRun, siteTimeZone: ports.siteTimeZone, audit, clock: ports.clock,
    }),
    audit,
    jiraAsUser: ports.jiraAsUser(accountId),
  };
}
