/**
 * The issue generator: the hot loop of site generation (100,000+ issues), so it keeps per-issue work small —
 * scalar fields and custom values only; comments, worklogs, changelog etc. are generated lazily (issue-parts.ts).
 */
import { Rng, Salt } from '../random';
import { SimIssue } from '../model';
import type { SimIssueLink, SimProject, SimSprint, SimUser } from '../model';
import type { ResolvedGeneratorOptions } from './options';
import { HOSTILE_TEXT, LONGEST_SUMMARY, VERY_LONG_TEXT, sentence } from './hostile';
import { GLOBAL_ISSUE_TYPES, LINK_TYPES, PRIORITIES, RANK_FIELD, RESOLUTIONS, SPRINT_FIELD, STATUSES, generateCustomFields } from './configuration';
import { generateIssueParts, type HeavyIssues, type IssuePartsContext } from './issue-parts';
import type { SimIssueType } from '../model';

export const FIRST_ISSUE_ID = 10000;
const DAY = 86_400_000;
const LABELS = ['backend', 'frontend', 'ünïcode', 'urgent', 'tech-debt', 'emoji🚀', 'customer', 'q3'];

export interface GeneratedIssues {
  issues: Map<number, SimIssue>;
  issueIdsByKey: Map<string, number>;
  links: SimIssueLink[];
  heavy: HeavyIssues;
}

/** Which issues get more than 100 comments / 20 worklogs / 100 changelog entries: a few fixed ones plus ~0.1%. */
function chooseHeavy(o: ResolvedGeneratorOptions): HeavyIssues {
  const heavy: HeavyIssues = { comments: new Set(), worklogs: new Set(), changelog: new Set() };
  if (o.issues === 0) return heavy;
  const at = (i: number) => FIRST_ISSUE_ID + Math.min(i, o.issues - 1);
  heavy.comments.add(at(1));
  heavy.worklogs.add(at(2));
  heavy.changelog.add(at(3));
  const rng = Rng.for(o.seed, Salt.issue, -1);
  for (let n = 0; n < Math.floor(o.issues / 1000); n++) {
    heavy.comments.add(at(rng.int(0, o.issues - 1)));
    heavy.worklogs.add(at(rng.int(0, o.issues - 1)));
    heavy.changelog.add(at(rng.int(0, o.issues - 1)));
  }
  return heavy;
}

