/** The async-events consumer: runs one resumable step of a backup or restore job. */
export async function worker(): Promise<void> {}
