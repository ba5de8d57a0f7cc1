/**
 * The site's configuration: users, groups, statuses, issue types, custom fields, projects, workflows, boards,
 * sprints, filters, dashboards. Small and fixed-shape, scaled only by the project and user counts.
 */
import { Rng, Salt } from '../random';
import type {
  SimBoard, SimCustomField, SimDashboard, SimFilter, SimGroup, SimIssueType, SimLinkType, SimNamed, SimProject,
  SimSprint, SimStatus, SimUser, SimWorkflow, SimWorkflowScheme,
} from '../model';
import type { ResolvedGeneratorOptions } from './options';
import { HOSTILE_TEXT } from './hostile';

export const ADMIN_ACCOUNT_ID = '5b10a2844c20165700ede21f';
export const NON_ADMIN_ACCOUNT_ID = '5b10ac8d82e05b22cc7d4ef5';
export const APP_ACCOUNT_ID = '630a1b2c3d4e5f6071829304';

const TIME_ZONES = ['Europe/Berlin', 'America/Los_Angeles', 'Australia/Sydney', 'Asia/Kolkata', 'UTC', 'Pacific/Chatham', 'America/Sao_Paulo'];
const FIRST_NAMES = ['Ana', 'Björn', 'Chloé', 'Dmitri', 'Eitan', 'Fatima', 'Grace', 'Hiro', 'Ingrid', 'José', 'Kwame', 'Li', 'Maëlle', 'Nour', 'Olu', 'Priya'];
const LAST_NAMES = ['Øster', 'Nguyễn', 'Müller', 'O\'Brien', 'García', 'Kowalski', 'Смирнов', 'כהן', 'Tanaka', 'Smith'];

/** A 24-hex-digit account id, like Atlassian's. */
function accountIdFor(seed: number, n: number): string {
  const rng = Rng.for(seed, 101, n);
  let id = '';
  while (id.length < 24) id += Math.floor(rng.next() * 16).toString(16);
  return id;
}

export function generateUsers(o: ResolvedGeneratorOptions): SimUser[] {
  const users: SimUser[] = [
    { accountId: APP_ACCOUNT_ID, displayName: 'Backup Center for Jira', active: true, timeZone: o.appTimeZone, accountType: 'app', admin: true },
    { accountId: ADMIN_ACCOUNT_ID, displayName: 'Site Admin', emailAddress: 'admin@example.com', active: true, timeZone: 'Australia/Sydney', accountType: 'atlassian', admin: true },
    { accountId: NON_ADMIN_ACCOUNT_ID, displayName: 'Regular User', emailAddress: 'user@example.com', active: true, timeZone: 'America/Los_Angeles', accountType: 'atlassian', admin: false },
  ];
  const rng = Rng.for(o.seed, Salt.site, 1);
  for (let n = 0; n < o.users; n++) {
    const name = `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)}`;
    users.push({
      accountId: accountIdFor(o.seed, n),
      displayName: n === 0 ? 'محمد 🚀 ' + name : name,
      // Email is privacy-filtered for most users, as on a real site.
      emailAddress: rng.chance(0.3) ? `user${n}@example.com` : undefined,
      // Deactivated and deleted users still appear on old issues and must survive a backup.
      active: n % 7 !== 6,
      timeZone: rng.pick(TIME_ZONES),
      accountType: n === 3 ? 'customer' : 'atlassian',
      admin: false,
    });
  }
  return users;
}

export function generateGroups(users: SimUser[]): SimGroup[] {
  const humans = users.filter((u) => u.accountType !== 'app');
  return [
    { groupId: '0f7e9c52-1c7a-4b3e-9d39-4f1c1a0e0001', name: 'site-admins', memberIds: humans.filter((u) => u.admin).map((u) => u.accountId) },
    { groupId: '0f7e9c52-1c7a-4b3e-9d39-4f1c1a0e0002', name: 'jira-software-users', memberIds: humans.map((u) => u.accountId) },
    { groupId: '0f7e9c52-1c7a-4b3e-9d39-4f1c1a0e0003', name: 'développeurs 🚀', memberIds: humans.filter((_, i) => i % 2 === 0).map((u) => u.accountId) },
    { groupId: '0f7e9c52-1c7a-4b3e-9d39-4f1c1a0e0004', name: 'empty-group', memberIds: [] },
  ];
}

