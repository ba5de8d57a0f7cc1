/**
 * Errors the emulator itself raises (as opposed to the errors the @forge/* SDK raises from the
 * responses the emulator sends back, which are the SDK's own classes).
 */

/** The emulator was configured or called wrongly: the message says what to change. */
export class EmulatorConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EmulatorConfigError';
  }
}

/**
 * Thrown into an invocation that outlived its `timeoutSeconds`: Forge would have killed it, so every platform
 * call it makes afterwards fails, and the invocation itself counts as failed (events are retried).
 */
export class InvocationTimeoutError extends Error {
  constructor(
    readonly invocationId: string,
    readonly functionKey: string,
    readonly timeoutMs: number,
  ) {
    super(
      `Forge invocation ${invocationId} of function '${functionKey}' timed out after ${timeoutMs} ms ` +
        `(timeoutSeconds in manifest.yml). Forge stops the function here; split the work into smaller steps.`,
    );
    this.name = 'InvocationTimeoutError';
  }
}

/** A resolver call failed: what the frontend's `invoke` would reject with. */
export class ResolverInvocationError extends Error {
  constructor(
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'ResolverInvocationError';
  }
}
