/**
 * Layer check (ARCHITECTURE.md): src/core is pure. It may import other core files, the ports' types,
 * and Node's pure computation modules; never Forge, adapters, entry points, network, the file system
 * or the wall clock (Date.now / new Date() without an argument). Exits 1 and lists every violation.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';

const root = resolve(__dirname, '..');
const coreDir = join(root, 'src', 'core');
const portsDir = join(root, 'src', 'ports');
const ALLOWED_BUILTINS = new Set(['crypto', 'zlib', 'util', 'buffer', 'node:crypto', 'node:zlib', 'node:util', 'node:buffer']);

export function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

export function violationsIn(file: string, text: string): string[] {
  const found: string[] = [];
  const importPattern = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (const match of text.matchAll(importPattern)) {
    const spec = match[1] ?? match[2] ?? match[3];
    if (spec.startsWith('.')) {
      const target = resolve(dirname(file), spec);
      if (!target.startsWith(coreDir) && !target.startsWith(portsDir)) found.push(`imports ${spec} (outside src/core and src/ports)`);
    } else if (!ALLOWED_BUILTINS.has(spec)) {
      found.push(`imports package ${spec}`);
    }
  }
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
  if (/\bDate\.now\s*\(/.test(code)) found.push('reads the wall clock with Date.now() (take a Clock)');
  if (/new\s+Date\s*\(\s*\)/.test(code)) found.push('reads the wall clock with new Date() (take a Clock)');
  if (/\b(fetch|setTimeout|setInterval)\s*\(/.test(code)) found.push('does I/O or timing (fetch/setTimeout/setInterval) inside the core');
  if (/\bprocess\.(env|argv|hrtime)/.test(code)) found.push('reads process state inside the core');
  return found;
}

if (require.main === module) {
  const problems = sourceFiles(coreDir).flatMap((file) =>
    violationsIn(file, readFileSync(file, 'utf8')).map((v) => `${relative(root, file)}: ${v}`),
  );
  if (problems.length > 0) {
    console.error(`src/core must stay pure; ${problems.length} violation(s):\n${problems.join('\n')}`);
    process.exit(1);
  }
  console.log(`core dependency check: ${sourceFiles(coreDir).length} files, 0 violations`);
}