export const STATUSES: SimStatus[] = [
  { id: 10000, name: 'To Do', description: 'Work that has not started.', category: 'TODO' },
  { id: 3, name: 'In Progress', description: 'Being worked on.', category: 'IN_PROGRESS' },
  { id: 10001, name: 'In Review', description: 'Awaiting review — “quoted” ✓', category: 'IN_PROGRESS' },
  { id: 10002, name: 'Done', description: 'Finished.', category: 'DONE' },
  { id: 10003, name: "Won't Do", description: 'Closed without doing.', category: 'DONE' },
];

export const PRIORITIES: SimNamed[] = [
  { id: 1, name: 'Highest', description: 'Blocks progress.' },
  { id: 2, name: 'High', description: 'Serious problem.' },
  { id: 3, name: 'Medium', description: 'Has the potential to affect progress.' },
  { id: 4, name: 'Low', description: 'Minor problem.' },
  { id: 5, name: 'Lowest', description: 'Trivial problem.' },
];

export const RESOLUTIONS: SimNamed[] = [
  { id: 10000, name: 'Done', description: 'Work has been completed.' },
  { id: 10001, name: "Won't Do", description: 'This will not be worked on.' },
  { id: 10002, name: 'Duplicate', description: 'The problem is a duplicate of an existing issue.' },
];

export const GLOBAL_ISSUE_TYPES: SimIssueType[] = [
  { id: 10000, name: 'Epic', description: 'A big user story that needs to be broken down.', subtask: false, hierarchyLevel: 1 },
  { id: 10001, name: 'Task', description: 'A small, distinct piece of work.', subtask: false, hierarchyLevel: 0 },
  { id: 10002, name: 'Bug', description: 'A problem or error.', subtask: false, hierarchyLevel: 0 },
  { id: 10003, name: 'Story', description: 'A user story.', subtask: false, hierarchyLevel: 0 },
  { id: 10004, name: 'Sub-task', description: 'A small piece of a larger task.', subtask: true, hierarchyLevel: -1 },
];

export const LINK_TYPES: SimLinkType[] = [
  { id: 10000, name: 'Blocks', inward: 'is blocked by', outward: 'blocks' },
  { id: 10001, name: 'Cloners', inward: 'is cloned by', outward: 'clones' },
  { id: 10002, name: 'Duplicate', inward: 'is duplicated by', outward: 'duplicates' },
  { id: 10003, name: 'Relates', inward: 'relates to', outward: 'relates to' },
];

export const SPRINT_FIELD = 'customfield_10020';
export const RANK_FIELD = 'customfield_10019';

export function generateCustomFields(): SimCustomField[] {
  const options = (base: number, values: string[]) => values.map((value, i) => ({ id: base + i, value, disabled: i === values.length - 1 }));
  return [
    { id: RANK_FIELD, name: 'Rank', kind: 'rank', description: 'Global rank (LexoRank).', contextId: 10119, options: [] },
    { id: SPRINT_FIELD, name: 'Sprint', kind: 'sprint', description: 'Jira Software sprint field', contextId: 10120, options: [] },
    { id: 'customfield_10030', name: 'Story point estimate', kind: 'number', description: 'Estimate in points.', contextId: 10130, options: [] },
    { id: 'customfield_10031', name: 'Release notes', kind: 'textarea', description: 'Rich text.', contextId: 10131, options: [] },
    { id: 'customfield_10032', name: 'Team', kind: 'select', description: 'Owning team.', contextId: 10132, options: options(10200, ['Platform', 'Mobile 📱', 'Données', 'Legacy (disabled)']) },
    { id: 'customfield_10033', name: 'Platforms', kind: 'multiselect', description: 'Where it happens.', contextId: 10133, options: options(10300, ['Web', 'iOS', 'Android', 'Windows', 'Retired']) },
    { id: 'customfield_10034', name: 'Reviewer', kind: 'user', description: 'Who reviews.', contextId: 10134, options: [] },
    { id: 'customfield_10035', name: 'Target date', kind: 'date', description: 'Planned date.', contextId: 10135, options: [] },
    { id: 'customfield_10036', name: 'Tags', kind: 'labels', description: 'Free tags.', contextId: 10136, options: [] },
    { id: 'customfield_10037', name: 'Deployed at', kind: 'datetime', description: 'Deployment time.', contextId: 10137, options: [] },
    { id: 'customfield_10038', name: 'Short code', kind: 'text', description: 'Single line of text.', contextId: 10138, options: [] },
  ];
}

