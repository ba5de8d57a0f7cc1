import { kvs } from '@forge/kvs';
import { startFixture } from './start-fixture';

type Slots = { __forge_runtime__?: unknown; __forge_fetch__?: unknown };

/** start() installs the SDK globals, stop() puts back what was there; one platform per process at a time. */
describe('platform lifecycle', () => {
  it('installs the globals on start and restores them on stop', async () => {
    const slots = globalThis as Slots;
    expect(slots.__forge_fetch__).toBeUndefined();
    const platform = await startFixture();
    expect(typeof slots.__forge_fetch__).toBe('function');
    await kvs.set('k', 1);
    await platform.stop();
    expect(slots.__forge_fetch__).toBeUndefined();
    expect(slots.__forge_runtime__).toBeUndefined();
    await expect(kvs.get('k')).rejects.toThrow();
  });

  it('refuses a second platform while one runs, saying what to do', async () => {
    const first = await startFixture();
    try {
      await expect(startFixture()).rejects.toThrow(/already running.*stop\(\) it/);
    } finally {
      await first.stop();
    }
    const again = await startFixture();
    await again.stop();
  });

  it('closes its HTTP server on stop', async () => {
    const platform = await startFixture();
    const jwks = platform.jwksUrl;
    expect((await fetch(jwks)).status).toBe(200);
    await platform.stop();
    await expect(fetch(jwks)).rejects.toThrow();
  });
});
