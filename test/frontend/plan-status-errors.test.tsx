import './install-bridge';
import React from 'react';
import { App } from '../../src/frontend/App';
import { createAdminResolver } from '../../src/entry/resolvers/create-resolver';
import { formatControlPanelSummary } from '../../src/core/admin';
import { fakeAdminWorld, validPlanInput } from '../admin/fakes';
import { invokeAs } from '../resolvers/invoke';
import { ForgeUiHost } from './forge-ui-host';

/**
 * A run over thousands of projects names only the first failed ones (the engine's job record stays small): the page
 * and the printed summary say how many failed in all.
 */
describe('errors of a run with more failed projects than it names', () => {
  it('titles the list with the full count and ends it with how many more', async () => {
    const world = fakeAdminWorld({ timeZone: 'Europe/Berlin' });
    const plan = await world.config.savePlan(validPlanInput(), 'admin-1');
    world.jobs.runs.set(plan.id, {
      jobId: 'j1', planId: plan.id, state: 'partial', kind: 'basic', startedAt: Date.UTC(2026, 10, 26, 9, 0), finishedAt: Date.UTC(2026, 10, 26, 9, 40),
      progress: { projectsDone: 5000, projectsTotal: 5000, issuesDone: 90_000, issuesTotal: 90_000 },
      projectErrors: Array.from({ length: 20 }, (_, i) => ({ project: `P${i}`, message: `Jira answered 404 for P${i}.` })),
      projectErrorCount: 137,
    });
    const resolver = createAdminResolver(({ accountId }) => world.app(accountId));
    const host = new ForgeUiHost((key, payload) => invokeAs(resolver, 'admin-1', key, payload), { accountId: 'admin-1' });
    await host.render(<App pollIntervalMs={0} />);
    const planBox = host.byTestId(`plan-${plan.id}`)!;
    expect(host.text(planBox)).toContain('Errors in 137 projects P0: Jira answered 404 for P0.');
    expect(host.text(planBox)).toContain('P19: Jira answered 404 for P19. …and 117 more projects');

    const summary = formatControlPanelSummary(await world.panel.view());
    expect(summary).toContain('  Error in P19: Jira answered 404 for P19.\n  …and errors in 117 more projects');
  });
});