const PROJECT_NAMES = ['Demo Service', 'Mobile App', 'Проект Ω 🚀', 'Platform', 'مشروع', 'Website', 'Data Lake', 'Support'];

/** Project keys: A-Z then digits, unique, at most 10 characters. */
function projectKey(index: number): string {
  const bases = ['DEMO', 'MOB', 'OMEGA', 'PLAT', 'ARAB', 'WEB', 'DATA', 'SUP'];
  return index < bases.length ? bases[index] : `P${index}`;
}

export interface GeneratedConfiguration {
  projects: SimProject[];
  issueTypes: SimIssueType[];
  workflows: SimWorkflow[];
  workflowSchemes: SimWorkflowScheme[];
}

export function generateProjects(o: ResolvedGeneratorOptions, users: SimUser[], groupIds: string[]): GeneratedConfiguration {
  const rng = Rng.for(o.seed, Salt.project, 0);
  const issueTypes: SimIssueType[] = [...GLOBAL_ISSUE_TYPES];
  const projects: SimProject[] = [];
  const simplified: SimWorkflow = {
    id: 'b9ff2384-d3b6-4d4e-9509-3ee19f607168',
    name: 'Software Simplified Workflow for Project',
    description: 'Company-managed workflow: every status reachable from any status.',
    statusIds: STATUSES.map((s) => s.id),
    transitions: STATUSES.map((s, i) => ({ id: 11 + i * 10, name: s.name, toStatusId: s.id, fromStatusIds: [] })),
  };
  const workflows: SimWorkflow[] = [simplified];
  const humans = users.filter((u) => u.accountType === 'atlassian');
  let nextTypeId = 10100;
  for (let p = 0; p < o.projects; p++) {
    const id = 10000 + p;
    const style = p % 2 === 0 ? 'classic' : 'next-gen';
    let typeIds = GLOBAL_ISSUE_TYPES.map((t) => t.id);
    if (style === 'next-gen') {
      // Team-managed projects own their issue types (and workflow).
      const own: SimIssueType[] = [
        { id: nextTypeId++, name: 'Epic', description: 'Team epic', subtask: false, hierarchyLevel: 1, projectId: id },
        { id: nextTypeId++, name: 'Task', description: 'Team task', subtask: false, hierarchyLevel: 0, projectId: id },
        { id: nextTypeId++, name: 'Subtask', description: 'Team subtask', subtask: true, hierarchyLevel: -1, projectId: id },
      ];
      issueTypes.push(...own);
      typeIds = own.map((t) => t.id);
      workflows.push({
        id: `0f1e2d3c-0000-4000-8000-${String(id).padStart(12, '0')}`,
        name: `Team workflow ${projectKey(p)}`,
        description: 'Team-managed workflow.',
        statusIds: [10000, 3, 10002],
        transitions: [
          { id: 1, name: 'Create', toStatusId: 10000, fromStatusIds: [] },
          { id: 21, name: 'Start', toStatusId: 3, fromStatusIds: [10000] },
          { id: 31, name: 'Finish', toStatusId: 10002, fromStatusIds: [3] },
          { id: 41, name: 'Reopen', toStatusId: 10000, fromStatusIds: [3, 10002] },
        ],
      });
    }
    const componentCount = rng.int(0, 4);
    const versionCount = rng.int(0, 5);
    projects.push({
      id,
      key: projectKey(p),
      name: p < PROJECT_NAMES.length ? PROJECT_NAMES[p] : `Project ${p}`,
      description: p === 2 ? HOSTILE_TEXT[3] : `Project number ${p}.`,
      style,
      projectTypeKey: p % 5 === 4 ? 'business' : 'software',
      leadAccountId: p === 0 ? ADMIN_ACCOUNT_ID : rng.pick(humans).accountId,
      issueTypeIds: typeIds,
      components: Array.from({ length: componentCount }, (_, i) => ({
        id: 10000 + p * 10 + i,
        name: i === 0 ? 'Backend ⚙️' : `Component ${i}`,
        description: `Component ${i} of ${projectKey(p)}`,
        leadAccountId: rng.chance(0.5) ? rng.pick(humans).accountId : undefined,
        assigneeType: 'PROJECT_DEFAULT' as const,
      })),
      versions: Array.from({ length: versionCount }, (_, i) => ({
        id: 10000 + p * 10 + i,
        name: `v${i + 1}.0`,
        description: i === 0 ? 'First release — “quoted”' : '',
        archived: i === 0 && versionCount > 2,
        released: i < versionCount - 1,
        startDate: `2025-0${(i % 9) + 1}-01`,
        releaseDate: `2025-0${(i % 9) + 1}-28`,
      })),
      roles: [
        { id: 10002, name: 'Administrators', description: 'Project administrators', actorAccountIds: [ADMIN_ACCOUNT_ID], actorGroupIds: [groupIds[0]] },
        { id: 10003, name: 'Developers', description: 'Developers', actorAccountIds: rng.sample(humans, 3).map((u) => u.accountId), actorGroupIds: [groupIds[2]] },
        { id: 10004, name: 'Viewers', description: 'Read-only', actorAccountIds: [], actorGroupIds: [] },
      ],
      properties: new Map<string, unknown>(p === 0 ? [['sim.project.meta', { owner: 'ops', tags: ['a', 'ü'] }], ['empty', {}]] : []),
      nextIssueNumber: 1,
    });
  }
  const workflowSchemes: SimWorkflowScheme[] = [
    { id: 10000, name: 'Default Workflow Scheme', description: 'Company-managed default.', defaultWorkflow: simplified.name, issueTypeMappings: {} },
  ];
  return { projects, issueTypes, workflows, workflowSchemes };
}

