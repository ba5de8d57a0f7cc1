import './install-bridge';
import React from 'react';
import { App } from '../../src/frontend/App';
import { createAdminResolver } from '../../src/entry/resolvers/create-resolver';
import { fakeAdminWorld, validPlanInput } from '../admin/fakes';
import { AdminError } from '../../src/core/admin';
import { invokeAs } from '../resolvers/invoke';
import { ForgeUiHost } from './forge-ui-host';

type World = ReturnType<typeof fakeAdminWorld>;

function hostFor(world: World, gate?: Promise<void>) {
  const resolver = createAdminResolver(({ accountId }) => world.app(accountId), { logError: () => {} });
  return new ForgeUiHost(async (key, payload) => {
    if (gate) await gate;
    return invokeAs(resolver, 'admin-1', key, payload);
  });
}

describe('admin page: loading, error and live-progress states', () => {
  it('shows a spinner until the control panel has loaded', async () => {
    const world = fakeAdminWorld();
    let open!: () => void;
    const host = hostFor(world, new Promise<void>((resolve) => (open = resolve)));
    await host.render(<App pollIntervalMs={0} />, { settle: false });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(host.ofType('Spinner').map((s) => s.props.label)).toContain('Loading the control panel');
    open();
    await host.settle();
    expect(host.ofType('Spinner')).toEqual([]);
    expect(host.text()).toContain('No backup plans yet');
  });

  it('says what failed and offers "Try again", which recovers once the cause is gone', async () => {
    const world = fakeAdminWorld();
    await world.config.savePlan(validPlanInput(), 'admin-1');
    const latest = world.jobs.latest.bind(world.jobs);
    world.jobs.latest = async () => {
      throw new Error('job catalog unreadable');
    };
    const host = hostFor(world);
    await host.render(<App pollIntervalMs={0} />);
    expect(host.text()).toContain('The control panel could not load');
    expect(host.text()).toContain('Something went wrong (job catalog unreadable).');
    world.jobs.latest = latest;
    await host.click(host.button('Try again'));
    expect(host.text()).not.toContain('could not load');
    expect(host.text()).toContain('Nightly');
  });

  it('keeps the panel when only one part fails: storage use unknown, file list unavailable', async () => {
    const world = fakeAdminWorld();
    await world.config.savePlan(validPlanInput(), 'admin-1');
    world.gauge.usage = async () => {
      throw new Error('quota service down');
    };
    world.files.failList = 'relay unreachable';
    const host = hostFor(world);
    await host.render(<App pollIntervalMs={0} />);
    expect(host.text(host.byTestId('storage-usage'))).toContain('Storage use unknown Could not read storage use: quota service down');
    expect(host.text()).toContain('Backup files unavailable Could not list the backup files: relay unreachable');
    expect(host.button('Back up now').props.isDisabled).toBe(false);
  });

  it('falls back to typing project keys when the site\'s projects cannot be listed', async () => {
    const world = fakeAdminWorld();
    world.config.listProjects = async () => {
      throw new AdminError('unavailable', "Could not list the site's projects: Jira answered HTTP 503. Type the project keys instead.");
    };
    const host = hostFor(world);
    await host.render(<App pollIntervalMs={0} />);
    await host.click(host.button('Create a plan'));
    await host.change('name', 'Two projects');
    await host.change('projects.mode', 'selected');
    expect(host.field('projects.keys').type).toBe('Textfield');
    expect(host.text(host.byTestId('field-projects.keys'))).toContain('Jira answered HTTP 503. Type the project keys instead.');
    await host.change('projects.keys', 'eng, ops');
    await host.click(host.button('Save plan'));
    expect((await world.store.plans())[0].projects).toEqual({ mode: 'selected', keys: ['ENG', 'OPS'] });
  });

  it('refreshes the progress by itself while a backup runs, and stops refreshing when it ends', async () => {
    const world = fakeAdminWorld();
    const plan = await world.config.savePlan(validPlanInput(), 'admin-1');
    world.jobs.runs.set(plan.id, {
      jobId: 'j', planId: plan.id, state: 'running', startedAt: Date.UTC(2026, 10, 26, 9, 0),
      progress: { projectsDone: 0, issuesDone: 0 }, projectErrors: [],
    });
    const host = hostFor(world);
    await host.render(<App pollIntervalMs={30} />);
    const bar = () => host.ofType('ProgressBar').find((b) => b.props.ariaLabel === 'Backup progress of Nightly');
    expect(bar()!.props.isIndeterminate).toBe(true);
    expect(host.text()).toContain('0 projects, 0 issues done');

    world.jobs.runs.get(plan.id)!.progress = { projectsDone: 1, projectsTotal: 2, issuesDone: 30, issuesTotal: 40 };
    await waitFor(() => bar()?.props.value === 0.75);
    expect(host.text()).toContain('1 of 2 projects, 30 of 40 issues done');

    const run = world.jobs.runs.get(plan.id)!;
    Object.assign(run, { state: 'complete', finishedAt: Date.UTC(2026, 10, 26, 9, 5), progress: { projectsDone: 2, projectsTotal: 2, issuesDone: 40, issuesTotal: 40 } });
    await waitFor(() => bar() === undefined);
    expect(host.text()).toContain('Complete');
    const calls = host.invocations.filter((i) => i.functionKey === 'getControlPanel').length;
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(host.invocations.filter((i) => i.functionKey === 'getControlPanel').length).toBe(calls);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
