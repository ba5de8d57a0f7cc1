import type { AuditLog, ConfigurationService, ControlPanelService } from '../../core/admin';
import type { JiraClient } from '../../ports';

/** The services one resolver call works with, built for the calling user. */
export interface AdminApp {
  config: ConfigurationService;
  panel: ControlPanelService;
  audit: AuditLog;
  /** Jira AS THE CALLING USER (Forge: api.asUser()), used for the administrator check. */
  jiraAsUser: JiraClient;
}

/** Who is calling, from the Forge invocation (the resolver's `context.accountId`). */
export interface Invocation {
  accountId: string | undefined;
}

export type AdminAppFactory = (invocation: Invocation) => AdminApp | Promise<AdminApp>;

/** A resolver's body: runs only after the caller was confirmed to be a Jira administrator. */
export type AdminHandler = (app: AdminApp, payload: Record<string, unknown>, actor: string) => Promise<unknown>;
