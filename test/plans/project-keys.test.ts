import { globCanMatchAKey, projectKeyMatchesGlob, PROJECT_KEY_PATTERN } from '../../src/core/plans';

describe('project keys and rule globs', () => {
  it.each([
    ['ENG*', 'ENG', true], ['ENG*', 'ENGINE', true], ['ENG*', 'XENG', false], ['eng*', 'Eng2', true],
    ['OPS_?', 'OPS_1', true], ['OPS_?', 'OPS_12', false], ['*', 'ANY', true], ['A?C', 'ABC', true], ['A?C', 'AC', false],
  ])('%s matches %s: %s', (glob, key, expected) => {
    expect(projectKeyMatchesGlob(key, glob)).toBe(expected);
  });

  it('knows which globs can match a key and which keys are valid', () => {
    expect(globCanMatchAKey('9*')).toBe(false);
    expect(globCanMatchAKey('?9')).toBe(true);
    expect(['ENG', 'A1', 'OPS_2', 'ABCDEFGHIJ'].every((k) => PROJECT_KEY_PATTERN.test(k))).toBe(true);
    expect(['E', '1AB', 'ab', 'ABCDEFGHIJK', 'EN-G'].some((k) => PROJECT_KEY_PATTERN.test(k))).toBe(false);
  });
});
