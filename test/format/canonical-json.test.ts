import { canonicalJson, encodeRecord, FormatError, sha256Hex } from '../../src/core/format';
import { expectGolden } from './golden';

describe('canonical JSON', () => {
  it.each([
    ['sorts keys at every depth and drops whitespace', { b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } }, '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}'],
    ['sorts keys by UTF-16 code units, upper case before lower case', { b: 1, B: 2, _: 3, a1: 4, a: 5 }, '{"B":2,"_":3,"a":5,"a1":4,"b":1}'],
    ['writes numbers the shortest way and -0 as 0', [1.5, 1e21, 0.1, -0, 10000000000000], '[1.5,1e+21,0.1,0,10000000000000]'],
    ['escapes only what JSON requires, keeps other Unicode as is', { s: 'Ä "q" \\ \n\t\u0001 😀' }, '{"s":"Ä \\"q\\" \\\\ \\n\\t\\u0001 😀"}'],
    ['escapes a lone surrogate instead of writing invalid UTF-8', ['\ud800'], '["\\ud800"]'],
    ['leaves out members whose value is undefined', { a: undefined, b: false }, '{"b":false}'],
    ['keeps empty containers', { a: [], b: {} }, '{"a":[],"b":{}}'],
  ])('%s', (_name, value, expected) => {
    expect(canonicalJson(value)).toBe(expected);
  });

  it('gives the same text whatever order the keys arrived in', () => {
    const fromJira = JSON.parse('{"fields":{"summary":"S","assignee":null},"id":"1","key":"A-1"}');
    const rebuilt = { key: 'A-1', id: '1', fields: { assignee: null, summary: 'S' } };
    expect(canonicalJson(fromJira)).toBe(canonicalJson(rebuilt));
  });

  it.each([
    ['NaN', { n: Number.NaN }, /NaN.*at \$\.n/],
    ['Infinity', [Infinity], /Infinity.*at \$\[0\]/],
    ['undefined in an array', [1, undefined], /undefined inside an array at \$\[1\]/],
    ['a bigint', { n: 10n }, /bigint at \$\.n/],
    ['a function', { f: () => 1 }, /function at \$\.f/],
    ['a Date (must be converted to its ISO string first)', { d: new Date(0) }, /Date.*ISO string/],
    ['a Map', { m: new Map() }, /instance of Map/],
  ])('rejects %s with a message that says where', (_name, value, message) => {
    expect(() => canonicalJson(value)).toThrow(FormatError);
    expect(() => canonicalJson(value)).toThrow(message);
  });

  it('rejects cycles', () => {
    const looped: Record<string, unknown> = { a: 1 };
    looped.self = looped;
    expect(() => canonicalJson(looped)).toThrow(/cycle/);
  });

  it('allows the same object twice when it is not a cycle', () => {
    const shared = { x: 1 };
    expect(canonicalJson({ a: shared, b: shared })).toBe('{"a":{"x":1},"b":{"x":1}}');
  });

  it('matches the golden record line and hash', () => {
    const encoded = encodeRecord({
      updated: '2026-11-25T10:00:00.000+0000',
      project: 'ENG',
      key: 'ENG-1',
      id: '10001',
      type: 'issue',
      data: { fields: { summary: 'Login fails: “SSO”', labels: ['auth', 'p1'], customfield_10019: '0|i00001:', story_points: 3.5 }, comments: [] },
    });
    expect(encoded.sha256).toBe(sha256Hex(encoded.line));
    expectGolden('record-issue.jsonl', `${encoded.line}\n${encoded.sha256}\n`);
  });
});
