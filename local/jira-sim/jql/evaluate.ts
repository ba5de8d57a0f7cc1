/**
 * Turns a parsed JQL query into a predicate and a sort order over the simulator's issues.
 * Supported fields: project, id / key / issuekey / issue, updated, created, issuetype, status, statusCategory,
 * parent, sprint, and ORDER BY id, key, updated, created, rank. Anything else is rejected with Jira's message,
 * because a simulator that silently ignores a clause would hide bugs in the app's queries.
 */
import type { SimIssue, SiteData } from '../model';
import { RANK_FIELD, SPRINT_FIELD } from '../generate/configuration';
import { JqlError } from './errors';
import { parseJql, type JqlClause, type JqlValue, type Operator } from './parser';
import { parseJqlDate } from './dates';

export interface JqlContext {
  site: SiteData;
  /** The caller's profile time zone: JQL date literals are read in it. */
  timeZone: string;
  now: number;
}

export type SortValue = number | string;

export interface CompiledJql {
  matches(issue: SimIssue): boolean;
  /** Sort key tuple per issue; the last element is always the id, so every order is total. */
  sortKey(issue: SimIssue): SortValue[];
  /** Per tuple element: 1 ascending, -1 descending. */
  directions: number[];
  /** Ascending id order: the issue map is already in it, so no sort is needed. */
  isIdAscending: boolean;
  /** A stable text form, used to check that a nextPageToken belongs to this query. */
  canonical: string;
}

const MAX_ORDER_FIELDS = 7;

function fieldName(field: string): string {
  return field.toLowerCase();
}

function projectIds(ctx: JqlContext, values: JqlValue[]): Set<number> {
  const ids = new Set<number>();
  for (const v of values) {
    const text = v.text;
    const project = ctx.site.projects.find(
      (p) => p.trashedAt === undefined && (p.key.toLowerCase() === text.toLowerCase() || String(p.id) === text || p.name.toLowerCase() === text.toLowerCase()),
    );
    if (!project) throw new JqlError(`The value '${text}' does not exist for the field 'project'.`);
    ids.add(project.id);
  }
  return ids;
}

function issueIdOf(ctx: JqlContext, value: JqlValue, field: string): number {
  if (/^\d+$/.test(value.text)) return Number(value.text);
  const id = ctx.site.issueIdsByKey.get(value.text.toUpperCase());
  if (id === undefined) throw new JqlError(`An issue with key '${value.text}' does not exist for field '${field}'.`);
  return id;
}

function compareNumbers(operator: Operator, actual: number, expected: number[], field: string): boolean {
  switch (operator) {
    case '=': return actual === expected[0];
    case '!=': return actual !== expected[0];
    case '>': return actual > expected[0];
    case '>=': return actual >= expected[0];
    case '<': return actual < expected[0];
    case '<=': return actual <= expected[0];
    case 'in': return expected.includes(actual);
    case 'not in': return !expected.includes(actual);
  }
  throw new JqlError(`The operator '${operator}' is not supported by the '${field}' field.`);
}

function onlyEquality(operator: Operator, field: string): void {
  if (!['=', '!=', 'in', 'not in'].includes(operator)) {
    throw new JqlError(`The operator '${operator}' is not supported by the '${field}' field.`);
  }
}

function byNameOrId<T extends { id: number; name: string }>(items: T[], values: JqlValue[], field: string): number[] {
  return values.map((v) => {
    const found = items.find((i) => String(i.id) === v.text || i.name.toLowerCase() === v.text.toLowerCase());
    if (!found) throw new JqlError(`The value '${v.text}' does not exist for the field '${field}'.`);
    return found.id;
  });
}

