/** Every request the simulator answered, with the points it cost, so tests and benchmarks can count exactly. */

export interface RequestLogEntry {
  seq: number;
  /** Simulator clock at arrival (ms). */
  at: number;
  method: string;
  path: string;
  query: string;
  /** The matched spec template, e.g. `/rest/api/3/issue/{issueIdOrKey}`; undefined for 404 routes. */
  route?: string;
  accountId: string;
  status: number;
  /** Points charged against the hourly quota (0 for rejected requests). */
  points: number;
  /** Objects returned (issues, comments, users…). */
  objects: number;
  /** Set when the request was refused with 429. */
  rateLimitReason?: string;
  /** Set when a configured fault hit this request. */
  fault?: string;
  durationMs: number;
}

export type LogFilter = (entry: RequestLogEntry) => boolean;

export class RequestLog {
  readonly entries: RequestLogEntry[] = [];

  add(entry: RequestLogEntry): void {
    this.entries.push(entry);
  }

  clear(): void {
    this.entries.length = 0;
  }

  count(filter: LogFilter = () => true): number {
    return this.entries.filter(filter).length;
  }

  totalPoints(filter: LogFilter = () => true): number {
    return this.entries.filter(filter).reduce((sum, e) => sum + e.points, 0);
  }

  /** Requests per route template (e.g. how many `/issue/bulkfetch` calls a backup made). */
  byRoute(): Record<string, { requests: number; points: number }> {
    const out: Record<string, { requests: number; points: number }> = {};
    for (const e of this.entries) {
      const key = `${e.method} ${e.route ?? e.path}`;
      const slot = (out[key] ??= { requests: 0, points: 0 });
      slot.requests++;
      slot.points += e.points;
    }
    return out;
  }
}
