import { AuditLog, requireJiraAdmin } from '../../src/core/admin';
import { ManualClock, MemoryKeyValue, permissionsJira } from './fakes';

describe('AuditLog', () => {
  it('reads newest first, one page at a time, and refuses silly page sizes', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1), 60_000);
    let n = 0;
    const log = new AuditLog(new MemoryKeyValue(), clock, () => String(++n));
    for (let i = 1; i <= 5; i++) await log.append({ actor: 'admin-1', action: 'plan.updated', subject: `Plan ${i}` });
    const first = await log.read({ limit: 2 });
    expect(first.entries.map((e) => e.subject)).toEqual(['Plan 5', 'Plan 4']);
    const second = await log.read({ limit: 2, cursor: first.nextCursor });
    expect(second.entries.map((e) => e.subject)).toEqual(['Plan 3', 'Plan 2']);
    const last = await log.read({ limit: 2, cursor: second.nextCursor });
    expect(last).toEqual({ entries: [expect.objectContaining({ subject: 'Plan 1', at: Date.UTC(2026, 0, 1) })], nextCursor: undefined });
    await expect(log.read({ limit: 1000 })).rejects.toThrow('Audit log pages hold 1 to 100 entries (asked for 1000).');
  });

  it('writes one key per entry, so concurrent writers never overwrite each other', async () => {
    const kv = new MemoryKeyValue();
    let n = 0;
    const log = new AuditLog(kv, new ManualClock(1000), () => String(++n));
    await Promise.all([1, 2, 3].map((i) => log.append({ actor: 'a', action: 'backup.started', subject: `p${i}` })));
    expect(kv.data.size).toBe(3);
    for (const key of kv.data.keys()) expect(key).toMatch(/^audit:\d{13}:\d+$/);
  });
});

describe('requireJiraAdmin', () => {
  it('asks Jira as the calling user for ADMINISTER and lets an administrator through', async () => {
    const jira = permissionsJira(true);
    await requireJiraAdmin(jira, 'admin-1');
    expect(jira.calls).toEqual(['GET /rest/api/3/mypermissions?permissions=ADMINISTER']);
  });

  it.each([
    ['a user without the permission', permissionsJira(false), 'user-1', 'forbidden'],
    ['a call without a user', permissionsJira(true), undefined, 'forbidden'],
    ['Jira refusing the user', permissionsJira(true, 401), 'user-1', 'forbidden'],
    ['Jira failing', permissionsJira(true, 500), 'user-1', 'unavailable'],
  ])('refuses %s', async (_case, jira, accountId, code) => {
    await expect(requireJiraAdmin(jira, accountId)).rejects.toMatchObject({ code });
  });

  it('explains to a non-admin what to do', async () => {
    await expect(requireJiraAdmin(permissionsJira(false), 'user-1')).rejects.toThrow(
      'Only Jira administrators can use Backup Center. Ask a Jira administrator to grant you the "Administer Jira" global permission.',
    );
  });
});
