import type { Logger } from '../../ports';

/**
 * The Logger port on console, which is Forge's log (`forge logs`). One JSON line per entry, so fields stay
 * searchable; `scope` names the part of the app that logs.
 */
export function consoleLogger(scope?: string, sink: Pick<Console, 'info' | 'warn' | 'error'> = console): Logger {
  const line = (message: string, fields?: Record<string, unknown>) =>
    JSON.stringify({ ...(scope ? { scope } : {}), message, ...(fields ?? {}) }, (_, value) =>
      value instanceof Error ? { name: value.name, message: value.message } : value,
    );
  return {
    info: (message, fields) => sink.info(line(message, fields)),
    warn: (message, fields) => sink.warn(line(message, fields)),
    error: (message, fields) => sink.error(line(message, fields)),
  };
}
