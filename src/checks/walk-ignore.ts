// Ignore patterns for the walk: the root `.gitignore` (so a laptop run sees what the chain's clean checkout sees)
// and `.dso/ignore` (paths the team excludes from checks on purpose, reviewed like code). A gitignore subset:
// `dir/`, `/anchored`, `*.ext`, `**`, `?`; negations (`!`) are not supported and are skipped.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface IgnorePattern {
  source: string;
  file: string;
  dirOnly: boolean;
  regex: RegExp;
}

export function parseIgnoreFile(text: string, file: string): IgnorePattern[] {
  const patterns: IgnorePattern[] = [];
  for (const raw of text.split('\n').slice(0, 10_000)) {
    const line = raw.replace(/\s+$/, '');
    if (!line || line.startsWith('#') || line.startsWith('!') || line.length > 500) continue;
    let body = line;
    const dirOnly = body.endsWith('/');
    if (dirOnly) body = body.slice(0, -1);
    const anchored = body.startsWith('/') || body.slice(0, -1).includes('/');
    body = body.replace(/^\//, '');
    if (!body) continue;
    const glob = body
      .split('/')
      .map((part) => (part === '**' ? '\u0000' : part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')))
      .join('/')
      .replace(/\u0000\//g, '(?:.*/)?')
      .replace(/\/\u0000/g, '(?:/.*)?')
      .replace(/\u0000/g, '.*');
    patterns.push({ source: line, file, dirOnly, regex: new RegExp(`${anchored ? '^' : '(?:^|/)'}${glob}$`) });
  }
  return patterns;
}

export function loadIgnorePatterns(root: string): IgnorePattern[] {
  const patterns: IgnorePattern[] = [];
  for (const file of ['.gitignore', '.dso/ignore']) {
    try {
      patterns.push(...parseIgnoreFile(readFileSync(join(root, file), 'utf8'), file));
    } catch {
      /* absent: nothing ignored */
    }
  }
  return patterns;
}

export function isIgnored(patterns: readonly IgnorePattern[], path: string, isDirectory: boolean): boolean {
  for (const p of patterns) if ((isDirectory || !p.dirOnly) && p.regex.test(path)) return true;
  return false;
}
