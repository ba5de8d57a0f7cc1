import type { JiraClient } from '../../ports';
import { AdminError } from './errors';

interface MyPermissionsBody {
  permissions?: Record<string, { havePermission?: boolean } | undefined>;
}

/**
 * Lets the call through only when the CALLING user (not the app) holds Jira's global "Administer Jira" permission.
 * `jiraAsUser` must send requests as that user (Forge: api.asUser().requestJira), otherwise the answer would be the
 * app's own permissions and everyone would pass. Any doubt (no user, Jira unreachable, odd answer) refuses.
 */
export async function requireJiraAdmin(jiraAsUser: JiraClient, accountId: string | undefined): Promise<void> {
  if (!accountId) {
    throw new AdminError('forbidden', 'Backup Center needs a signed-in Jira administrator; this call came without a user.');
  }
  let response;
  try {
    response = await jiraAsUser.request({
      method: 'GET',
      path: '/rest/api/3/mypermissions',
      query: { permissions: 'ADMINISTER' },
    });
  } catch (error) {
    throw new AdminError('unavailable', `Could not check your Jira permissions (${(error as Error).message}). Try again in a moment.`);
  }
  if (response.status === 401 || response.status === 403) throw notAdmin();
  if (response.status !== 200) {
    throw new AdminError('unavailable', `Could not check your Jira permissions: Jira answered HTTP ${response.status}. Try again in a moment.`);
  }
  const body = await response.json<MyPermissionsBody>();
  if (body?.permissions?.ADMINISTER?.havePermission !== true) throw notAdmin();
}

function notAdmin(): AdminError {
  return new AdminError(
    'forbidden',
    'Only Jira administrators can use Backup Center. Ask a Jira administrator to grant you the "Administer Jira" global permission.',
  );
}