function dateOnly(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function generateIssues(
  o: ResolvedGeneratorOptions, projects: SimProject[], issueTypes: SimIssueType[], users: SimUser[], sprints: SimSprint[], boardsByProject: Map<number, number>,
): GeneratedIssues {
  const issues = new Map<number, SimIssue>();
  const issueIdsByKey = new Map<string, number>();
  const links: SimIssueLink[] = [];
  const heavy = chooseHeavy(o);
  const humanIds = users.filter((u) => u.accountType !== 'app').map((u) => u.accountId);
  const ctx: IssuePartsContext = { seed: o.seed, userIds: humanIds, heavy };
  const lazy = (issue: SimIssue) => generateIssueParts(ctx, issue);
  const fields = generateCustomFields();
  const field = (id: string) => fields.find((f) => f.id === id)!;
  const team = field('customfield_10032');
  const platforms = field('customfield_10033');

  // Project weights 1, 1/2, 1/3…: a few big projects and a long tail, like real sites.
  const weights = projects.map((_, p) => 1 / (p + 1));
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  const cumulative: number[] = [];
  weights.reduce((acc, w, i) => (cumulative[i] = acc + w / totalWeight), 0);

  const typesByProject = new Map<number, { epic?: number; sub?: number; standard: number[] }>();
  for (const project of projects) {
    const types = project.issueTypeIds.map((id) => issueTypes.find((t) => t.id === id)!);
    typesByProject.set(project.id, {
      epic: types.find((t) => t.hierarchyLevel === 1)?.id,
      sub: types.find((t) => t.subtask)?.id,
      standard: types.filter((t) => t.hierarchyLevel === 0).map((t) => t.id),
    });
  }
  const lastStandard = new Map<number, number>();
  const epics = new Map<number, number[]>();
  const sprintsByBoard = new Map<number, SimSprint[]>();
  for (const s of sprints) sprintsByBoard.set(s.boardId, [...(sprintsByBoard.get(s.boardId) ?? []), s]);

  const span = 730 * DAY;
  const start = o.baseTime - span;
  const step = o.issues > 0 ? span / o.issues : 0;
  let linkId = 10000;

  for (let i = 0; i < o.issues; i++) {
    const id = FIRST_ISSUE_ID + i;
    const rng = Rng.for(o.seed, Salt.issue, id);
    const r = rng.next();
    let p = 0;
    while (p < cumulative.length - 1 && r > cumulative[p]) p++;
    const project = projects[p];
    const types = typesByProject.get(project.id)!;
    const key = `${project.key}-${project.nextIssueNumber++}`;

    let issueTypeId = rng.pick(types.standard);
    let parentId: number | null = null;
    const kind = rng.next();
    if (kind < 0.05 && types.epic !== undefined) {
      issueTypeId = types.epic;
    } else if (kind < 0.2 && types.sub !== undefined && lastStandard.has(project.id)) {
      issueTypeId = types.sub;
      parentId = lastStandard.get(project.id)!;
    } else {
      const projectEpics = epics.get(project.id);
      if (projectEpics && rng.chance(0.3)) parentId = rng.pick(projectEpics);
    }
    if (issueTypeId === types.epic) {
      const list = epics.get(project.id);
      if (list) list.push(id);
      else epics.set(project.id, [id]);
    }
    else if (issueTypeId !== types.sub) lastStandard.set(project.id, id);

    const created = Math.floor(start + i * step + rng.next() * step);
    // Most issues settle soon after creation; one in ten was touched in the last week (for incremental runs).
    const updated = rng.chance(0.1)
      ? Math.max(created, o.baseTime - Math.floor(rng.next() * 7 * DAY))
      : Math.min(o.baseTime, created + Math.floor(rng.next() * 20 * DAY));
    const status = STATUSES[rng.int(0, STATUSES.length - 1)];
    const done = status.category === 'DONE';
    const hostile = rng.chance(o.hostileShare);
    const descriptionRoll = rng.next();
    const reporter = rng.pick(humanIds);
    const board = boardsByProject.get(project.id);
    const boardSprints = board !== undefined ? sprintsByBoard.get(board) ?? [] : [];

    const custom: Record<string, unknown> = {
      [RANK_FIELD]: `0|i${i.toString(36).padStart(6, '0')}:`,
    };
    if (boardSprints.length > 0 && rng.chance(0.6)) custom[SPRINT_FIELD] = rng.sample(boardSprints, rng.int(1, 2)).map((s) => s.id);
    if (rng.chance(0.5)) custom.customfield_10030 = rng.chance(0.9) ? rng.int(1, 13) : 0.5;
    if (rng.chance(0.2)) custom.customfield_10031 = hostile ? HOSTILE_TEXT[rng.int(0, HOSTILE_TEXT.length - 1)] : sentence(rng.next(), rng.next(), rng.next());
    if (rng.chance(0.5)) custom.customfield_10032 = rng.pick(team.options).id;
    if (rng.chance(0.3)) custom.customfield_10033 = rng.sample(platforms.options, rng.int(1, 3)).map((opt) => opt.id);
    if (rng.chance(0.3)) custom.customfield_10034 = rng.pick(humanIds);
    if (rng.chance(0.3)) custom.customfield_10035 = dateOnly(created + rng.int(1, 60) * DAY);
    if (rng.chance(0.2)) custom.customfield_10036 = rng.sample(LABELS, rng.int(1, 3));
    if (rng.chance(0.1)) custom.customfield_10037 = created + rng.int(1, 30) * DAY;
    if (rng.chance(0.2)) custom.customfield_10038 = hostile ? HOSTILE_TEXT[0] : `SC-${rng.int(100, 999)}`;

    const issue = new SimIssue({
      id,
      key,
      projectId: project.id,
      issueTypeId,
      statusId: status.id,
      priorityId: PRIORITIES[rng.int(0, PRIORITIES.length - 1)].id,
      resolutionId: done ? RESOLUTIONS[status.id === 10002 ? 0 : rng.int(1, 2)].id : null,
      summary: i === 0 ? LONGEST_SUMMARY : hostile ? HOSTILE_TEXT[rng.int(0, HOSTILE_TEXT.length - 1)].split('\n')[0] : sentence(rng.next(), rng.next(), rng.next()),
      description:
        i === 4 || (i > 0 && i % 5000 === 0) ? VERY_LONG_TEXT
          : descriptionRoll < 0.1 ? null
            : hostile ? HOSTILE_TEXT[rng.int(0, HOSTILE_TEXT.length - 1)]
              : `${sentence(rng.next(), rng.next(), rng.next())}.\n\nSteps: ${sentence(rng.next(), rng.next(), rng.next())}.`,
      environment: rng.chance(0.05) ? 'Chrome 120 / macOS 14' : null,
      reporterId: rng.chance(0.02) ? null : reporter,
      assigneeId: rng.chance(0.3) ? null : rng.pick(humanIds),
      creatorId: reporter,
      created,
      updated,
      resolutionDate: done ? updated : null,
      dueDate: rng.chance(0.2) ? dateOnly(created + rng.int(1, 90) * DAY) : null,
      labels: rng.chance(0.3) ? rng.sample(LABELS, rng.int(1, 3)) : [],
      componentIds: project.components.length > 0 && rng.chance(0.4) ? rng.sample(project.components, rng.int(1, 2)).map((c) => c.id) : [],
      fixVersionIds: project.versions.length > 0 && rng.chance(0.3) ? [rng.pick(project.versions).id] : [],
      affectsVersionIds: project.versions.length > 0 && issueTypeId === GLOBAL_ISSUE_TYPES[2].id && rng.chance(0.5) ? [rng.pick(project.versions).id] : [],
      parentId,
      custom,
      attachmentIds: [],
    }, lazy);
    issues.set(id, issue);
    issueIdsByKey.set(key, id);

    if (i > 0 && rng.chance(0.1)) {
      links.push({ id: linkId++, typeId: rng.pick(LINK_TYPES).id, outwardIssueId: id, inwardIssueId: FIRST_ISSUE_ID + rng.int(0, i - 1) });
    }
  }
  return { issues, issueIdsByKey, links, heavy };
}
