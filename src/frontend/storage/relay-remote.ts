import { permissions } from '@forge/bridge';

/** The manifest's customer-configurable remote for the delivery relay (manifest.yml `remotes`). */
export const RELAY_REMOTE_KEY = 'delivery-relay';

/**
 * Points the app's relay remote at the URL the admin typed, so the backend's invokeRemote reaches THEIR relay.
 * Forge only lets an admin do this from the page (customer-managed remotes), so it happens here, before
 * "Test connection" and "Save". Returns a message when it could not be done, undefined when the remote is set.
 */
export async function approveRelayUrl(url: string): Promise<string | undefined> {
  const endpoint = url.trim().replace(/\/+$/, '');
  try {
    const current = await permissions.remote.get({ keys: [RELAY_REMOTE_KEY] });
    if (current?.results?.some((r) => r.key === RELAY_REMOTE_KEY && r.configured.endpoint === endpoint)) return undefined;
    await permissions.remote.set({ remotes: [{ key: RELAY_REMOTE_KEY, configured: { endpoint } }] });
    return undefined;
  } catch (error) {
    return `Jira did not let the app use the relay at ${endpoint} (${(error as Error)?.message ?? String(error)}). Approve the relay address when Jira asks, then try again.`;
  }
}
