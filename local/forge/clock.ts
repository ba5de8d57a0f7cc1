/**
 * The platform's notion of "now": drives scheduled triggers, event delays, retry backoff, KVS TTLs and
 * presigned-URL expiry. Manual by default (tests move it with `platform.clock.advance`); in 'system' mode
 * it follows the wall clock (plus whatever was advanced), for `npm start`.
 *
 * Invocation timeouts and Forge Invocation Token lifetimes use real time, never this clock: JavaScript
 * runs in real time, and the relay checks token expiry against its own wall clock.
 */
export type ClockMode = 'manual' | 'system';

export class PlatformTime {
  private offsetMs = 0;
  private readonly realStart = Date.now();

  constructor(
    readonly mode: ClockMode,
    private readonly startAt: number,
  ) {}

  now(): number {
    const base = this.mode === 'system' ? Date.now() : this.startAt;
    return base + this.offsetMs;
  }

  /** Moves the time forward only: events already scheduled must never be un-delayed by a jump back. */
  moveTo(epochMs: number): void {
    const current = this.now();
    if (epochMs > current) this.offsetMs += epochMs - current;
  }

  /** Moves the time anywhere (clock.set may go back; used only when the caller asks for it explicitly). */
  jumpTo(epochMs: number): void {
    this.offsetMs += epochMs - this.now();
  }

  get startedAt(): number {
    return this.mode === 'system' ? this.realStart : this.startAt;
  }
}
