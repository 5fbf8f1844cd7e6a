// The README is a contract with newcomers: its first commands and its configuration table must stay true.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configReference } from '../src/config.ts';
import { configTable, withConfigTable } from '../src/config/table.ts';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('starts with the install-and-start and the test commands', () => {
    const firstCode = readme.match(/```(?:sh|bash)?\n([\s\S]*?)```/)?.[1] ?? '';
    expect(firstCode).toContain('npm install && npm start');
    expect(firstCode).toContain('npm test');
  });

  it('documents every configuration variable the code reads, and no other', () => {
    const table = readme.slice(readme.indexOf('## Configuration'));
    const documented = new Set([...table.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]));
    const read = new Set(configReference.map((v) => v.name));
    expect([...read].filter((n) => !documented.has(n))).toEqual([]);
    expect([...documented].filter((n) => !read.has(n!))).toEqual([]);
  });

  it('shows each variable\'s default and description exactly as declared (npm run docs:config writes them)', () => {
    expect(readme).toContain('<!-- config:start -->');
    expect(withConfigTable(readme, configTable())).toBe(readme);
  });
});
