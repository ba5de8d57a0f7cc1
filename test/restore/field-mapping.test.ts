import { mapFields } from '../../src/core/restore/field-mapping';
import { toWriteValue, type ValueContext } from '../../src/core/restore/field-values';
import { getRestoreStatus, planRestore, startRestore } from '../../src/core/restore';
import type { FieldDefinition } from '../../src/core/restore/snapshot-view';
import { drain, restoreDeps, seedSite, snapshotOf } from './support/scenario';

const select = (id: string, name: string): FieldDefinition => ({ id, name, custom: true, schema: { type: 'option', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:select' } });
const number = (id: string, name: string): FieldDefinition => ({ id, name, custom: true, schema: { type: 'number', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:float' } });

describe('mapping snapshot fields to live fields', () => {
  it('keeps the id when the live field has the same type, matches by name and type otherwise, and says why not', () => {
    const map = mapFields(
      [select('customfield_1', 'Team'), number('customfield_2', 'Story Points'), number('customfield_3', 'Effort'), select('customfield_4', 'Area')],
      [select('customfield_1', 'Team'), number('customfield_20', 'story points'), select('customfield_3', 'Effort'), select('customfield_40', 'Area'), select('customfield_41', 'Area')],
    );
    expect(map.get('customfield_1')).toMatchObject({ targetId: 'customfield_1' });
    expect(map.get('customfield_2')).toMatchObject({ targetId: 'customfield_20', byName: true });
    expect(map.get('customfield_3')?.reason).toMatch(/now has a different type/);
    expect(map.get('customfield_4')?.reason).toMatch(/2 live fields are named "Area"/);
  });
});

describe('converting values for create and edit', () => {
  const context: ValueContext = {
    componentIdByName: new Map([['Backend', '501']]),
    versionIdByName: new Map([['1.0', '601']]),
    issueKeyFor: (id, key) => (id === '10100' || key === 'ENG-1' ? 'NEW-1' : undefined),
  };

  it.each([
    ['a user becomes its accountId', { id: 'assignee', name: 'Assignee', custom: false, schema: { type: 'user', system: 'assignee' } }, { accountId: 'a1', displayName: 'A' }, { accountId: 'a1' }],
    ['components map by name to the target project', { id: 'components', name: 'Components', custom: false, schema: { type: 'array', items: 'component', system: 'components' } }, [{ id: '9', name: 'Backend' }], [{ id: '501' }]],
    ['versions map by name', { id: 'fixVersions', name: 'Fix versions', custom: false, schema: { type: 'array', items: 'version', system: 'fixVersions' } }, [{ id: '8', name: '1.0' }], [{ id: '601' }]],
    ['a parent becomes the restored key', { id: 'parent', name: 'Parent', custom: false, schema: { type: 'issuelink', system: 'parent' } }, { id: '10100', key: 'ENG-1' }, { key: 'NEW-1' }],
    ['an epic link becomes the restored key', { id: 'customfield_9', name: 'Epic Link', custom: true, schema: { type: 'any', custom: 'com.pyxis.greenhopper.jira:gh-epic-link' } }, 'ENG-1', 'NEW-1'],
    ['a cascading select keeps parent and child', { id: 'customfield_5', name: 'Region', custom: true, schema: { type: 'option-with-child', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:cascadingselect' } }, { id: '1', value: 'EU', child: { id: '2', value: 'DE' } }, { id: '1', child: { id: '2' } }],
    ['time tracking keeps the estimates only', { id: 'timetracking', name: 'Time tracking', custom: false, schema: { type: 'timetracking', system: 'timetracking' } }, { originalEstimate: '1d', remainingEstimate: '4h', timeSpent: '2h' }, { originalEstimate: '1d', remainingEstimate: '4h' }],
  ])('%s', (_name, field, value, expected) => {
    expect(toWriteValue(field as FieldDefinition, value, context)).toEqual({ ok: true, value: expected });
  });

  it('matches options by value when the id is gone, and reports options that no longer exist', () => {
    const meta = { fieldId: 'customfield_4', allowedValues: [{ id: '77', value: 'Core' }] };
    expect(toWriteValue(select('customfield_4', 'Team'), { id: '9001', value: 'Core' }, context, meta)).toEqual({ ok: true, value: { id: '77' } });
    expect(toWriteValue(select('customfield_4', 'Team'), { id: '9002', value: 'Edge' }, context, meta)).toEqual({ ok: false, reason: 'the live field does not offer the option "Edge" (deleted or disabled); add or enable it to restore this value' });
  });

  it('reports components missing from the target project and parents that are gone', () => {
    expect(toWriteValue({ id: 'components', name: 'Components', custom: false, schema: { type: 'array', items: 'component', system: 'components' } }, [{ name: 'Frontend' }], context)).toEqual({
      ok: false,
      reason: 'the component "Frontend" is not in the target project; create it there to restore this value',
    });
    expect(toWriteValue({ id: 'parent', name: 'Parent', custom: false, schema: { type: 'issuelink', system: 'parent' } }, { id: '3', key: 'OLD-3' }, context).ok).toBe(false);
  });
});

describe('fields Jira will not take on create', () => {
  it('plans them as not set when they are missing from the create screen, and retries alone without a rejected value', async () => {
    const jira = seedSite();
    const snapshot = snapshotOf(jira);
    jira.issues.delete('10101');
    // Story Points left the create screen; and the fake Jira rejects priority "rejected".
    jira.projects.get('ENG')!.createScreen = new Set(['summary', 'description', 'labels', 'assignee', 'priority', 'components', 'parent', 'customfield_10040']);
    snapshot.issueList.find((i) => i.id === '10101')!.fields.priority = { id: 'rejected', name: 'Weird' };
    const deps = restoreDeps(jira, snapshot);
    const plan = await planRestore(deps, { kind: 'issues', snapshotId: 'snap-1', issueIds: ['10101'] });
    expect(plan.issues[0].fieldsNotSet.find((f) => f.fieldId === 'customfield_10010')?.reason).toBe('"Story Points" is not on the create screen of the target project and issue type; add it to the screen to restore it');
    await startRestore(deps, plan);
    await drain(deps);
    const result = (await getRestoreStatus(deps, plan.id))!.issues[0];
    expect(result.target).toBeDefined();
    expect(result.fieldsNotSet.find((f) => f.fieldId === 'priority')?.reason).toBe('Jira rejected the value: Priority is not valid');
    expect(result.fieldsSet).toContain('Summary');
    expect(result.fieldsSet).not.toContain('Priority');
  });
});