function compileClause(ctx: JqlContext, clause: JqlClause): (issue: SimIssue) => boolean {
  if (clause.kind === 'and' || clause.kind === 'or') {
    const parts = clause.items.map((c) => compileClause(ctx, c));
    return clause.kind === 'and' ? (issue) => parts.every((p) => p(issue)) : (issue) => parts.some((p) => p(issue));
  }
  if (clause.kind === 'not') {
    const inner = compileClause(ctx, clause.item);
    return (issue) => !inner(issue);
  }
  const { operator, values } = clause;
  const field = fieldName(clause.field);
  switch (field) {
    case 'project': {
      onlyEquality(operator, clause.field);
      const ids = projectIds(ctx, values);
      const negate = operator === '!=' || operator === 'not in';
      return (issue) => ids.has(issue.projectId) !== negate;
    }
    case 'id': case 'key': case 'issuekey': case 'issue': {
      const ids = values.map((v) => issueIdOf(ctx, v, clause.field));
      return (issue) => compareNumbers(operator, issue.id, ids, clause.field);
    }
    case 'updated': case 'updateddate': case 'created': case 'createddate': {
      if (operator === 'in' || operator === 'not in') throw new JqlError(`The operator '${operator}' is not supported by the '${clause.field}' field.`);
      const instant = parseJqlDate(values[0].text, clause.field, ctx.timeZone, ctx.now);
      const read = field.startsWith('updated') ? (i: SimIssue) => i.updated : (i: SimIssue) => i.created;
      // Jira stores milliseconds but compares at minute precision: '=' matches the whole minute.
      if (operator === '=' || operator === '!=') {
        return (issue) => (Math.floor(read(issue) / 60_000) * 60_000 === instant) === (operator === '=');
      }
      return (issue) => compareNumbers(operator, read(issue), [instant], clause.field);
    }
    case 'issuetype': case 'type': {
      onlyEquality(operator, clause.field);
      const ids = byNameOrId(ctx.site.issueTypes, values, clause.field);
      const negate = operator === '!=' || operator === 'not in';
      return (issue) => ids.includes(issue.issueTypeId) !== negate;
    }
    case 'status': {
      onlyEquality(operator, clause.field);
      const ids = byNameOrId(ctx.site.statuses, values, clause.field);
      const negate = operator === '!=' || operator === 'not in';
      return (issue) => ids.includes(issue.statusId) !== negate;
    }
    case 'statuscategory': {
      onlyEquality(operator, clause.field);
      const names: Record<string, string> = { 'to do': 'TODO', 'in progress': 'IN_PROGRESS', done: 'DONE', new: 'TODO', indeterminate: 'IN_PROGRESS' };
      const wanted = values.map((v) => names[v.text.toLowerCase()] ?? v.text.toUpperCase());
      const negate = operator === '!=' || operator === 'not in';
      return (issue) => {
        const status = ctx.site.statuses.find((s) => s.id === issue.statusId);
        return (status !== undefined && wanted.includes(status.category)) !== negate;
      };
    }
    case 'parent': {
      onlyEquality(operator, clause.field);
      const ids = values.map((v) => issueIdOf(ctx, v, clause.field));
      const negate = operator === '!=' || operator === 'not in';
      return (issue) => (issue.parentId !== null && ids.includes(issue.parentId)) !== negate;
    }
    case 'sprint': {
      onlyEquality(operator, clause.field);
      const ids = byNameOrId(ctx.site.sprints, values, clause.field);
      const negate = operator === '!=' || operator === 'not in';
      return (issue) => {
        const sprints = (issue.custom[SPRINT_FIELD] as number[] | undefined) ?? [];
        return sprints.some((s) => ids.includes(s)) !== negate;
      };
    }
    default:
      throw new JqlError(`Field '${clause.field}' does not exist or you do not have permission to view it.`);
  }
}

function sortReader(field: string): (issue: SimIssue) => SortValue[] {
  switch (fieldName(field)) {
    case 'id': return (i) => [i.id];
    case 'key': case 'issuekey': return (i) => {
      const dash = i.key.lastIndexOf('-');
      return [i.key.slice(0, dash), Number(i.key.slice(dash + 1))];
    };
    case 'updated': case 'updateddate': return (i) => [i.updated];
    case 'created': case 'createddate': return (i) => [i.created];
    case 'rank': return (i) => [String(i.custom[RANK_FIELD] ?? '')];
    default: throw new JqlError(`Not able to sort using field '${field}'.`);
  }
}

export function compileJql(jql: string, ctx: JqlContext, options: { requireBounded: boolean }): CompiledJql {
  const query = parseJql(jql);
  if (options.requireBounded && !query.where) {
    throw new JqlError('Unbounded JQL queries are not allowed here. Please add a search restriction to your query.');
  }
  if (query.orderBy.length > MAX_ORDER_FIELDS) {
    throw new JqlError(`The ORDER BY clause can contain at most ${MAX_ORDER_FIELDS} fields.`);
  }
  const matches = query.where ? compileClause(ctx, query.where) : () => true;
  // Without ORDER BY the simulator returns newest first (id DESC); the id always ends the tuple as tie-breaker.
  const order = query.orderBy.length > 0 ? query.orderBy : [{ field: 'id', direction: 'DESC' as const }];
  const readers = order.map((o) => sortReader(o.field));
  const directions: number[] = [];
  for (const o of order) {
    // A key sorts as two values (project key, issue number), so it takes two direction slots.
    const width = fieldName(o.field) === 'key' || fieldName(o.field) === 'issuekey' ? 2 : 1;
    for (let w = 0; w < width; w++) directions.push(o.direction === 'ASC' ? 1 : -1);
  }
  const endsWithId = fieldName(order[order.length - 1].field) === 'id';
  if (!endsWithId) directions.push(1);
  const sortKey = (issue: SimIssue): SortValue[] => {
    const key: SortValue[] = [];
    for (const read of readers) key.push(...read(issue));
    if (!endsWithId) key.push(issue.id);
    return key;
  };
  return {
    matches,
    sortKey,
    directions,
    isIdAscending: order.length === 1 && fieldName(order[0].field) === 'id' && order[0].direction === 'ASC',
    canonical: jql.trim().replace(/\s+/g, ' '),
  };
}

export function compareSortKeys(a: SortValue[], b: SortValue[], directions: number[]): number {
  for (let i = 0; i < directions.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    return (x < y ? -1 : 1) * directions[i];
  }
  return 0;
}
