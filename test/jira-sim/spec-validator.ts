/**
 * Validates simulator traffic against Atlassian's official OpenAPI specs with a real JSON-schema validator
 * (ajv + ajv-formats). The specs are big: each is loaded once and each operation's schema compiled on first use.
 *
 * One deliberate adjustment: the spec marks timestamps `format: date-time`, but Jira (and the spec's own
 * examples, e.g. "2021-01-17T12:34:00.000+0000") writes offsets without a colon, which strict RFC 3339 rejects.
 * `date-time` therefore accepts RFC 3339 and Jira's `±hhmm` form — nothing looser.
 */
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';

export type SpecName = 'platform' | 'agile';

interface OpenApiOperation {
  requestBody?: { content?: Record<string, { schema?: unknown; example?: unknown }> };
  responses?: Record<string, { content?: Record<string, { schema?: unknown; example?: unknown }> }>;
}
type OpenApiDoc = { paths: Record<string, Record<string, OpenApiOperation>>; components: unknown };

const FILES: Record<SpecName, string> = {
  platform: '/work/shared/jira-openapi/jira-platform.v3.json',
  agile: '/work/shared/jira-openapi/jira-software.v3.json',
};

const JIRA_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})$/i;

export class SpecValidator {
  readonly docs: Record<SpecName, OpenApiDoc>;
  private readonly ajv: Ajv;
  private readonly compiled = new Map<string, ValidateFunction | null>();

  constructor() {
    this.docs = {
      platform: JSON.parse(readFileSync(FILES.platform, 'utf8')),
      agile: JSON.parse(readFileSync(FILES.agile, 'utf8')),
    };
    this.ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
    addFormats(this.ajv);
    this.ajv.addFormat('date-time', JIRA_DATE_TIME);
    this.ajv.addFormat('URL', true);
    // Each document is registered whole, so `#/components/schemas/X` refs resolve inside it.
    this.ajv.addSchema({ $id: 'platform', components: this.docs.platform.components });
    this.ajv.addSchema({ $id: 'agile', components: this.docs.agile.components });
  }

  operation(spec: SpecName, template: string, method: string): OpenApiOperation | undefined {
    return this.docs[spec].paths[template]?.[method.toLowerCase()];
  }

  /** The operation's JSON response schema for a status (exact code, then `default`); undefined when it defines none. */
  responseSchema(spec: SpecName, template: string, method: string, status: number): unknown {
    const op = this.operation(spec, template, method);
    const response = op?.responses?.[String(status)] ?? op?.responses?.default;
    const content = response?.content;
    if (!content) return undefined;
    const json = content['application/json'] ?? Object.values(content)[0];
    return json?.schema;
  }

  /** The declared status codes of an operation. */
  statuses(spec: SpecName, template: string, method: string): string[] {
    return Object.keys(this.operation(spec, template, method)?.responses ?? {});
  }

  private compile(spec: SpecName, key: string, schema: unknown): ValidateFunction | null {
    if (!this.compiled.has(key)) {
      if (schema === undefined) this.compiled.set(key, null);
      else {
        // Rewrite local refs so they point into the registered document.
        const rooted = JSON.parse(JSON.stringify(schema).replace(/"\$ref":"#\//g, `"$ref":"${spec}#/`));
        this.compiled.set(key, this.ajv.compile(rooted));
      }
    }
    return this.compiled.get(key)!;
  }

  /** Validation errors of `body` against the response schema (empty = valid). */
  validateResponse(spec: SpecName, template: string, method: string, status: number, body: unknown): string[] {
    const schema = this.responseSchema(spec, template, method, status);
    const validate = this.compile(spec, `res|${spec}|${method}|${template}|${status}`, schema);
    if (!validate) return [];
    return validate(body) ? [] : (validate.errors ?? []).slice(0, 10).map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
  }

  /** Validation errors of a request body against the operation's request schema. */
  validateRequest(spec: SpecName, template: string, method: string, body: unknown): string[] {
    const content = this.operation(spec, template, method)?.requestBody?.content;
    const schema = content ? (content['application/json'] ?? Object.values(content)[0])?.schema : undefined;
    const validate = this.compile(spec, `req|${spec}|${method}|${template}`, schema);
    if (!validate) return [];
    return validate(body) ? [] : (validate.errors ?? []).slice(0, 10).map((e) => `${e.instancePath || '/'} ${e.message}`);
  }

  /** The spec's own example payload for a response, parsed, when it has one. */
  responseExample(spec: SpecName, template: string, method: string, status: number): unknown {
    const content = this.operation(spec, template, method)?.responses?.[String(status)]?.content;
    const example = content ? Object.values(content)[0]?.example : undefined;
    if (typeof example !== 'string') return example;
    try {
      return JSON.parse(example);
    } catch {
      return undefined;
    }
  }

  requestExample(spec: SpecName, template: string, method: string): unknown {
    const content = this.operation(spec, template, method)?.requestBody?.content;
    const example = content ? Object.values(content)[0]?.example : undefined;
    if (typeof example !== 'string') return example;
    try {
      return JSON.parse(example);
    } catch {
      return undefined;
    }
  }
}

/** Whether a path template exists in a spec with that method. */
export function specHas(validator: SpecValidator, spec: SpecName, template: string, method: string): boolean {
  return validator.operation(spec, template, method) !== undefined;
}
