/**
 * Matches a request path against the routes' spec templates. Literal segments win over parameters,
 * so `/issue/bulkfetch` is not taken for `/issue/{issueIdOrKey}`.
 */
import type { Method, Route } from './types';

interface CompiledRoute {
  route: Route;
  pattern: RegExp;
  names: string[];
  params: number;
}

/** A malformed %-escape is kept as written (Jira then simply finds nothing by that name) rather than crashing. */
function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
}

export class Router {
  private readonly compiled: CompiledRoute[] = [];

  constructor(readonly routes: Route[]) {
    for (const route of routes) {
      const names: string[] = [];
      const source = route.template
        .split('/')
        .map((segment) => {
          const m = /^\{(.+)\}$/.exec(segment);
          if (!m) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          names.push(m[1]);
          return '([^/]+)';
        })
        .join('/');
      this.compiled.push({ route, pattern: new RegExp(`^${source}/?$`), names, params: names.length });
    }
    this.compiled.sort((a, b) => a.params - b.params);
  }

  /** The route for the method and path; `methodNotAllowed` when only other methods match. */
  match(method: Method, path: string): RouteMatch | { methodNotAllowed: true } | undefined {
    let otherMethod = false;
    for (const c of this.compiled) {
      const m = c.pattern.exec(path);
      if (!m) continue;
      if (c.route.method !== method) { otherMethod = true; continue; }
      const params: Record<string, string> = {};
      c.names.forEach((name, i) => { params[name] = safeDecode(m[i + 1]); });
      return { route: c.route, params };
    }
    return otherMethod ? { methodNotAllowed: true } : undefined;
  }
}
