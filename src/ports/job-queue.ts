/**
 * Background work, delivered at least once and in no particular order (Forge async events).
 * Callers keep each event under 100 KB and each push under 50 events / 200 KB.
 */
export interface JobQueue {
  push(events: JobEvent[], options?: { delaySeconds?: number }): Promise<void>;
}

/** One unit of background work. `kind` names the handler; the rest is that handler's small, JSON-safe payload. */
export interface JobEvent {
  kind: string;
  [field: string]: unknown;
}
