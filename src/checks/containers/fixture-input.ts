// Test support: a CheckInput over a fixture folder (real files) or over in-memory texts, so checker
// tests run the same code path as the engine without depending on its walker.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { CheckInput, SourceFile } from '../model.ts';

export const fixedNow = new Date('2026-11-29T12:00:00Z');

export function folderInput(root: string, now: Date = fixedNow): CheckInput {
  const files: SourceFile[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) files.push({ path: relative(root, full).split(sep).join('/'), size: statSync(full).size });
    }
  };
  walk(root);
  files.sort((a, b) => a.path.localeCompare(b.path));
  return {
    root,
    files,
    readText: async (path) => readFileSync(join(root, path), 'utf8'),
    options: { dataDir: join(root, '.data'), now },
  };
}

export function memoryInput(texts: Record<string, string>, now: Date = fixedNow): CheckInput {
  return {
    root: '/nonexistent',
    files: Object.entries(texts).map(([path, text]) => ({ path, size: Buffer.byteLength(text) })),
    readText: async (path) => texts[path],
    options: { dataDir: '/nonexistent/data', now },
  };
}
