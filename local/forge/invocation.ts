import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { InvocationTimeoutError } from './errors';

/** What kind of platform event started an invocation (decides the time limit and the retry policy). */
export type InvocationKind = 'resolver' | 'consumer' | 'scheduledTrigger';

/**
 * A chain of invocations linked by async events: a resolver or trigger starts one, and every consumer run
 * for an event pushed inside the chain continues it. Forge caps each chain at 1,000 pushes.
 */
export interface InvocationChain {
  id: string;
  pushes: number;
}

/** What a caller says about the invocation it starts. */
export interface InvocationSpec {
  kind: InvocationKind;
  functionKey: string;
  moduleKey: string;
  moduleType: string;
  accountId?: string;
  chain: InvocationChain;
  timeoutMs: number;
}

export interface Invocation extends InvocationSpec {
  id: string;
  /** Real-time epoch ms when Forge would stop the function. */
  deadline: number;
  state: 'running' | 'finished' | 'timed-out';
}

const storage = new AsyncLocalStorage<Invocation>();

/** The invocation whose code is running now, or undefined for calls made outside any handler (test code). */
export function currentInvocation(): Invocation | undefined {
  return storage.getStore();
}

/**
 * Emulates the kill: Forge stops a function at its deadline, JavaScript cannot be stopped in-process, so
 * the abandoned code keeps running but every platform call it makes fails with this error.
 */
export function assertInvocationAlive(): void {
  const invocation = storage.getStore();
  if (invocation?.state === 'timed-out') {
    throw new InvocationTimeoutError(invocation.id, invocation.functionKey, invocation.timeoutMs);
  }
}

export function newChain(): InvocationChain {
  return { id: randomUUID(), pushes: 0 };
}

export interface InvocationRecord {
  id: string;
  kind: InvocationKind;
  functionKey: string;
  moduleKey: string;
  accountId?: string;
  outcome: 'ok' | 'error' | 'timeout';
  error?: string;
  durationMs: number;
}

/**
 * Runs `body` as one Forge invocation: inside the AsyncLocalStorage context the platform globals read,
 * raced against the function's time limit. Resolves with the handler's value; rejects with its error or
 * an InvocationTimeoutError.
 */
export async function runInvocation<T>(
  spec: InvocationSpec,
  body: () => Promise<T>,
  record: (entry: InvocationRecord) => void,
): Promise<T> {
  const invocation: Invocation = {
    ...spec,
    id: randomUUID(),
    deadline: Date.now() + spec.timeoutMs,
    state: 'running',
  };
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      invocation.state = 'timed-out';
      reject(new InvocationTimeoutError(invocation.id, spec.functionKey, spec.timeoutMs));
    }, spec.timeoutMs);
  });
  const run = storage.run(invocation, () => Promise.resolve().then(body));
  // The abandoned run may still reject later: nobody waits for it, so keep it from becoming "unhandled".
  run.catch(() => undefined);
  const base = { id: invocation.id, kind: spec.kind, functionKey: spec.functionKey, moduleKey: spec.moduleKey, accountId: spec.accountId };
  try {
    const value = await Promise.race([run, timeout]);
    invocation.state = 'finished';
    record({ ...base, outcome: 'ok', durationMs: Date.now() - started });
    return value;
  } catch (error) {
    const timedOut = error instanceof InvocationTimeoutError;
    if (!timedOut) invocation.state = 'finished';
    record({ ...base, outcome: timedOut ? 'timeout' : 'error', error: describe(error), durationMs: Date.now() - started });
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
