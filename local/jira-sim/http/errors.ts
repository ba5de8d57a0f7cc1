/** An error answered with Jira's error shape: `{ errorMessages: [...], errors: { field: message } }`. */
export class JiraHttpError extends Error {
  constructor(
    readonly status: number,
    readonly errorMessages: string[],
    readonly errors: Record<string, string> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(`${status}: ${[...errorMessages, ...Object.values(errors)].join('; ')}`);
    this.name = 'JiraHttpError';
  }

  body(): { errorMessages: string[]; errors: Record<string, string> } {
    return { errorMessages: this.errorMessages, errors: this.errors };
  }
}

export const badRequest = (message: string, errors: Record<string, string> = {}) => new JiraHttpError(400, message ? [message] : [], errors);
export const notFound = (message: string) => new JiraHttpError(404, [message]);
export const forbidden = (message: string) => new JiraHttpError(403, [message]);
