import type { ForgePlatform } from '../../local/forge';
import { ResolverInvocationError, EmulatorConfigError } from '../../local/forge';
import { startFixture } from './start-fixture';

/** Resolver calls made as the page's `invoke` makes them, landing in @forge/resolver's getDefinitions handler. */
describe('resolver invocations', () => {
  let platform: ForgePlatform;
  beforeAll(async () => {
    platform = await startFixture();
  });
  afterAll(() => platform.stop());

  it('runs the named resolver as the given user, by module key or function key', async () => {
    expect(await platform.invoke('fixture-admin-page', 'whoami', {}, { accountId: 'user-admin' })).toEqual({
      accountId: 'user-admin',
      moduleKey: 'fixture-admin-page',
      cloudId: platform.cloudId,
    });
    expect(await platform.invoke('resolver', 'whoami', {}, { accountId: 'user-2' })).toMatchObject({ accountId: 'user-2' });
    // an anonymous call has no accountId (undefined fields vanish in the JSON the bridge returns)
    expect(await platform.invoke('resolver', 'whoami')).not.toHaveProperty('accountId');
  });

  it('passes the payload through JSON, as the bridge does', async () => {
    expect(await platform.invoke('resolver', 'echo', { when: '2026-11-26', list: [1, 2] })).toEqual({ when: '2026-11-26', list: [1, 2] });
  });

  it('gives getAppContext the invocation and a 25 s budget for resolvers', async () => {
    const app = await platform.invoke<{ moduleKey: string; appAri: string; remainingMs: number }>('resolver', 'appContext');
    expect(app.moduleKey).toBe('fixture-admin-page');
    expect(app.appAri).toBe('ari:cloud:ecosystem::app/00000000-1111-4222-8333-444444444444');
    expect(app.remainingMs).toBeGreaterThan(20_000);
    expect(app.remainingMs).toBeLessThanOrEqual(25_000);
  });

  it('rejects like invoke does when the resolver throws or the key is unknown', async () => {
    await expect(platform.invoke('resolver', 'fail')).rejects.toThrow(ResolverInvocationError);
    await expect(platform.invoke('resolver', 'fail')).rejects.toThrow(/resolver failed on purpose/);
    await expect(platform.invoke('resolver', 'nope')).rejects.toThrow(/no definition for 'nope'/);
    await expect(platform.invoke('no-such-module', 'whoami')).rejects.toThrow(EmulatorConfigError);
    expect(platform.invocations.filter((i) => i.outcome === 'error').length).toBeGreaterThanOrEqual(3);
  });

  it('rejects payloads over the 500 KB frontend limit', async () => {
    await expect(platform.invoke('resolver', 'echo', { blob: 'x'.repeat(501 * 1024) })).rejects.toThrow(/500 KB/);
  });
});
