/**
 * Lazily generated sub-collections of one generated issue (comments, worklogs, changelog, remote links,
 * watchers, votes, properties). Derived only from (seed, issue id, a few issue fields), so the result is the
 * same whenever it is first read, and a 100,000-issue site costs nothing until a client pages into it.
 *
 * Generated ids are `issueId * 1000 + n` (n < 1000), disjoint from ids the write endpoints hand out,
 * which start above every generated range.
 */
import { Rng, Salt, mix32 } from '../random';
import type { AccountId, IssueCollections, SimChange, SimComment, SimIssue, SimWorklog } from '../model';
import { HOSTILE_TEXT, sentence } from './hostile';
import { STATUSES } from './configuration';

export interface HeavyIssues {
  /** Issues with more than 100 comments. */
  comments: Set<number>;
  /** Issues with more than 20 worklogs. */
  worklogs: Set<number>;
  /** Issues with more than 100 changelog entries. */
  changelog: Set<number>;
}

export interface IssuePartsContext {
  seed: number;
  userIds: AccountId[];
  heavy: HeavyIssues;
}

/** Spread `count` ascending times over [from, to]. */
function times(rng: Rng, count: number, from: number, to: number): number[] {
  const span = Math.max(0, to - from);
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(from + Math.floor(rng.next() * span));
  return out.sort((a, b) => a - b);
}

function comments(ctx: IssuePartsContext, issue: SimIssue): SimComment[] {
  const rng = Rng.for(ctx.seed, Salt.comments, issue.id);
  const count = ctx.heavy.comments.has(issue.id) ? rng.int(120, 160) : rng.chance(0.5) ? rng.int(1, 5) : 0;
  return times(rng, count, issue.created, issue.updated).map((created, n) => {
    const author = rng.pick(ctx.userIds);
    const edited = rng.chance(0.1);
    return {
      id: issue.id * 1000 + n,
      authorId: author,
      updateAuthorId: edited ? rng.pick(ctx.userIds) : author,
      body: rng.chance(0.05) ? HOSTILE_TEXT[rng.int(0, HOSTILE_TEXT.length - 1)] : `Comment ${n}: ${sentence(rng.next(), rng.next(), rng.next())}.`,
      created,
      updated: edited ? Math.min(issue.updated, created + 3_600_000) : created,
      visibility: rng.chance(0.05) ? { type: 'role' as const, value: 'Developers' } : undefined,
      properties: rng.chance(0.05) ? new Map<string, unknown>([['sim.comment', { pinned: true }]]) : new Map(),
    };
  });
}

function worklogs(ctx: IssuePartsContext, issue: SimIssue): SimWorklog[] {
  const rng = Rng.for(ctx.seed, Salt.worklogs, issue.id);
  const count = ctx.heavy.worklogs.has(issue.id) ? rng.int(25, 45) : rng.chance(0.2) ? rng.int(1, 3) : 0;
  return times(rng, count, issue.created, issue.updated).map((started, n) => {
    const author = rng.pick(ctx.userIds);
    return {
      id: issue.id * 1000 + n,
      authorId: author,
      updateAuthorId: author,
      comment: rng.chance(0.7) ? `Worked on ${sentence(rng.next(), rng.next(), rng.next())}` : '',
      started,
      timeSpentSeconds: rng.int(1, 16) * 900,
      created: started,
      updated: started,
      // Decided by a separate hash so the main stream (and every other generated value) stays unchanged.
      properties: mix32(ctx.seed, Salt.properties, issue.id * 1000 + n) % 20 === 0 ? new Map<string, unknown>([['sim.worklog', { billable: true }]]) : new Map(),
    };
  });
}

function changelog(ctx: IssuePartsContext, issue: SimIssue): SimChange[] {
  const rng = Rng.for(ctx.seed, Salt.changelog, issue.id);
  const count = ctx.heavy.changelog.has(issue.id) ? rng.int(110, 150) : rng.int(0, 4);
  let status = STATUSES[0];
  return times(rng, count, issue.created, issue.updated).map((created, n) => {
    const kind = rng.int(0, 3);
    let item;
    if (kind === 0) {
      const next = rng.pick(STATUSES);
      item = { field: 'status', fieldtype: 'jira' as const, fieldId: 'status', from: String(status.id), fromString: status.name, to: String(next.id), toString: next.name };
      status = next;
    } else if (kind === 1) {
      const from = rng.pick(ctx.userIds);
      const to = rng.pick(ctx.userIds);
      item = { field: 'assignee', fieldtype: 'jira' as const, fieldId: 'assignee', from, fromString: `user ${from.slice(0, 4)}`, to, toString: `user ${to.slice(0, 4)}` };
    } else if (kind === 2) {
      item = { field: 'summary', fieldtype: 'jira' as const, fieldId: 'summary', from: null, fromString: sentence(rng.next(), rng.next(), rng.next()), to: null, toString: rng.chance(0.1) ? HOSTILE_TEXT[2] : sentence(rng.next(), rng.next(), rng.next()) };
    } else {
      item = { field: 'Story point estimate', fieldtype: 'custom' as const, fieldId: 'customfield_10030', from: null, fromString: String(rng.int(1, 8)), to: null, toString: String(rng.int(1, 13)) };
    }
    return { id: issue.id * 1000 + n, authorId: rng.pick(ctx.userIds), created, items: [item] };
  });
}

export function generateIssueParts(ctx: IssuePartsContext, issue: SimIssue): IssueCollections {
  const rng = Rng.for(ctx.seed, Salt.remoteLinks, issue.id);
  const remoteCount = rng.chance(0.1) ? rng.int(1, 2) : 0;
  const properties = new Map<string, unknown>();
  if (rng.chance(0.3)) properties.set('sim.issue.meta', { origin: 'generator', n: issue.id, text: rng.chance(0.2) ? HOSTILE_TEXT[1] : 'plain' });
  if (rng.chance(0.05)) properties.set('com.example.flags', [true, false, null, 1.5]);
  return {
    comments: comments(ctx, issue),
    worklogs: worklogs(ctx, issue),
    changelog: changelog(ctx, issue),
    remoteLinks: Array.from({ length: remoteCount }, (_, n) => ({
      id: issue.id * 1000 + n,
      globalId: n === 0 ? `system=https://docs.example.com&id=${issue.id}` : undefined,
      relationship: 'mentioned in',
      application: n === 0 ? { type: 'com.example.docs', name: 'Docs' } : undefined,
      object: { url: `https://docs.example.com/page/${issue.id}/${n}?q=ü&x=<y>`, title: n === 0 ? `Design doc ${issue.key}` : HOSTILE_TEXT[0] },
    })),
    watcherIds: rng.sample(ctx.userIds, rng.int(0, 4)),
    voterIds: rng.sample(ctx.userIds, rng.chance(0.2) ? rng.int(1, 3) : 0),
    properties,
  };
}
