import type { JobEvent } from '../../ports';

/**
 * The event of one step of a background maintenance run (garbage collection, KVS housekeeping): which run, which step.
 * The run record in KVS holds the step it expects next, so a duplicate or stale delivery is recognised by its `seq`.
 */
export interface RunStepEvent<Kind extends string> extends JobEvent {
  kind: Kind;
  runId: string;
  seq: number;
}

/** The guard (the consumer receives untyped JSON) and the constructor for one kind of run step event. */
export function runStepEvents<Kind extends string>(kind: Kind) {
  return {
    is(event: { kind?: unknown }): event is RunStepEvent<Kind> {
      const e = event as Partial<RunStepEvent<Kind>>;
      return e.kind === kind && typeof e.runId === 'string' && typeof e.seq === 'number';
    },
    of(run: { runId: string; seq: number }): RunStepEvent<Kind> {
      return { kind, runId: run.runId, seq: run.seq };
    },
  };
}
