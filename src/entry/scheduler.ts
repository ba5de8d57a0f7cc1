/** Fired every five minutes by Forge: starts due plans and carries long backups forward. */
export async function scheduler(): Promise<void> {}
