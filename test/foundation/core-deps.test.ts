import { violationsIn } from '../../scripts/check-core-deps';
import { join, resolve } from 'node:path';

const coreFile = join(resolve(__dirname, '../..'), 'src', 'core', 'example.ts');

describe('core dependency check', () => {
  it.each([
    ["import api from '@forge/api';", 'imports package @forge/api'],
    ["import { x } from '../adapters/jira';", 'outside src/core'],
    ["import * as net from 'node:net';", 'imports package node:net'],
    ['const t = Date.now();', 'Date.now()'],
    ['const t = new Date();', 'new Date()'],
    ["const r = await fetch('https://x');", 'fetch'],
  ])('rejects %s', (source, expected) => {
    expect(violationsIn(coreFile, source).join('\n')).toContain(expected);
  });

  it.each([
    "import { Clock } from '../ports/clock';",
    "import { createHash } from 'node:crypto';",
    "import { gzipSync } from 'node:zlib';",
    "import { canonical } from './json';",
    'const d = new Date(clock.now()); // Date.now() is mentioned only in this comment',
  ])('accepts %s', (source) => {
    expect(violationsIn(coreFile, source)).toEqual([]);
  });
});
