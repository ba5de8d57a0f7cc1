import { join } from 'node:path';
import { EmulatorConfigError } from './errors';
import type { AppManifest } from './manifest';

export type ForgeHandler = (request: unknown, context: unknown) => unknown;

/**
 * Loads a function's handler the way Forge's bundler resolves it: `handler: index.resolver` is export
 * `resolver` of `<appDir>/src/index`. Uses require(), so TypeScript sources load under jest's transform
 * and under tsx alike. Loaded on first use: a broken module only fails the functions that use it.
 */
export class HandlerLoader {
  private readonly cache = new Map<string, ForgeHandler>();

  constructor(
    private readonly appDir: string,
    private readonly manifest: AppManifest,
  ) {}

  load(functionKey: string): ForgeHandler {
    const cached = this.cache.get(functionKey);
    if (cached) return cached;
    const definition = this.manifest.functions.get(functionKey);
    if (!definition) throw new EmulatorConfigError(`Function '${functionKey}' is not declared in manifest.yml.`);
    const dot = definition.handler.lastIndexOf('.');
    const modulePath = join(this.appDir, 'src', definition.handler.slice(0, dot));
    const exportName = definition.handler.slice(dot + 1);
    let loaded: Record<string, unknown>;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      loaded = require(modulePath) as Record<string, unknown>;
    } catch (error) {
      throw new EmulatorConfigError(`Cannot load ${modulePath} for function '${functionKey}': ${(error as Error).message}`);
    }
    const handler = loaded[exportName];
    if (typeof handler !== 'function') {
      throw new EmulatorConfigError(
        `Function '${functionKey}': ${modulePath} has no exported function '${exportName}' (manifest handler '${definition.handler}').`,
      );
    }
    this.cache.set(functionKey, handler as ForgeHandler);
    return handler as ForgeHandler;
  }
}
