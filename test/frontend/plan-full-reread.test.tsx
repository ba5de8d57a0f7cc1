import './install-bridge';
import React from 'react';
import { App } from '../../src/frontend/App';
import { createAdminResolver } from '../../src/entry/resolvers/create-resolver';
import { defaultPlan } from '../../src/core/plans';
import { fakeAdminWorld } from '../admin/fakes';
import { invokeAs } from '../resolvers/invoke';
import { ForgeUiHost } from './forge-ui-host';

/** The plan form's "Full re-read every N days", rendered by @forge/react's reconciler against the real resolver. */
async function openPlans(setup?: (w: ReturnType<typeof fakeAdminWorld>) => Promise<void>) {
  const world = fakeAdminWorld({ timeZone: 'Europe/Berlin' });
  if (setup) await setup(world);
  const resolver = createAdminResolver(({ accountId: caller }) => world.app(caller));
  const host = new ForgeUiHost((key, payload) => invokeAs(resolver, 'admin-1', key, payload), { accountId: 'admin-1' });
  await host.render(<App pollIntervalMs={0} />);
  const tabs = host.ofType('Tab');
  await host.byTestId('backup-center')!.children[0].props.onChange(tabs.findIndex((t) => t.props.testId === 'tab-plans'));
  await host.settle();
  return { host, world };
}

describe('plan form: full re-read every N days', () => {
  it('a new plan shows 7 with the explanation; a bad number gets the validator\'s message; the saved plan keeps the number', async () => {
    const { host, world } = await openPlans();
    await host.click(host.button('Create a plan'));
    expect(host.field('fullEveryDays').props.value).toBe('7');
    const box = host.byTestId('field-fullEveryDays')!;
    expect(host.text(box)).toContain('Full re-read every N days');
    expect(host.text(box)).toContain('Incremental backups read only issues Jira marks as updated; watchers and votes are refreshed by a full re-read');

    await host.change('name', 'Weekly re-read');
    await host.change('fullEveryDays', '120');
    await host.click(host.button('Save plan'));
    expect(host.fieldError('fullEveryDays')).toBe('Full re-read every N days: enter a whole number of days from 1 to 90 (7 re-reads everything once a week).');
    expect(await world.store.plans()).toEqual([]);

    await host.change('fullEveryDays', '3');
    await host.click(host.button('Save plan'));
    expect(host.text()).toContain('Plan "Weekly re-read" saved.');
    expect(await world.store.plans()).toEqual([expect.objectContaining({ name: 'Weekly re-read', fullEveryDays: 3 })]);
  });

  it('a plan stored before the setting existed shows 7, and saving it stores the number it showed', async () => {
    const { host, world } = await openPlans(async (w) => {
      const { fullEveryDays: _absent, ...stored } = defaultPlan('plan-old', 'Old nightly');
      await w.store.savePlan(stored);
    });
    const table = host.ofType('DynamicTable').find((t) => t.props.caption === 'Backup plans')!;
    await host.click(host.button('Edit', table));
    expect(host.field('fullEveryDays').props.value).toBe('7');
    await host.change('fullEveryDays', '30');
    await host.click(host.button('Save plan'));
    expect(await world.store.plans()).toEqual([expect.objectContaining({ id: 'plan-old', fullEveryDays: 30 })]);
  });
});
