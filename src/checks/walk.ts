// Listing the files of the tree to check: fast (one readdir per folder, one lstat per file), deterministic
// (sorted), never following a symbolic link out of the tree, and never throwing: whatever cannot be listed
// becomes a note.
import { lstatSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { Note, SourceFile } from './model.ts';
import { isIgnored, loadIgnorePatterns } from './walk-ignore.ts';
import { maxFileBytes } from './worker/read-source.ts';

export interface WalkOptions {
  /** Also list node_modules, vendor/, third_party/, bower_components/ (skipped by default). */
  includeVendored?: boolean;
  /** Also list `__fixtures__` folders (skipped by default: they hold deliberately bad examples, fake secrets…). */
  includeFixtures?: boolean;
  maxFileBytes?: number;
  /** Honour the root .gitignore and .dso/ignore (default true). */
  useIgnoreFiles?: boolean;
}

export interface WalkResult {
  files: SourceFile[];
  notes: Note[];
  /** Note categories with their counts, for bounded reporting. */
  skipped: { tooLarge: number; symlinksOutside: number; unreadable: number };
}

const alwaysSkipped = new Set(['.git', '.hg', '.svn']);
const vendored = new Set(['node_modules', 'vendor', 'third_party', 'bower_components']);
const noteLimit = 10;

export function walkTree(root: string, options: WalkOptions = {}): WalkResult {
  const limit = options.maxFileBytes ?? maxFileBytes;
  const files: SourceFile[] = [];
  const notes: Note[] = [];
  const skipped = { tooLarge: 0, symlinksOutside: 0, unreadable: 0 };
  const note = (category: keyof typeof skipped, n: Note) => {
    skipped[category]++;
    if (skipped[category] <= noteLimit) notes.push(n);
  };
  let realRoot: string;
  try {
    realRoot = realpathSync(root);
  } catch (error) {
    notes.push({ message: `cannot read the folder to check (${(error as NodeJS.ErrnoException).code ?? String(error)})` });
    return { files, notes, skipped };
  }
  const insideRoot = (real: string) => real === realRoot || real.startsWith(realRoot + sep);
  const toRelative = (absolute: string) => relative(realRoot, absolute).split(sep).join('/');
  const ignore = options.useIgnoreFiles === false ? [] : loadIgnorePatterns(realRoot);

  const stack: string[] = [realRoot];
  while (stack.length > 0) {
    const dir = stack.pop() as string;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      note('unreadable', { file: toRelative(dir) || '.', message: `folder not readable (${(error as NodeJS.ErrnoException).code ?? String(error)}), skipped` });
      continue;
    }
    const subdirs: string[] = [];
    for (const entry of entries) {
      const absolute = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (alwaysSkipped.has(entry.name)) continue;
        if (!options.includeVendored && vendored.has(entry.name)) continue;
        if (!options.includeFixtures && entry.name === '__fixtures__') continue;
        if (ignore.length > 0 && isIgnored(ignore, toRelative(absolute), true)) continue;
        subdirs.push(absolute);
      } else if (entry.isFile()) {
        addFile(absolute, absolute);
      } else if (entry.isSymbolicLink()) {
        let target: string;
        try {
          target = realpathSync(absolute);
        } catch {
          note('unreadable', { file: toRelative(absolute), message: 'broken symbolic link, skipped' });
          continue;
        }
        if (!insideRoot(target)) {
          note('symlinksOutside', { file: toRelative(absolute), message: 'symbolic link pointing outside the checked folder, not followed' });
          continue;
        }
        let isFile = false;
        try {
          isFile = statSync(target).isFile();
        } catch {
          /* vanished meanwhile */
        }
        // A link to a folder inside the tree is not followed: its files are listed at their real place (and a
        // loop of links cannot trap the walk).
        if (isFile) addFile(absolute, target);
      }
    }
    stack.push(...subdirs);
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, notes, skipped };

  function addFile(absolute: string, real: string): void {
    let size: number;
    try {
      size = (real === absolute ? lstatSync(absolute) : statSync(real)).size;
    } catch (error) {
      note('unreadable', { file: toRelative(absolute), message: `file not readable (${(error as NodeJS.ErrnoException).code ?? String(error)}), skipped` });
      return;
    }
    const path = toRelative(absolute);
    if (ignore.length > 0 && isIgnored(ignore, path, false)) return;
    if (size > limit) {
      note('tooLarge', { file: path, message: `file larger than ${Math.round(limit / 1024 / 1024)} MB (${(size / 1024 / 1024).toFixed(1)} MB), skipped` });
      return;
    }
    files.push({ path, size });
  }
}
