import { diffProject, findIssues, listSnapshotProjects, showIssue } from '../../src/core/restore';
import { restoreDeps, seedSite, snapshotOf } from './support/scenario';

describe('browsing a snapshot', () => {
  const jira = seedSite();
  const deps = restoreDeps(jira, snapshotOf(jira));

  it('lists its projects with issue counts', async () => {
    expect(await listSnapshotProjects(deps, 'snap-1')).toEqual([{ id: '10000', key: 'ENG', name: 'Engineering', issueCount: 4 }]);
  });

  it('finds issues by key, summary text and simple filters', async () => {
    const keys = async (filter: Parameters<typeof findIssues>[2]) => (await findIssues(deps, 'snap-1', filter)).map((i) => i.key);
    expect(await keys({ projectKey: 'ENG', text: 'eng-3' })).toEqual(['ENG-3']);
    expect(await keys({ projectKey: 'ENG', text: 'refund' })).toEqual(['ENG-2', 'ENG-4']);
    expect(await keys({ projectKey: 'ENG', issueType: 'sub-task' })).toEqual(['ENG-4']);
    expect(await keys({ projectKey: 'ENG', status: 'Done' })).toEqual(['ENG-2']);
    expect(await keys({ projectKey: 'ENG', assignee: 'acc-bob' })).toEqual(['ENG-2']);
    expect(await keys({ projectKey: 'ENG', assignee: 'bob' })).toEqual(['ENG-2']);
    expect(await keys({ projectKey: 'ENG', text: 'refund', limit: 1 })).toEqual(['ENG-2']);
  });

  it('shows an issue as it was, with field names', async () => {
    const issue = (await showIssue(deps, 'snap-1', 'ENG-2'))!;
    expect(issue.namedFields.find((f) => f.name === 'Story Points')).toEqual({ id: 'customfield_10010', name: 'Story Points', value: 5 });
    expect(issue.comments).toHaveLength(2);
    expect(await showIssue(deps, 'snap-1', 'ENG-99')).toBeUndefined();
  });
});

describe('diffing a snapshot with the live site', () => {
  it('finds deleted issues, changed fields, deleted comments and attachments, and new issues', async () => {
    const jira = seedSite();
    const deps = restoreDeps(jira, snapshotOf(jira));
    jira.issues.delete('10103');
    const task = jira.issues.get('10101')!;
    task.fields.labels = ['oops'];
    task.comments.splice(1, 1);
    task.attachments.length = 0;
    jira.addIssue('ENG', { summary: 'Created after the backup' });
    const diff = await diffProject(deps, 'snap-1', 'ENG');
    expect(diff.deletedIssues.map((i) => i.key)).toEqual(['ENG-4']);
    expect(diff.changedIssues).toEqual([{ key: 'ENG-2', id: '10101', summary: 'Refund API', fields: [{ id: 'labels', name: 'Labels', snapshot: ['api', 'payments'], live: ['oops'] }] }]);
    expect(diff.deletedComments).toEqual([{ issueKey: 'ENG-2', commentId: '30002', author: 'Bob', created: '2026-01-07T09:00:00.000+0000' }]);
    expect(diff.deletedAttachments).toEqual([{ issueKey: 'ENG-2', attachmentId: '50001', filename: 'design.pdf', size: 11 }]);
    expect(diff.newIssueCount).toBe(1);
  });
});
