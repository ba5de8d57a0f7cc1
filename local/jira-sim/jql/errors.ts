/** A JQL problem, reported by the search endpoints as 400 with Jira's error shape. */
export class JqlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JqlError';
  }
}
