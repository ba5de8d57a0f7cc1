/** Time, passed in so that core code never reads the wall clock itself (tests use literal timestamps). */
export interface Clock {
  /** Milliseconds since the Unix epoch, UTC. */
  now(): number;
}
