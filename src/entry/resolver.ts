import { adminAppFrom, type AdminPorts } from './resolvers/admin-ports';
import { createAdminResolver } from './resolvers/create-resolver';
import { forgeAdminPorts } from './resolvers/forge-admin-ports';

/**
 * Where the admin page's resolvers get their ports (Forge KVS and secrets, the engine, the store, the relay tester).
 * On Forge they are the real ones (forgeAdminPorts); the emulator, tests and the local CLI may install their own,
 * and `provideAdminPorts(undefined)` puts the Forge ones back.
 */
export type AdminPortsProvider = () => AdminPorts | Promise<AdminPorts>;

let provider: AdminPortsProvider = forgeAdminPorts;

export function provideAdminPorts(next: AdminPortsProvider | undefined): void {
  provider = next ?? forgeAdminPorts;
}

/** Answers the admin page's `invoke` calls; every key checks that the caller is a Jira administrator first. */
export const resolver = createAdminResolver(async ({ accountId }) => adminAppFrom(await provider(), accountId));
