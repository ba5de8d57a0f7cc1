/**
 * A parser for the subset of JQL the app uses: comparisons (`=`, `!=`, `>`, `>=`, `<`, `<=`, `in`, `not in`),
 * AND / OR / NOT with parentheses, and `ORDER BY field [ASC|DESC], …`. Field support is decided later
 * (evaluate.ts) so that unknown fields get Jira's own message.
 */
import { JqlError } from './errors';

export type Operator = '=' | '!=' | '>' | '>=' | '<' | '<=' | 'in' | 'not in';

export interface JqlValue {
  text: string;
  quoted: boolean;
}

export type JqlClause =
  | { kind: 'and'; items: JqlClause[] }
  | { kind: 'or'; items: JqlClause[] }
  | { kind: 'not'; item: JqlClause }
  | { kind: 'compare'; field: string; operator: Operator; values: JqlValue[] };

export interface JqlOrder {
  field: string;
  direction: 'ASC' | 'DESC';
}

export interface JqlQuery {
  where?: JqlClause;
  orderBy: JqlOrder[];
}

type Token = { type: 'word' | 'string' | 'op' | 'lparen' | 'rparen' | 'comma'; text: string; position: number };

function tokenize(jql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < jql.length) {
    const c = jql[i];
    if (/\s/.test(c)) { i++; continue; }
    if (c === '(') { tokens.push({ type: 'lparen', text: c, position: i++ }); continue; }
    if (c === ')') { tokens.push({ type: 'rparen', text: c, position: i++ }); continue; }
    if (c === ',') { tokens.push({ type: 'comma', text: c, position: i++ }); continue; }
    if (c === '"' || c === "'") {
      let j = i + 1;
      let text = '';
      while (j < jql.length && jql[j] !== c) {
        if (jql[j] === '\\' && j + 1 < jql.length) j++;
        text += jql[j++];
      }
      if (j >= jql.length) throw new JqlError(`Error in the JQL Query: The quoted string starting at character ${i + 1} is not terminated.`);
      tokens.push({ type: 'string', text, position: i });
      i = j + 1;
      continue;
    }
    const op = /^(!=|>=|<=|=|>|<|~|!~)/.exec(jql.slice(i));
    if (op) {
      if (op[1] === '~' || op[1] === '!~') throw new JqlError(`Error in the JQL Query: The operator '${op[1]}' is not supported by the Jira simulator.`);
      tokens.push({ type: 'op', text: op[1], position: i });
      i += op[1].length;
      continue;
    }
    const word = /^[^\s()",'=!<>~]+/.exec(jql.slice(i));
    if (!word) throw new JqlError(`Error in the JQL Query: The character '${c}' at position ${i + 1} is a reserved JQL character.`);
    tokens.push({ type: 'word', text: word[0], position: i });
    i += word[0].length;
  }
  return tokens;
}

class Parser {
  private at = 0;

  constructor(private readonly tokens: Token[]) {}

  private peek(): Token | undefined { return this.tokens[this.at]; }
  private isWord(text: string, offset = 0): boolean {
    const t = this.tokens[this.at + offset];
    return t !== undefined && t.type === 'word' && t.text.toLowerCase() === text;
  }
  private fail(expected: string): never {
    const t = this.peek();
    throw new JqlError(t
      ? `Error in the JQL Query: Expecting ${expected} but got '${t.text}'. (line 1, character ${t.position + 1})`
      : `Error in the JQL Query: Expecting ${expected} before the end of the query.`);
  }

  parse(): JqlQuery {
    const query: JqlQuery = { orderBy: [] };
    if (this.peek() && !(this.isWord('order') && this.isWord('by', 1))) query.where = this.or();
    if (this.isWord('order') && this.isWord('by', 1)) {
      this.at += 2;
      do {
        const field = this.peek();
        if (!field || (field.type !== 'word' && field.type !== 'string')) this.fail('a field name');
        this.at++;
        let direction: 'ASC' | 'DESC' = 'ASC';
        if (this.isWord('asc')) { this.at++; } else if (this.isWord('desc')) { direction = 'DESC'; this.at++; }
        query.orderBy.push({ field: field.text, direction });
        if (this.peek()?.type !== 'comma') break;
        this.at++;
      } while (true);
    }
    if (this.peek()) this.fail("'AND', 'OR' or 'ORDER BY'");
    return query;
  }

  private or(): JqlClause {
    const items = [this.and()];
    while (this.isWord('or')) { this.at++; items.push(this.and()); }
    return items.length === 1 ? items[0] : { kind: 'or', items };
  }

  private and(): JqlClause {
    const items = [this.unary()];
    while (this.isWord('and')) { this.at++; items.push(this.unary()); }
    return items.length === 1 ? items[0] : { kind: 'and', items };
  }

  private unary(): JqlClause {
    if (this.isWord('not')) { this.at++; return { kind: 'not', item: this.unary() }; }
    if (this.peek()?.type === 'lparen') {
      this.at++;
      const inner = this.or();
      if (this.peek()?.type !== 'rparen') this.fail("')'");
      this.at++;
      return inner;
    }
    return this.compare();
  }

  private compare(): JqlClause {
    const field = this.peek();
    if (!field || (field.type !== 'word' && field.type !== 'string')) this.fail('a field name');
    this.at++;
    let operator: Operator;
    const op = this.peek();
    if (op?.type === 'op') { operator = op.text as Operator; this.at++; }
    else if (this.isWord('in')) { operator = 'in'; this.at++; }
    else if (this.isWord('not') && this.isWord('in', 1)) { operator = 'not in'; this.at += 2; }
    else if (this.isWord('is') || this.isWord('was') || this.isWord('changed')) {
      throw new JqlError(`Error in the JQL Query: The operator '${op?.text}' is not supported by the Jira simulator.`);
    } else this.fail('an operator');
    const values: JqlValue[] = [];
    if (operator === 'in' || operator === 'not in') {
      if (this.peek()?.type !== 'lparen') this.fail("'('");
      this.at++;
      do {
        values.push(this.value());
        if (this.peek()?.type !== 'comma') break;
        this.at++;
      } while (true);
      if (this.peek()?.type !== 'rparen') this.fail("')'");
      this.at++;
    } else {
      values.push(this.value());
    }
    return { kind: 'compare', field: field.text, operator, values };
  }

  private value(): JqlValue {
    const t = this.peek();
    if (!t || (t.type !== 'word' && t.type !== 'string')) this.fail('a value');
    this.at++;
    // A function call such as currentUser() is outside the supported subset.
    if (t.type === 'word' && this.peek()?.type === 'lparen') {
      throw new JqlError(`Error in the JQL Query: The function '${t.text}' is not supported by the Jira simulator.`);
    }
    return { text: t.text, quoted: t.type === 'string' };
  }
}

export function parseJql(jql: string): JqlQuery {
  return new Parser(tokenize(jql)).parse();
}
