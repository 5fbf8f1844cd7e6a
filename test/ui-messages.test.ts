// Every text of the console exists in French and in English, is not empty, and uses the same placeholders in both.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { messages } from '../web/src/messages.ts';
import { repoRoot } from './support/process.ts';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? sourceFiles(full) : /\.(vue|ts)$/.test(name) ? [full] : [];
  });
}

describe('console messages', () => {
  it('has every key in both languages, none empty, with the same placeholders', () => {
    const fr = Object.keys(messages.fr).sort();
    const en = Object.keys(messages.en).sort();
    expect(en).toEqual(fr);
    for (const key of fr) {
      const k = key as keyof typeof messages.fr;
      expect(messages.fr[k].trim(), `fr ${key}`).not.toBe('');
      expect(messages.en[k].trim(), `en ${key}`).not.toBe('');
      expect(placeholders(messages.en[k]), key).toEqual(placeholders(messages.fr[k]));
    }
  });

  it('defines every key the screens ask for with t(…)', () => {
    const known = new Set(Object.keys(messages.fr));
    const missing: string[] = [];
    for (const file of sourceFiles(path.join(repoRoot, 'web', 'src'))) {
      const source = readFileSync(file, 'utf8');
      for (const match of source.matchAll(/\bt\(\s*'([a-zA-Z0-9_.-]+)'/g)) if (!known.has(match[1]!)) missing.push(`${path.relative(repoRoot, file)}: ${match[1]}`);
    }
    expect(missing).toEqual([]);
  });
});
