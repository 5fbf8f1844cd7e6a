// The field messages our request schemas set themselves (a regex's or a refinement's text) have a French text:
// without one, a French user would read the schema's English. Zod's own messages are translated by its locale.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { localiseIssue, schemaMessagesFr } from '../src/api/validation-messages.ts';
import { repoRoot } from './support/process.ts';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? sourceFiles(full) : name.endsWith('.ts') && !name.endsWith('.test.ts') ? [full] : [];
  });
}

/** Messages given to `.regex(…, 'text')`, `.refine(…, 'text')`, `{ message: 'text' }` in a refinement or addIssue. */
function schemaMessages(source: string): string[] {
  const found: string[] = [];
  for (const m of source.matchAll(/\.regex\(\/(?:[^/\\\n]|\\.)+\/[a-z]*, '([^'\n]+)'\)/g)) found.push(m[1]!);
  for (const m of source.matchAll(/\.regex\([A-Za-z]+, '([^'\n]+)'\)/g)) found.push(m[1]!);
  for (const m of source.matchAll(/\.refine\([^\n]*?, '([^'\n]+)'\)/g)) found.push(m[1]!);
  for (const m of source.matchAll(/^\s*\}, '([^'\n]+)'\);?$/gm)) found.push(m[1]!);
  for (const m of source.matchAll(/(?:refine|addIssue)\([^\n]*?message: '([^'\n]+)'/g)) found.push(m[1]!);
  return found;
}

describe('validation messages', () => {
  const files = [...sourceFiles(path.join(repoRoot, 'src', 'api')), path.join(repoRoot, 'src', 'catalogue', 'facts-schema.ts')];
  const used = [...new Set(files.flatMap((f) => schemaMessages(readFileSync(f, 'utf8'))))];

  it('finds the messages the schemas set (the scan itself works)', () => {
    expect(used).toContain('lowercase letters, digits and "-" (not at either end), at most 40 characters');
    expect(used).toContain('an http(s) URL without credentials in it (give them in "credentials")');
    expect(used).toContain('give exactly one of userId or email');
    expect(used.length).toBeGreaterThanOrEqual(20);
    expect(schemaMessages("z.string().regex(/^x$/, 'a new rule')")).toEqual(['a new rule']);
  });

  it('has a French text for every message a schema sets', () => {
    expect(used.filter((m) => !(m in schemaMessagesFr))).toEqual([]);
  });

  it('translates zod’s own issues from their code and parameters', () => {
    expect(localiseIssue({ keyword: 'too_small', message: 'Too small: expected string to have >=1 characters', params: { origin: 'string', minimum: 1, inclusive: true } })).toEqual({
      fr: 'Trop petit : chaîne de caractères doit avoir >=1 caractères',
      en: 'Too small: expected string to have >=1 characters',
    });
    expect(localiseIssue({ keyword: 'invalid_value', message: 'Invalid option: expected one of "enforce"|"audit"', params: { values: ['enforce', 'audit'] } }).fr).toBe('Option invalide : une valeur parmi "enforce"|"audit" attendue');
    expect(localiseIssue({ keyword: 'invalid_format', message: 'Invalid UUID', params: { format: 'uuid', origin: 'string' } }).fr).toBe('UUID invalide');
  });
});
