import { join } from 'node:path';
import { EmulatorConfigError } from '../../local/forge';
import { loadManifest, parseManifest } from '../../local/forge/manifest';

/** The emulator reads manifest.yml the way Forge does: the app's real one, and broken ones with clear errors. */
describe('manifest loading', () => {
  it("reads the app's own manifest.yml: admin page resolver, five-minute scheduler, 900 s backup-jobs consumer", () => {
    const manifest = loadManifest(join(__dirname, '..', '..'));
    expect(manifest.resolverModules).toEqual([{ moduleType: 'jira:adminPage', moduleKey: 'backup-center-admin-page', functionKey: 'resolver' }]);
    expect(manifest.scheduledTriggers).toEqual([{ moduleKey: 'backup-scheduler', functionKey: 'scheduler', interval: 'fiveMinute' }]);
    expect(manifest.consumers).toEqual([{ moduleKey: 'backup-worker', queue: 'backup-jobs', functionKey: 'worker', resolverMethod: undefined }]);
    expect(manifest.functions.get('worker')).toMatchObject({ handler: 'index.worker', timeoutSeconds: 900 });
    expect(manifest.remotes.has('delivery-relay')).toBe(true);
    expect(manifest.appAri).toMatch(/^ari:cloud:ecosystem::app\/[0-9a-f-]{36}$/);
  });

  it.each([
    [{ modules: {} }, /app\.id is missing/],
    [{ app: { id: 'ari:cloud:ecosystem::app/x' }, modules: { consumer: [{ key: 'c', queue: 'q', function: 'nope' }] } }, /function 'nope'/],
    [{ app: { id: 'a' }, modules: { function: [{ key: 'f', handler: 'index' }] } }, /is not '<file>.<export>'/],
    [{ app: { id: 'a' }, modules: { function: [{ key: 'f', handler: 'index.run', timeoutSeconds: 901 }] } }, /1 to 900/],
    [{ app: { id: 'a' }, modules: { function: [{ key: 'f', handler: 'index.run' }], scheduledTrigger: [{ key: 't', function: 'f', interval: 'minute' }] } }, /fiveMinute, hour, day or week/],
  ])('rejects a broken manifest with a clear error (%#)', (doc, message) => {
    expect(() => parseManifest(doc as Record<string, unknown>)).toThrow(EmulatorConfigError);
    expect(() => parseManifest(doc as Record<string, unknown>)).toThrow(message);
  });
});
