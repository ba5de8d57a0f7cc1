import { AdminError } from '../core/admin';
import { adminAppFrom, type AdminPorts } from './resolvers/admin-ports';
import { createAdminResolver } from './resolvers/create-resolver';

/**
 * Where the admin page's resolvers get their ports (Forge KVS and secrets, the engine, the store, the relay tester).
 * The Forge composition root installs the provider once at load time, as for the scheduler (provideSchedulerDeps);
 * the emulator, tests and the local CLI install their own.
 */
export type AdminPortsProvider = () => AdminPorts | Promise<AdminPorts>;

let provider: AdminPortsProvider | undefined;

export function provideAdminPorts(next: AdminPortsProvider | undefined): void {
  provider = next;
}

/** Answers the admin page's `invoke` calls; every key checks that the caller is a Jira administrator first. */
export const resolver = createAdminResolver(async ({ accountId }) => {
  if (!provider) {
    throw new AdminError('unavailable', 'Backup Center is not fully installed: its services are not wired (provideAdminPorts). Contact the app vendor.');
  }
  return adminAppFrom(await provider(), accountId);
});