export interface GeneratedAgile {
  boards: SimBoard[];
  sprints: SimSprint[];
  filters: SimFilter[];
  dashboards: SimDashboard[];
}

export function generateAgile(o: ResolvedGeneratorOptions, projects: SimProject[], users: SimUser[]): GeneratedAgile {
  const boards: SimBoard[] = [];
  const sprints: SimSprint[] = [];
  const filters: SimFilter[] = [];
  const day = 86_400_000;
  projects.forEach((project, p) => {
    const filterId = 10000 + p;
    filters.push({
      id: filterId, name: `Filter for ${project.key} board`, description: '', jql: `project = ${project.key} ORDER BY Rank ASC`,
      ownerId: project.leadAccountId, favourite: false, sharePermissions: [{ type: 'project', projectId: project.id }],
    });
    const type = p % 3 === 2 ? 'kanban' : 'scrum';
    const boardId = p + 1;
    boards.push({
      id: boardId, name: `${project.key} board`, type, projectId: project.id, filterId,
      columns: [
        { name: 'To Do', statusIds: [10000] },
        { name: 'In Progress', statusIds: [3, 10001] },
        { name: 'Done', statusIds: [10002, 10003] },
      ],
    });
    if (type === 'scrum') {
      const start = o.baseTime - 30 * day;
      sprints.push(
        { id: boardId * 10 + 1, boardId, name: `${project.key} Sprint 1`, state: 'closed', goal: 'Ship it 🚀', startDate: start - 14 * day, endDate: start, completeDate: start, createdDate: start - 15 * day },
        { id: boardId * 10 + 2, boardId, name: `${project.key} Sprint 2`, state: 'active', goal: '', startDate: o.baseTime - 7 * day, endDate: o.baseTime + 7 * day, createdDate: start },
        { id: boardId * 10 + 3, boardId, name: `${project.key} Sprint 3`, state: 'future', goal: 'Next', createdDate: start },
      );
    }
  });
  const owner = users[1].accountId;
  filters.push(
    { id: 20000, name: 'My open issues ✓', description: HOSTILE_TEXT[1], jql: 'assignee = currentUser() AND resolution = Unresolved', ownerId: owner, favourite: true, sharePermissions: [] },
    { id: 20001, name: 'Shared with everyone', description: '', jql: 'project = DEMO AND updated >= -7d', ownerId: users[2].accountId, favourite: false, sharePermissions: [{ type: 'global' }] },
    { id: 20002, name: 'فلتر', description: HOSTILE_TEXT[3], jql: 'labels = "ünïcode"', ownerId: users[users.length - 1].accountId, favourite: false, sharePermissions: [{ type: 'group', groupId: '0f7e9c52-1c7a-4b3e-9d39-4f1c1a0e0003' }] },
  );
  const dashboards: SimDashboard[] = [
    { id: 10000, name: 'Default dashboard', description: '', ownerId: owner, sharePermissions: [{ type: 'global' }] },
    { id: 10001, name: 'Team 🚀 dashboard', description: HOSTILE_TEXT[0], ownerId: owner, sharePermissions: [{ type: 'loggedin' }] },
    { id: 10002, name: 'Private', description: 'Only mine', ownerId: users[2].accountId, sharePermissions: [] },
  ];
  return { boards, sprints, filters, dashboards };
}
